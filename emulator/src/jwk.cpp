#include "jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "errors.h"
#include "pem_util.h"

namespace azkv::emu {
namespace {

const CurveInfo kCurves[] = {
    {"P-256", "prime256v1", 32, "ES256", 32},
    {"P-256K", "secp256k1", 32, "ES256K", 32},
    {"P-384", "secp384r1", 48, "ES384", 48},
    {"P-521", "secp521r1", 66, "ES512", 64},
};

using Bn = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

Bn get_bn(EVP_PKEY* k, const char* name) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(k, name, &bn);
    return Bn(bn, BN_free);
}

std::string bn_b64(const BIGNUM* bn, int pad_to = 0) {
    Bytes out(pad_to > 0 ? static_cast<size_t>(pad_to) : static_cast<size_t>(BN_num_bytes(bn)));
    if (pad_to > 0)
        BN_bn2binpad(bn, out.data(), pad_to);
    else
        BN_bn2bin(bn, out.data());
    return b64url_encode(out);
}

Bytes field_bytes(const nlohmann::json& key, const char* field, bool required = true) {
    if (!key.contains(field)) {
        if (required)
            bad_parameter(std::string("key.") + field + " is required");
        return {};
    }
    if (!key[field].is_string())
        bad_parameter(std::string("key.") + field + " must be a base64url string");
    auto b = b64_decode(key[field].get<std::string>());
    if (!b || b->empty())
        bad_parameter(std::string("key.") + field + " is not valid base64url");
    return *b;
}

BIGNUM* to_bn(const Bytes& b) {
    return BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr);
}

EvpPtr from_params(const char* type, OSSL_PARAM_BLD* bld, const char* what) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY* pkey = nullptr;
    bool ok = ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
              EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) == 1;
    OSSL_PARAM_free(params);
    EvpPtr out = wrap_pkey(pkey);
    if (ok) {
        // A key whose private half does not match its public half must fail now, not at sign time.
        EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
        ok = check && EVP_PKEY_pairwise_check(check) == 1;
        EVP_PKEY_CTX_free(check);
    }
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        bad_parameter(std::string("key: the ") + what +
                      " key parameters are inconsistent or invalid");
    return out;
}

KeyMaterial rsa_from_jwk(const nlohmann::json& key) {
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
    std::vector<Bn> keep;
    auto push = [&](const char* param, const char* field, bool required) {
        Bytes b = field_bytes(key, field, required);
        if (b.empty())
            return false;
        keep.emplace_back(to_bn(b), BN_free);
        OSSL_PARAM_BLD_push_BN(bld.get(), param, keep.back().get());
        return true;
    };
    push(OSSL_PKEY_PARAM_RSA_N, "n", true);
    push(OSSL_PKEY_PARAM_RSA_E, "e", true);
    push(OSSL_PKEY_PARAM_RSA_D, "d", true);
    // CRT parts are optional, but all or none.
    bool has_crt = key.contains("p");
    if (has_crt) {
        push(OSSL_PKEY_PARAM_RSA_FACTOR1, "p", true);
        push(OSSL_PKEY_PARAM_RSA_FACTOR2, "q", true);
        push(OSSL_PKEY_PARAM_RSA_EXPONENT1, "dp", true);
        push(OSSL_PKEY_PARAM_RSA_EXPONENT2, "dq", true);
        push(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, "qi", true);
    }
    KeyMaterial m;
    m.family = KeyFamily::Rsa;
    m.pkey = from_params("RSA", bld.get(), "RSA");
    int bits = EVP_PKEY_get_bits(m.pkey.get());
    if (bits != 2048 && bits != 3072 && bits != 4096)
        bad_parameter("key.n: RSA modulus must be 2048, 3072 or 4096 bits");
    return m;
}

