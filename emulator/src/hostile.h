// Hostile answers (/_emulator/faults field "hostile"): a vault that answers with a well-formed
// response that is wrong. Clients must refuse each with a clear error, never pass it on.
//   huge_body          a 200 whose JSON body is 64 MiB (clients must bound their reads)
//   short_result       sign/decrypt/unwrap/encrypt/wrap results one byte short
//   long_result        ... one byte long
//   foreign_kid        kid of results and key bundles names another vault host
//   other_key_kid      kid of results and key bundles names another key in this vault
//   wrong_jwk          key bundles carry a freshly generated public key of the same type
//   foreign_challenge  the 401 challenge names https://attacker.example as the resource
// Like the other faults, "vault" and "operations" narrow where it applies.
#pragma once

#include <string>

#include "dispatch.h"

namespace azkv::emu {

// Throws ApiError(400) for an unknown mode; "" is accepted (off).
void validate_hostile_mode(const std::string& mode);

// Rewrites a handler's successful result according to `mode` (a no-op for "" and for modes
// that do not concern this request).
void apply_hostile(const std::string& mode, const VaultRequest& req, ApiResult& result);

// The resource a 401 challenge names: the vault's origin, or an attacker's under
// foreign_challenge.
std::string challenge_resource(const std::string& mode, const std::string& vault_origin);

}  // namespace azkv::emu
