#pragma once
// The bridge between the C ABI and the module's C++: every entry point runs its body through
// Guard, which turns any exception into a CK_RV and logs the cause once. Nothing escapes into
// the application.

#include <new>
#include <string>

#include <openssl/err.h>

#include "azkv/log/log.h"
#include "ckr_mapping.h"
#include "p11_error.h"

namespace azkv::p11 {

void LogFailure(const char* function, CK_RV rv, const std::string& message, LogLevel level);

template <typename Body>
CK_RV Guard(const char* function, Body&& body) noexcept {
    try {
        return body();
    } catch (const P11Error& e) {
        if (!e.message().empty())
            LogFailure(function, e.rv(), e.message(), e.level());
        return e.rv();
    } catch (const std::bad_alloc&) {
        return CKR_HOST_MEMORY;
    } catch (const std::exception& e) {
        LogFailure(function, CKR_GENERAL_ERROR, e.what(), LogLevel::kError);
        return CKR_GENERAL_ERROR;
    } catch (...) {
        LogFailure(function, CKR_GENERAL_ERROR, "unknown exception", LogLevel::kError);
        return CKR_GENERAL_ERROR;
    }
}

}  // namespace azkv::p11
