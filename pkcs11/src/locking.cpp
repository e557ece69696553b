#include "locking.h"

#include "p11_error.h"

namespace azkv::p11 {

ModuleMutex::ModuleMutex(const AppLocking& locking) : app_(locking) {
    if (app_.use_app() && app_.create(&app_mutex_) != CKR_OK) {
        throw P11Error(CKR_CANT_LOCK, "the application's CreateMutex callback failed",
                       LogLevel::kError);
    }
}

ModuleMutex::~ModuleMutex() {
    if (app_mutex_ != nullptr)
        app_.destroy(app_mutex_);
}

void ModuleMutex::lock() {
    if (app_mutex_ == nullptr) {
        os_.lock();
    } else if (app_.lock(app_mutex_) != CKR_OK) {
        throw P11Error(CKR_CANT_LOCK, "the application's LockMutex callback failed",
                       LogLevel::kError);
    }
}

void ModuleMutex::unlock() {
    if (app_mutex_ == nullptr)
        os_.unlock();
    else
        app_.unlock(app_mutex_);
}

}  // namespace azkv::p11
