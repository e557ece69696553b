// BYOK import (protocol §1.7): the key_hsm transfer blob of a PUT /keys/{name}. The blob is a
// JSON document whose ciphertext is RSA-OAEP-SHA1(AES key) || AES-KWP (RFC 5649)(target key),
// made for a key-exchange key (KEK) of this vault: RSA-HSM with key_ops exactly ["import"].
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app.h"

namespace azkv::emu {

// jwk: the request's "key" object (kty, key_hsm, optional crv); family: "RSA", "EC" or "oct".
// Returns the unwrapped key. Every malformed part is a 400 BadParameter naming it.
KeyMaterial unwrap_byok(const VaultContext& vault, const nlohmann::json& jwk,
                        const std::string& family);

}  // namespace azkv::emu
