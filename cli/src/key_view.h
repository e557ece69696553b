#pragma once
// How keys are shown: the stable JSON shape of a key and its public-key encodings.

#include <openssl/evp.h>

#include <string>

#include <nlohmann/json.hpp>

#include "azkv/keyvault/models.h"
#include "azkv/util/status.h"

namespace azkv::cli {

// "2048" for RSA, the curve for EC, "-" otherwise.
std::string SizeOrCurve(const keyvault::JsonWebKey& k);
StatusOr<std::string> PublicPem(EVP_PKEY* key);
// Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo.
std::string SpkiFingerprint(EVP_PKEY* key);
// The key as `key show --output json` prints it; `pub` may be null.
nlohmann::json BundleJson(const keyvault::KeyBundle& b, EVP_PKEY* pub);
// A one-line table view of a key bundle.
void PrintBundleTable(const keyvault::KeyBundle& b, EVP_PKEY* pub);

}  // namespace azkv::cli
