// The service's error model. Handlers throw ApiError; the dispatcher turns it into the documented
// {"error":{"code","message","innererror":{"code"}}} body (protocol §2.1).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace azkv::emu {

struct ApiError : std::runtime_error {
    int status;
    std::string code;
    std::string inner;  // empty = no innererror

    ApiError(int st, std::string c, const std::string& msg, std::string inner_code = "")
        : std::runtime_error(msg), status(st), code(std::move(c)), inner(std::move(inner_code)) {}

    nlohmann::json body() const;
};

// 400 BadParameter: the one error every malformed request gets. Name the field in `msg`.
[[noreturn]] void bad_parameter(const std::string& msg);

}  // namespace azkv::emu
