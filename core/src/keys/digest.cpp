#include "azkv/keys/digest.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

namespace azkv::keys {
namespace {

struct DigestInfoPrefix {
    DigestAlg alg;
    std::vector<uint8_t> prefix;
};

// The DER of DigestInfo{AlgorithmIdentifier{oid, NULL}, OCTET STRING} up to the digest bytes.
const std::vector<DigestInfoPrefix>& Prefixes() {
    static const std::vector<DigestInfoPrefix> kPrefixes = {
        {DigestAlg::kSha1,
         {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
          0x14}},
        {DigestAlg::kSha224,
         {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04,
          0x05, 0x00, 0x04, 0x1c}},
        {DigestAlg::kSha256,
         {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
          0x05, 0x00, 0x04, 0x20}},
        {DigestAlg::kSha384,
         {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
          0x05, 0x00, 0x04, 0x30}},
        {DigestAlg::kSha512,
         {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
          0x05, 0x00, 0x04, 0x40}},
    };
    return kPrefixes;
}

}  // namespace

size_t DigestSize(DigestAlg alg) {
    switch (alg) {
        case DigestAlg::kMd5Sha1:
            return 36;
        case DigestAlg::kSha1:
            return 20;
        case DigestAlg::kSha224:
            return 28;
        case DigestAlg::kSha256:
            return 32;
        case DigestAlg::kSha384:
            return 48;
        case DigestAlg::kSha512:
            return 64;
    }
    return 0;
}

const char* DigestName(DigestAlg alg) {
    switch (alg) {
        case DigestAlg::kMd5Sha1:
            return "MD5-SHA1";
        case DigestAlg::kSha1:
            return "SHA1";
        case DigestAlg::kSha224:
            return "SHA224";
        case DigestAlg::kSha256:
            return "SHA256";
        case DigestAlg::kSha384:
            return "SHA384";
        case DigestAlg::kSha512:
            return "SHA512";
    }
    return "";
}

std::optional<DigestAlg> DigestFromName(std::string_view name) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::toupper(c); });
    n.erase(std::remove(n.begin(), n.end(), '_'), n.end());
    if (n == "SHA1" || n == "SHA-1")
        return DigestAlg::kSha1;
    if (n == "SHA224" || n == "SHA2-224" || n == "SHA-224")
        return DigestAlg::kSha224;
    if (n == "SHA256" || n == "SHA2-256" || n == "SHA-256")
        return DigestAlg::kSha256;
    if (n == "SHA384" || n == "SHA2-384" || n == "SHA-384")
        return DigestAlg::kSha384;
    if (n == "SHA512" || n == "SHA2-512" || n == "SHA-512")
        return DigestAlg::kSha512;
    if (n == "MD5-SHA1" || n == "MD5SHA1")
        return DigestAlg::kMd5Sha1;
    return std::nullopt;
}

std::optional<DigestAlg> DigestFromSize(size_t size) {
    switch (size) {
        case 20:
            return DigestAlg::kSha1;
        case 28:
            return DigestAlg::kSha224;
        case 32:
            return DigestAlg::kSha256;
        case 48:
            return DigestAlg::kSha384;
        case 64:
            return DigestAlg::kSha512;
        default:
            return std::nullopt;
    }
}

const EVP_MD* DigestMd(DigestAlg alg) {
    // OpenSSL's static digest objects, not cached EVP_MD_fetch results: those hold references
    // into the default provider that nothing can safely drop at unload, so every unload of the
    // provider or module lost them (provider.leaks). Each use fetches implicitly; next to a vault
    // round trip that costs nothing measurable.
    switch (alg) {
        case DigestAlg::kMd5Sha1:
            return EVP_md5_sha1();
        case DigestAlg::kSha1:
            return EVP_sha1();
        case DigestAlg::kSha224:
            return EVP_sha224();
        case DigestAlg::kSha256:
            return EVP_sha256();
        case DigestAlg::kSha384:
            return EVP_sha384();
        case DigestAlg::kSha512:
            return EVP_sha512();
    }
    return nullptr;
}

std::vector<uint8_t> BuildDigestInfo(DigestAlg alg, std::span<const uint8_t> digest) {
    std::vector<uint8_t> out;
    for (const auto& p : Prefixes()) {
        if (p.alg == alg)
            out = p.prefix;
    }
    out.insert(out.end(), digest.begin(), digest.end());
    return out;
}

std::optional<ParsedDigestInfo> ParseDigestInfo(std::span<const uint8_t> data) {
    for (const auto& p : Prefixes()) {
        if (data.size() == p.prefix.size() + DigestSize(p.alg) &&
            std::memcmp(data.data(), p.prefix.data(), p.prefix.size()) == 0) {
            return ParsedDigestInfo{p.alg, data.subspan(p.prefix.size())};
        }
    }
    return std::nullopt;
}

}  // namespace azkv::keys
