#include "keyvault/spki_der.h"

namespace azkv::keyvault::detail {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Tlv(uint8_t tag, std::span<const uint8_t> content) {
    Bytes out{tag};
    size_t len = content.size();
    if (len < 0x80) {
        out.push_back(static_cast<uint8_t>(len));
    } else {
        Bytes digits;
        for (size_t l = len; l > 0; l >>= 8)
            digits.insert(digits.begin(), static_cast<uint8_t>(l));
        out.push_back(static_cast<uint8_t>(0x80 | digits.size()));
        out.insert(out.end(), digits.begin(), digits.end());
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// A non-negative INTEGER: a leading zero keeps the high bit from reading as a sign.
Bytes UnsignedInteger(std::span<const uint8_t> v) {
    Bytes body;
    if (v.empty() || (v[0] & 0x80) != 0)
        body.push_back(0);
    body.insert(body.end(), v.begin(), v.end());
    return Tlv(0x02, body);
}

Bytes BitString(std::span<const uint8_t> v) {
    Bytes body{0};  // no unused bits
    body.insert(body.end(), v.begin(), v.end());
    return Tlv(0x03, body);
}

const Bytes kRsaEncryption = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
const Bytes kNull = {0x05, 0x00};
const Bytes kEcPublicKey = {0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};

Bytes CurveOid(const std::string& curve) {
    if (curve == "P-256")
        return {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    if (curve == "P-384")
        return {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    if (curve == "P-521")
        return {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
    if (curve == "P-256K" || curve == "SECP256K1")
        return {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a};
    return {};
}

}  // namespace

std::vector<uint8_t> RsaSpki(std::span<const uint8_t> n, std::span<const uint8_t> e) {
    Bytes rsa_public_key = Tlv(0x30, Concat({UnsignedInteger(n), UnsignedInteger(e)}));
    Bytes algorithm = Tlv(0x30, Concat({kRsaEncryption, kNull}));
    return Tlv(0x30, Concat({algorithm, BitString(rsa_public_key)}));
}

std::vector<uint8_t> EcSpki(const std::string& curve, std::span<const uint8_t> point) {
    Bytes oid = CurveOid(curve);
    if (oid.empty())
        return {};
    Bytes algorithm = Tlv(0x30, Concat({kEcPublicKey, oid}));
    return Tlv(0x30, Concat({algorithm, BitString(point)}));
}

}  // namespace azkv::keyvault::detail
