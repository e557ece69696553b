#pragma once
// Digest algorithms and the PKCS#1 v1.5 DigestInfo encoding.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

namespace azkv::keys {

enum class DigestAlg { kMd5Sha1, kSha1, kSha224, kSha256, kSha384, kSha512 };

size_t DigestSize(DigestAlg alg);
const char* DigestName(DigestAlg alg);  // OpenSSL's name: "SHA256", "MD5-SHA1"
std::optional<DigestAlg> DigestFromName(std::string_view openssl_name);
std::optional<DigestAlg> DigestFromSize(size_t size);  // SHA-1/224/256/384/512 by length
const EVP_MD* DigestMd(DigestAlg alg);                 // OpenSSL's static object: nothing to free

// DER DigestInfo of `digest` for PKCS#1 v1.5. MD5+SHA-1 (TLS 1.0/1.1) has no DigestInfo: the
// 36 bytes are signed as they are.
std::vector<uint8_t> BuildDigestInfo(DigestAlg alg, std::span<const uint8_t> digest);

struct ParsedDigestInfo {
    DigestAlg alg;
    std::span<const uint8_t> digest;
};
// Recognises the canonical DigestInfo of SHA-1/224/256/384/512.
std::optional<ParsedDigestInfo> ParseDigestInfo(std::span<const uint8_t> data);

}  // namespace azkv::keys
