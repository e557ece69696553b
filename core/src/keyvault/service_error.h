#pragma once
// Turns a Key Vault error answer into a Status that says what failed and what to do.

#include <string>

#include "azkv/http/http_types.h"
#include "azkv/util/status.h"

namespace azkv::keyvault::detail {

struct ErrorContext {
    std::string vault;      // origin
    std::string operation;  // get, sign, decrypt, ...
    std::string object;     // key (or certificate) name, may be empty
    bool managed_hsm = false;
};

Status ServiceError(const http::Response& response, const ErrorContext& ctx);

// "vault https://v.vault.azure.net key k1 sign: "
std::string ContextPrefix(const ErrorContext& ctx);

}  // namespace azkv::keyvault::detail
