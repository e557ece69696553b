#pragma once
// How the module's C++ code fails: a P11Error carries the CK_RV the entry point returns and
// the cause that is logged once, at the entry point (guard.h).

#include <exception>
#include <string>

#include "azkv/config/config.h"
#include "cryptoki.h"

namespace azkv::p11 {

class P11Error : public std::exception {
public:
    // An empty message means an expected answer that needs no log line (e.g. a bad handle
    // the application asked about).
    P11Error(CK_RV rv, std::string message, LogLevel level = LogLevel::kInfo)
        : rv_(rv), message_(std::move(message)), level_(level) {}

    CK_RV rv() const { return rv_; }
    const std::string& message() const { return message_; }
    LogLevel level() const { return level_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    CK_RV rv_;
    std::string message_;
    LogLevel level_;
};

[[noreturn]] inline void Fail(CK_RV rv, std::string message = "") {
    throw P11Error(rv, std::move(message));
}

}  // namespace azkv::p11
