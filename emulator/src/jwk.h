// JWK <-> key material. Output follows the service exactly: n without a leading zero byte,
// x/y left-padded to the curve size, base64url without padding (protocol §1.4).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "key_material.h"

namespace azkv::emu {

// Fills bits/curve/public_fields from pkey or oct.
void finish_material(KeyMaterial& m);
// Import: builds material from a JWK with private parts; throws ApiError 400 naming the field.
KeyMaterial material_from_jwk(const nlohmann::json& key, const std::string& family_kty);
// Persistence form of the private part (PKCS#8 PEM, or base64url for oct) and back.
std::string material_to_private(const KeyMaterial& m);
KeyMaterial material_from_private(KeyFamily family, const std::string& data);

}  // namespace azkv::emu
