#include "azkv/keys/ecdsa.h"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <algorithm>

#include "azkv/util/ossl.h"

namespace azkv::keys {

namespace {

void AppendDerLength(std::vector<uint8_t>& out, size_t len) {
    if (len < 0x80) {
        out.push_back(static_cast<uint8_t>(len));
    } else if (len <= 0xff) {
        out.push_back(0x81);
        out.push_back(static_cast<uint8_t>(len));
    } else {
        out.push_back(0x82);
        out.push_back(static_cast<uint8_t>(len >> 8));
        out.push_back(static_cast<uint8_t>(len));
    }
}

// An unsigned big-endian value as a DER INTEGER's content: minimal, and a leading 0x00 where
// the top bit would otherwise make it negative.
struct DerUnsigned {
    std::span<const uint8_t> digits;
    bool pad = false;
    size_t size() const { return digits.size() + (pad ? 1 : 0); }
};

DerUnsigned Minimal(std::span<const uint8_t> v) {
    size_t skip = 0;
    while (skip + 1 < v.size() && v[skip] == 0)
        ++skip;
    DerUnsigned d{v.subspan(skip)};
    d.pad = (d.digits[0] & 0x80) != 0;
    return d;
}

void AppendInteger(std::vector<uint8_t>& out, const DerUnsigned& d) {
    out.push_back(0x02);
    AppendDerLength(out, d.size());
    if (d.pad)
        out.push_back(0x00);
    out.insert(out.end(), d.digits.begin(), d.digits.end());
}

size_t DerLengthSize(size_t len) {
    return len < 0x80 ? 1 : len <= 0xff ? 2 : 3;
}

}  // namespace

// Written out rather than through BIGNUM and i2d_ECDSA_SIG, which cost about 10 k instructions
// per signature on the provider's path (callgrind); checked against i2d_ECDSA_SIG in
// EcdsaEncoding.* tests.
StatusOr<std::vector<uint8_t>> EcdsaRawToDer(std::span<const uint8_t> raw) {
    if (raw.empty() || raw.size() % 2 != 0 || raw.size() > 2 * kMaxEcdsaHalfBytes) {
        return Status(
            ErrorCode::kBadResponse,
            "an ECDSA signature of " + std::to_string(raw.size()) + " bytes cannot be r||s");
    }
    size_t half = raw.size() / 2;
    DerUnsigned r = Minimal(raw.first(half));
    DerUnsigned s = Minimal(raw.subspan(half));
    size_t body = 2 + DerLengthSize(r.size()) + r.size() + DerLengthSize(s.size()) + s.size();
    std::vector<uint8_t> der;
    der.reserve(1 + DerLengthSize(body) + body);
    der.push_back(0x30);
    AppendDerLength(der, body);
    AppendInteger(der, r);
    AppendInteger(der, s);
    return der;
}

StatusOr<std::vector<uint8_t>> EcdsaDerToRaw(std::span<const uint8_t> der, size_t field_bytes) {
    const unsigned char* p = der.data();
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig || p != der.data() + der.size()) {
        return Status(ErrorCode::kInvalidArgument, "not a DER ECDSA signature");
    }
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::vector<uint8_t> raw(2 * field_bytes);
    if (BN_bn2binpad(r, raw.data(), static_cast<int>(field_bytes)) < 0 ||
        BN_bn2binpad(s, raw.data() + field_bytes, static_cast<int>(field_bytes)) < 0) {
        return Status(ErrorCode::kInvalidArgument, "ECDSA signature values exceed the curve size");
    }
    return raw;
}

StatusOr<std::vector<uint8_t>> FitEcdsaDigest(std::span<const uint8_t> digest, size_t slot_bytes,
                                              size_t order_bits) {
    if (digest.empty())
        return Status(ErrorCode::kInvalidArgument, "empty ECDSA digest");
    if (digest.size() * 8 > order_bits) {
        // ECDSA uses the leftmost order_bits bits. When that is whole bytes it is a prefix;
        // otherwise (P-521 with more than 65 bytes of input) the value may need more than the
        // 64 bytes ES512 accepts, so it cannot be sent.
        if (order_bits % 8 != 0 || order_bits / 8 > slot_bytes) {
            return Status(ErrorCode::kInvalidArgument,
                          "this curve signs at most " + std::to_string(slot_bytes) +
                              " bytes of digest through Key Vault; got " +
                              std::to_string(digest.size()));
        }
        return std::vector<uint8_t>(digest.begin(), digest.begin() + order_bits / 8);
    }
    if (digest.size() > slot_bytes) {
        return Status(ErrorCode::kInvalidArgument, "this curve signs at most " +
                                                       std::to_string(slot_bytes) +
                                                       " bytes of digest through Key Vault; got " +
                                                       std::to_string(digest.size()));
    }
    std::vector<uint8_t> out(slot_bytes - digest.size(), 0);
    out.insert(out.end(), digest.begin(), digest.end());
    return out;
}

}  // namespace azkv::keys
