#include "azkv/keyvault/jwk_key.h"

#include <openssl/core_names.h>

#include <algorithm>

namespace azkv::keyvault {
namespace {

Status Bad(const JsonWebKey& jwk, const std::string& why) {
    return Status(ErrorCode::kBadResponse, "the public key of " +
                                               (jwk.kid.empty() ? std::string("a key") : jwk.kid) +
                                               " is unusable: " + why);
}

StatusOr<EvpPkeyPtr> FromData(const char* type, OSSL_PARAM_BLD* bld, const JsonWebKey& jwk) {
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        return Bad(jwk, "OpenSSL refused it: " + OpensslErrorString());
    }
    EvpPkeyPtr key(pkey);
    // fromdata does not prove an EC point lies on the curve; a public check does.
    EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) <= 0) {
        return Bad(jwk, "it fails OpenSSL's public key check: " + OpensslErrorString());
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
    BignumPtr n(BN_bin2bn(&*n_begin, static_cast<int>(n_len), nullptr));
    BignumPtr e(BN_bin2bn(&*e_begin, static_cast<int>(jwk.e.end() - e_begin), nullptr));
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!n || !e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
        return Status(ErrorCode::kInternal, "out of memory building an RSA key");
    }
    return FromData("RSA", bld.get(), jwk);
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
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld ||
        !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                          point.size())) {
        return Status(ErrorCode::kInternal, "out of memory building an EC key");
    }
    return FromData("EC", bld.get(), jwk);
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
