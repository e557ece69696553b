#pragma once
// The module's state between C_Initialize and C_Finalize, and the rules around it:
//  - C_Initialize does no network I/O;
//  - after fork() the child sees CKR_CRYPTOKI_NOT_INITIALIZED until it calls C_Initialize,
//    which builds fresh state; the parent's state (its connections, locks and objects) is
//    abandoned in the child, never used or destroyed there;
//  - C_Finalize never waits on the network, and never tears down OpenSSL or libcurl globals.

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <vector>

#include "azkv/runtime.h"
#include "config_args.h"
#include "session_table.h"
#include "token.h"

namespace azkv::p11 {

struct Module {
    Module(const InitOptions& options, std::shared_ptr<Runtime> runtime);
    Token& TokenForSlot(CK_SLOT_ID slot);  // CKR_SLOT_ID_INVALID

    pid_t pid;
    uint64_t fork_generation;
    InitOptions options;
    std::shared_ptr<Runtime> runtime;
    std::atomic<CK_ULONG> next_object_handle{1};
    std::vector<std::unique_ptr<Token>> tokens;
    SessionTable sessions;
};

CK_RV InitializeModule(CK_VOID_PTR init_args);
CK_RV FinalizeModule(CK_VOID_PTR reserved);
// The initialised module of this process; throws CKR_CRYPTOKI_NOT_INITIALIZED.
std::shared_ptr<Module> CurrentModule();

}  // namespace azkv::p11
