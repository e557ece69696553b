#pragma once
// The AZKV KEY REFERENCE: a file that names a vault key for programs that only read private keys
// from PEM files (nginx 1.22, Apache, haproxy, curl). It holds no secret.
//
//   -----BEGIN AZKV KEY REFERENCE-----   (base64 of the DER below)
//
//   AzkvKeyReference ::= SEQUENCE {
//       format     VisibleString ("AZKV KEY REFERENCE v1"),
//       uri        UTF8String,            -- azkv:https://VAULT/keys/NAME[/VERSION]
//       publicKey  SubjectPublicKeyInfo OPTIONAL  -- the pinned version's public key
//   }
//
// The public key is written only for a pinned version; on load it must match the vault's key,
// which catches a reference edited to point at another key.

#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "azkv/util/ossl.h"
#include "azkv/util/status.h"

namespace azkv::provider {

inline constexpr char kKeyRefPemLabel[] = "AZKV KEY REFERENCE";
inline constexpr char kKeyRefStructure[] = "azkv-keyref";
inline constexpr char kKeyRefFormat[] = "AZKV KEY REFERENCE v1";

struct KeyReference {
    std::string uri;
    EvpPkeyPtr public_key;  // null when not pinned
};

StatusOr<std::vector<uint8_t>> EncodeKeyReference(const std::string& uri, EVP_PKEY* public_key);
StatusOr<KeyReference> DecodeKeyReference(std::span<const uint8_t> der);

}  // namespace azkv::provider