KeyMaterial ec_from_jwk(const nlohmann::json& key) {
    if (!key.contains("crv") || !key["crv"].is_string())
        bad_parameter("key.crv is required for EC keys");
    const CurveInfo* curve = curve_by_crv(key["crv"].get<std::string>());
    if (!curve)
        bad_parameter("key.crv: unsupported curve " + key["crv"].get<std::string>());
    Bytes x = field_bytes(key, "x"), y = field_bytes(key, "y"), d = field_bytes(key, "d");
    if (x.size() > curve->field_bytes || y.size() > curve->field_bytes)
        bad_parameter("key.x/key.y: coordinate longer than the curve size");
    Bytes point(1 + 2 * curve->field_bytes, 0);
    point[0] = 0x04;
    std::copy(x.begin(), x.end(), point.begin() + 1 + (curve->field_bytes - x.size()));
    std::copy(y.begin(), y.end(), point.end() - static_cast<long>(y.size()));
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
    Bn priv(to_bn(d), BN_free);
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                     point.size());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
    KeyMaterial m;
    m.family = KeyFamily::Ec;
    m.pkey = from_params("EC", bld.get(), "EC");
    return m;
}

}  // namespace

const CurveInfo* curve_by_crv(const std::string& crv) {
    for (auto& c : kCurves)
        if (crv == c.crv)
            return &c;
    return nullptr;
}

const CurveInfo* curve_by_group(const std::string& group) {
    for (auto& c : kCurves)
        if (group == c.group)
            return &c;
    return nullptr;
}

void finish_material(KeyMaterial& m) {
    m.public_fields = nlohmann::json::object();
    if (m.family == KeyFamily::Oct) {
        m.bits = static_cast<int>(m.oct.size() * 8);
        return;  // symmetric keys expose no material at all
    }
    EVP_PKEY* k = m.pkey.get();
    if (m.family == KeyFamily::Rsa) {
        m.bits = EVP_PKEY_get_bits(k);
        m.public_fields["n"] = bn_b64(get_bn(k, OSSL_PKEY_PARAM_RSA_N).get());
        m.public_fields["e"] = bn_b64(get_bn(k, OSSL_PKEY_PARAM_RSA_E).get());
        return;
    }
    char group[64] = {0};
    EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
    m.curve = curve_by_group(group);
    if (!m.curve)
        throw std::runtime_error(std::string("unsupported EC group ") + group);
    m.bits = EVP_PKEY_get_bits(k);
    int len = static_cast<int>(m.curve->field_bytes);
    m.public_fields["crv"] = m.curve->crv;
    m.public_fields["x"] = bn_b64(get_bn(k, OSSL_PKEY_PARAM_EC_PUB_X).get(), len);
    m.public_fields["y"] = bn_b64(get_bn(k, OSSL_PKEY_PARAM_EC_PUB_Y).get(), len);
}

KeyMaterial material_from_jwk(const nlohmann::json& key, const std::string& family_kty) {
    KeyMaterial m;
    if (family_kty == "RSA") {
        m = rsa_from_jwk(key);
    } else if (family_kty == "EC") {
        m = ec_from_jwk(key);
    } else {
        m.family = KeyFamily::Oct;
        m.oct = field_bytes(key, "k");
        if (m.oct.size() != 16 && m.oct.size() != 24 && m.oct.size() != 32)
            bad_parameter("key.k: symmetric keys must be 128, 192 or 256 bits");
    }
    finish_material(m);
    return m;
}

std::string material_to_private(const KeyMaterial& m) {
    if (m.family == KeyFamily::Oct)
        return b64url_encode(m.oct);
    return pkey_to_pem(m.pkey.get());
}

KeyMaterial material_from_private(KeyFamily family, const std::string& data) {
    KeyMaterial m;
    m.family = family;
    if (family == KeyFamily::Oct) {
        auto b = b64_decode(data);
        if (!b)
            throw std::runtime_error("corrupt symmetric key in state");
        m.oct = *b;
    } else {
        m.pkey = wrap_pkey(pkey_from_pem(data));
        if (!m.pkey)
            throw std::runtime_error("corrupt private key in state");
    }
    finish_material(m);
    return m;
}

}  // namespace azkv::emu
