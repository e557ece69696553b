#include "emu_test_util.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <atomic>

namespace emu_test {

std::string b64url(const Bytes& b) {
    std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(),
                            static_cast<int>(b.size()));
    out.resize(static_cast<size_t>(n));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (auto& c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

Bytes unb64url(const std::string& s) {
    EXPECT_EQ(s.find_first_of("=+/"), std::string::npos) << "not unpadded base64url: " << s;
    std::string t = s;
    for (auto& c : t)
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (t.size() % 4)
        t += '=';
    Bytes out(t.size());
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(t.data()),
                            static_cast<int>(t.size()));
    EXPECT_GE(n, 0);
    size_t pad = 0;
    for (size_t i = t.size(); i > 0 && t[i - 1] == '='; --i)
        ++pad;
    out.resize(static_cast<size_t>(std::max(n, 0)) - pad);
    return out;
}

Bytes sha(const std::string& bits, const std::string& data) {
    const EVP_MD* md = bits == "256" ? EVP_sha256() : bits == "384" ? EVP_sha384() : EVP_sha512();
    Bytes out(static_cast<size_t>(EVP_MD_get_size(md)));
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr);
    return out;
}

Bytes random_bytes(size_t n) {
    Bytes b(n);
    RAND_bytes(b.data(), static_cast<int>(n));
    return b;
}

PKey pkey_from_jwk(const nlohmann::json& jwk) {
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    std::string kty = jwk.at("kty");
    bool rsa = kty.rfind("RSA", 0) == 0;
    std::vector<BIGNUM*> bns;
    Bytes point = {0x04};  // must outlive OSSL_PARAM_BLD_to_param: the builder keeps a pointer
    if (rsa) {
        for (auto [param, field] :
             {std::pair{OSSL_PKEY_PARAM_RSA_N, "n"}, std::pair{OSSL_PKEY_PARAM_RSA_E, "e"}}) {
            Bytes b = unb64url(jwk.at(field));
            bns.push_back(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
            OSSL_PARAM_BLD_push_BN(bld, param, bns.back());
        }
    } else {
        std::string crv = jwk.at("crv");
        const char* group = crv == "P-256"   ? "prime256v1"
                            : crv == "P-384" ? "secp384r1"
                            : crv == "P-521" ? "secp521r1"
                                             : "secp256k1";
        Bytes x = unb64url(jwk.at("x")), y = unb64url(jwk.at("y"));
        point.insert(point.end(), x.begin(), x.end());
        point.insert(point.end(), y.begin(), y.end());
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    }
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, rsa ? "RSA" : "EC", nullptr);
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_fromdata_init(ctx);
    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    for (auto* b : bns)
        BN_free(b);
    EXPECT_NE(pkey, nullptr);
    return PKey(pkey, EVP_PKEY_free);
}

void EmulatorSuite::SetUpTestSuite() {
    EmulatorOptions o;
    o.vaults = {"demo:vault", "hsm:mhsm"};
    emu_ = std::make_unique<EmulatorProcess>(o);
    tokens_.clear();
}

void EmulatorSuite::TearDownTestSuite() {
    emu_.reset();
}

std::string EmulatorSuite::url(const std::string& vault, const std::string& path,
                               const std::string& api) {
    std::string u = emu_->Vault(vault).url + path;
    if (!api.empty())
        u += (path.find('?') == std::string::npos ? "?" : "&") + std::string("api-version=") + api;
    return u;
}

std::string EmulatorSuite::token(const std::string& vault) {
    auto& t = tokens_[vault];
    if (t.empty())
        t = emu_->GetToken(emu_->Vault(vault).resource);
    return t;
}

HttpResponse EmulatorSuite::call(const std::string& method, const std::string& vault,
                                 const std::string& path, const nlohmann::json& body) {
    return emu_->Request(method, url(vault, path), body.is_null() ? "" : body.dump(), token(vault));
}

std::string EmulatorSuite::unique_name(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++n);
}

nlohmann::json EmulatorSuite::create_key(const std::string& vault, const nlohmann::json& params,
                                         std::string* name) {
    std::string n = unique_name("k");
    if (name)
        *name = n;
    auto r = call("POST", vault, "/keys/" + n + "/create", params);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
}

}  // namespace emu_test
