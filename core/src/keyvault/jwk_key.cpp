#include "azkv/keyvault/jwk_key.h"

#include <openssl/decoder.h>

#include <algorithm>

#include "keyvault/spki_der.h"

namespace azkv::keyvault {
namespace {

Status Bad(const JsonWebKey& jwk, const std::string& why) {
    return Status(ErrorCode::kBadResponse, "the public key of " +
                                               (jwk.kid.empty() ? std::string("a key") : jwk.kid) +
                                               " is unusable: " + why);
}

StatusOr<EvpPkeyPtr> FromSpki(const std::vector<uint8_t>& der, const JsonWebKey& jwk) {
    // A provider decoder, not d2i_PUBKEY: where an engine implements RSA or EC (libp11's, in
    // nginx or `openssl -engine pkcs11`), d2i_PUBKEY returns a legacy key bound to that engine,
    // whose provider parameters (e.g. the encoded EC point) cannot be read. Decoding an EC
    // point checks that it lies on the curve.
    EVP_PKEY* raw = nullptr;
    OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(
        &raw, "DER", "SubjectPublicKeyInfo", nullptr, EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
    const unsigned char* p = der.data();
    size_t left = der.size();
    int ok = ctx != nullptr ? OSSL_DECODER_from_data(ctx, &p, &left) : 0;
    OSSL_DECODER_CTX_free(ctx);
    EvpPkeyPtr key(raw);
    if (ok != 1 || !key || left != 0) {
        return Bad(jwk, "OpenSSL refused it: " + OpensslErrorString());
    }
    return key;
}

StatusOr<EvpPkeyPtr> RsaKey(const JsonWebKey& jwk) {
    auto n_begin = std::find_if(jwk.n.begin(), jwk.n.end(), [](uint8_t b) { return b != 0; });
    auto e_begin = std::find_if(jwk.e.begin(), jwk.e.end(), [](uint8_t b) { return b != 0; });
    size_t n_len = static_cast<size_t>(jwk.n.end() - n_begin);
    if (n_len < 128 || n_len > 1024) {
        return Bad(jwk,
                   "RSA modulus of " + std::to_string(n_len * 8) + " bits is outside 1024..8192");
    }
    if (jwk.e.end() - e_begin == 0 || jwk.e.end() - e_begin > 8) {
        return Bad(jwk, "RSA public exponent is missing or absurd");
    }
    return FromSpki(detail::RsaSpki(std::span<const uint8_t>(&*n_begin, n_len),
                                    std::span<const uint8_t>(
                                        &*e_begin, static_cast<size_t>(jwk.e.end() - e_begin))),
                    jwk);
}

StatusOr<EvpPkeyPtr> EcKey(const JsonWebKey& jwk) {
    std::string group = CurveToGroupName(jwk.crv);
    size_t field = CurveFieldBytes(jwk.crv);
    if (group.empty())
        return Bad(jwk, "unknown curve \"" + jwk.crv + "\"");
    if (jwk.x.empty() || jwk.y.empty() || jwk.x.size() > field || jwk.y.size() > field) {
        return Bad(jwk, "EC coordinates are missing or longer than the curve's " +
                            std::to_string(field) + " bytes");
    }
    // Uncompressed point: 0x04 || x || y, each left-padded to the field size.
    std::vector<uint8_t> point(1 + 2 * field, 0);
    point[0] = 0x04;
    std::copy(jwk.x.begin(), jwk.x.end(), point.begin() + 1 + (field - jwk.x.size()));
    std::copy(jwk.y.begin(), jwk.y.end(), point.begin() + 1 + field + (field - jwk.y.size()));
    return FromSpki(detail::EcSpki(jwk.crv, point), jwk);
}

}  // namespace

std::string CurveToGroupName(const std::string& crv) {
    if (crv == "P-256")
        return "prime256v1";
    if (crv == "P-384")
        return "secp384r1";
    if (crv == "P-521")
        return "secp521r1";
    if (crv == "P-256K" || crv == "SECP256K1")
        return "secp256k1";
    return "";
}

size_t CurveFieldBytes(const std::string& crv) {
    if (crv == "P-256" || crv == "P-256K" || crv == "SECP256K1")
        return 32;
    if (crv == "P-384")
        return 48;
    if (crv == "P-521")
        return 66;
    return 0;
}

StatusOr<EvpPkeyPtr> PublicKeyFromJwk(const JsonWebKey& jwk) {
    if (jwk.kty == "RSA" || jwk.kty == "RSA-HSM")
        return RsaKey(jwk);
    if (jwk.kty == "EC" || jwk.kty == "EC-HSM")
        return EcKey(jwk);
    return Bad(jwk, "key type \"" + jwk.kty + "\" has no public key");
}

}  // namespace azkv::keyvault
