#include "config_args.h"

#include <cstdlib>
#include <cstring>

#include "p11_error.h"

namespace azkv::p11 {

InitOptions ParseInitArgs(CK_VOID_PTR init_args) {
    InitOptions out;
    if (init_args == nullptr)
        return out;
    const auto* args = static_cast<const CK_C_INITIALIZE_ARGS*>(init_args);
    int given = (args->CreateMutex != nullptr) + (args->DestroyMutex != nullptr) +
                (args->LockMutex != nullptr) + (args->UnlockMutex != nullptr);
    if (given != 0 && given != 4) {
        Fail(CKR_ARGUMENTS_BAD, "CK_C_INITIALIZE_ARGS must give all four mutex callbacks or none");
    }
    // With CKF_OS_LOCKING_OK the module may use OS locks even if callbacks are given.
    if (given == 4 && (args->flags & CKF_OS_LOCKING_OK) == 0) {
        out.locking = {args->CreateMutex, args->DestroyMutex, args->LockMutex, args->UnlockMutex};
    }
    out.allow_threads = (args->flags & CKF_LIBRARY_CANT_CREATE_OS_THREADS) == 0;
    if (args->pReserved != nullptr) {
        const char* path = static_cast<const char*>(args->pReserved);
        // A path, as libp11 and kmsp11 pass it; bound the scan so garbage cannot run away.
        if (strnlen(path, 4096) == 4096)
            Fail(CKR_ARGUMENTS_BAD, "pReserved must be a NUL-terminated config file path");
        out.config_path = path;
    }
    return out;
}

std::string ConfigPathFor(const InitOptions& options) {
    if (!options.config_path.empty())
        return options.config_path;
    const char* env = std::getenv("AZKV_CONFIG");
    if (env != nullptr && *env != '\0')
        return env;
    return "/etc/azkv/azkv.json";
}

}  // namespace azkv::p11
