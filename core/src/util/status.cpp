#include "azkv/util/status.h"

namespace azkv {

const char* ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kOk:
            return "ok";
        case ErrorCode::kInvalidArgument:
            return "invalid argument";
        case ErrorCode::kConfig:
            return "configuration error";
        case ErrorCode::kNotFound:
            return "not found";
        case ErrorCode::kPermissionDenied:
            return "permission denied";
        case ErrorCode::kUnauthenticated:
            return "unauthenticated";
        case ErrorCode::kKeyDisabled:
            return "key not usable";
        case ErrorCode::kUnsupported:
            return "unsupported";
        case ErrorCode::kThrottled:
            return "throttled";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kDeadlineExceeded:
            return "timed out";
        case ErrorCode::kBadResponse:
            return "bad response from server";
        case ErrorCode::kInternal:
            return "internal error";
    }
    return "unknown";
}

std::string Status::ToString() const {
    if (ok())
        return "ok";
    std::string s = std::string(ErrorCodeName(code_)) + ": " + message_;
    if (http_status_ != 0 || !service_code_.empty() || !request_id_.empty()) {
        s += " [";
        bool first = true;
        auto add = [&](const std::string& part) {
            if (!first)
                s += ", ";
            s += part;
            first = false;
        };
        if (http_status_ != 0)
            add("http " + std::to_string(http_status_));
        if (!service_code_.empty())
            add(service_code_);
        if (!request_id_.empty())
            add("request-id " + request_id_);
        s += "]";
    }
    return s;
}

}  // namespace azkv
