#include "errors.h"

namespace azkv::emu {

nlohmann::json ApiError::body() const {
    nlohmann::json err = {{"code", code}, {"message", what()}};
    if (!inner.empty())
        err["innererror"] = {{"code", inner}};
    return {{"error", err}};
}

void bad_parameter(const std::string& msg) {
    throw ApiError(400, "BadParameter", msg);
}

}  // namespace azkv::emu
