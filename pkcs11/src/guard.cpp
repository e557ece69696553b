#include "guard.h"

namespace azkv::p11 {

void LogFailure(const char* function, CK_RV rv, const std::string& message, LogLevel level) {
    ERR_clear_error();  // leave no OpenSSL error behind for the application to trip over
    if (!log::Enabled(level))
        return;
    std::string line = std::string(RvName(rv)) + ": " + message;
    log::Write({.level = level, .operation = function, .message = line});
}

}  // namespace azkv::p11
