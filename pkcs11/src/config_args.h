#pragma once
// What C_Initialize's CK_C_INITIALIZE_ARGS asks of the module.

#include <string>

#include "cryptoki.h"
#include "locking.h"

namespace azkv::p11 {

struct InitOptions {
    AppLocking locking;         // the application's callbacks, when the module must use them
    bool allow_threads = true;  // false under CKF_LIBRARY_CANT_CREATE_OS_THREADS
    std::string config_path;    // from pReserved (a NUL-terminated path), else empty
};

// Throws CKR_ARGUMENTS_BAD for a partial set of mutex callbacks.
InitOptions ParseInitArgs(CK_VOID_PTR init_args);

// The config file to load: pReserved, else $AZKV_CONFIG, else /etc/azkv/azkv.json.
std::string ConfigPathFor(const InitOptions& options);

}  // namespace azkv::p11
