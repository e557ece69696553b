#include "azkv/keys/ecdsa.h"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <algorithm>

#include "azkv/util/ossl.h"

namespace azkv::keys {

StatusOr<std::vector<uint8_t>> EcdsaRawToDer(std::span<const uint8_t> raw) {
    if (raw.empty() || raw.size() % 2 != 0) {
        return Status(
            ErrorCode::kBadResponse,
            "an ECDSA signature of " + std::to_string(raw.size()) + " bytes cannot be r||s");
    }
    size_t half = raw.size() / 2;
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return Status(ErrorCode::kInternal, "out of memory encoding an ECDSA signature");
    }
    int len = i2d_ECDSA_SIG(sig.get(), nullptr);
    std::vector<uint8_t> der(static_cast<size_t>(std::max(len, 0)));
    unsigned char* p = der.data();
    if (len <= 0 || i2d_ECDSA_SIG(sig.get(), &p) != len) {
        return Status(ErrorCode::kInternal, "cannot DER-encode an ECDSA signature");
    }
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
