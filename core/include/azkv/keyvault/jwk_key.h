#pragma once
// A JSON Web Key's public part as an OpenSSL key.

#include <string>

#include "azkv/keyvault/models.h"
#include "azkv/util/ossl.h"
#include "azkv/util/status.h"

namespace azkv::keyvault {

// OpenSSL's group name for a JWK curve ("P-256" -> "prime256v1"); empty if unknown.
std::string CurveToGroupName(const std::string& crv);
// Field size in bytes of a JWK curve (32, 48, 66); 0 if unknown.
size_t CurveFieldBytes(const std::string& crv);

// RSA: strips leading zeros from n (some emulators emit them). EC: left-pads x and y to the
// curve's field size and checks that the point is on the curve. Symmetric keys have no public
// key and are refused.
StatusOr<EvpPkeyPtr> PublicKeyFromJwk(const JsonWebKey& jwk);

}  // namespace azkv::keyvault
