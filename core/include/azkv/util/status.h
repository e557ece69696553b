#pragma once
// Status and StatusOr: how every fallible core operation reports failure.
//
// A Status carries enough for a front end to choose its own error code (CK_RV, OpenSSL reason)
// and for a person to act: the category, a message that names what failed and why, and the
// service's own details (HTTP status, Key Vault error code, request id) when there was a response.

#include <string>
#include <utility>
#include <variant>

namespace azkv {

enum class ErrorCode {
    kOk = 0,
    kInvalidArgument,   // the caller's input is wrong (bad digest length, bad URI, ...)
    kConfig,            // the configuration is wrong
    kNotFound,          // 404: no such key/version/certificate
    kPermissionDenied,  // 403: RBAC or access policy refuses the operation
    kUnauthenticated,   // 401 after a token refresh, or no identity could produce a token
    kKeyDisabled,       // the key is disabled, expired or not yet valid
    kUnsupported,       // the key or service cannot do this (wrong key type, alg unknown)
    kThrottled,         // 429 and the retry budget is spent
    kUnavailable,       // connection failure or 5xx and the retry budget is spent
    kDeadlineExceeded,  // a timeout fired
    kBadResponse,       // the server answered something we must not trust
    kInternal,          // a bug or a local library failure
};

const char* ErrorCodeName(ErrorCode code);

class Status {
public:
    Status() = default;
    Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

    static Status Ok() { return {}; }

    bool ok() const { return code_ == ErrorCode::kOk; }
    ErrorCode code() const { return code_; }
    const std::string& message() const { return message_; }

    int http_status() const { return http_status_; }
    const std::string& service_code() const { return service_code_; }
    const std::string& request_id() const { return request_id_; }

    Status& set_http_status(int s) {
        http_status_ = s;
        return *this;
    }
    Status& set_service_code(std::string c) {
        service_code_ = std::move(c);
        return *this;
    }
    Status& set_request_id(std::string id) {
        request_id_ = std::move(id);
        return *this;
    }

    // Prepends context such as "vault https://v.vault.azure.net key k1 sign: ".
    Status& Prepend(const std::string& context) {
        message_ = context + message_;
        return *this;
    }

    // One line for logs and users: "<code>: <message> [http 403, ForbiddenByRbac, request-id x]".
    std::string ToString() const;

private:
    ErrorCode code_ = ErrorCode::kOk;
    std::string message_;
    int http_status_ = 0;
    std::string service_code_;
    std::string request_id_;
};

// A value or the Status that explains why there is none.
template <typename T>
class StatusOr {
public:
    StatusOr(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
    StatusOr(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
        if (std::get<Status>(v_).ok()) {
            v_ = Status(ErrorCode::kInternal, "StatusOr built from an OK status without a value");
        }
    }

    bool ok() const { return std::holds_alternative<T>(v_); }
    const Status& status() const {
        static const Status kOk;
        return ok() ? kOk : std::get<Status>(v_);
    }
    T& value() & { return std::get<T>(v_); }
    const T& value() const& { return std::get<T>(v_); }
    T&& value() && { return std::get<T>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<Status, T> v_;
};

}  // namespace azkv

// Early return on failure, in functions that return Status or StatusOr.
#define AZKV_RETURN_IF_ERROR(expr)        \
    do {                                  \
        ::azkv::Status azkv_st_ = (expr); \
        if (!azkv_st_.ok())               \
            return azkv_st_;              \
    } while (0)

#define AZKV_CONCAT_INNER_(a, b) a##b
#define AZKV_CONCAT_(a, b) AZKV_CONCAT_INNER_(a, b)
#define AZKV_ASSIGN_OR_RETURN(lhs, expr) \
    AZKV_ASSIGN_OR_RETURN_IMPL_(AZKV_CONCAT_(azkv_sor_, __LINE__), lhs, expr)
// `lhs` may be a declaration ("auto x"), so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define AZKV_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
    auto tmp = (expr);                              \
    if (!tmp.ok())                                  \
        return tmp.status();                        \
    lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
