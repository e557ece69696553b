#pragma once
// The module's own locks. An application that passes mutex callbacks without
// CKF_OS_LOCKING_OK gets its callbacks used for every lock the module takes; otherwise
// the module uses OS locks. (core's internal locks are always OS locks: documented.)

#include <mutex>

#include "cryptoki.h"

namespace azkv::p11 {

struct AppLocking {
    CK_CREATEMUTEX create = nullptr;
    CK_DESTROYMUTEX destroy = nullptr;
    CK_LOCKMUTEX lock = nullptr;
    CK_UNLOCKMUTEX unlock = nullptr;
    bool use_app() const { return create != nullptr; }
};

// BasicLockable, so std::lock_guard / std::unique_lock work with it.
class ModuleMutex {
public:
    explicit ModuleMutex(const AppLocking& locking);
    ~ModuleMutex();
    ModuleMutex(const ModuleMutex&) = delete;
    ModuleMutex& operator=(const ModuleMutex&) = delete;

    void lock();
    void unlock();

private:
    AppLocking app_;
    void* app_mutex_ = nullptr;
    std::mutex os_;
};

}  // namespace azkv::p11
