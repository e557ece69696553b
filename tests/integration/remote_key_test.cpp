// RemoteKey against the emulator: every signature algorithm and every RSA decryption, each
// result checked by OpenSSL with a public key built by the test from the vault's raw JWK
// (not by core's own conversion).
#include <gmock/gmock.h>
#include <openssl/rsa.h>

#include "azkv/keys/ecdsa.h"
#include "core_fixture.h"

namespace azkv::itest {
namespace {

class RemoteKeyTest : public CoreSuite {
protected:
    void SetUp() override { rt_ = MakeRuntime(); }

    // Creates a key and returns it plus an independent public key from the raw JWK.
    std::pair<std::shared_ptr<const keys::RemoteKey>, emu_test::PKey> Make(
        const nlohmann::json& params, const std::string& vault = "demo") {
        std::string name = UniqueName("k");
        auto token = emu().GetToken(emu().Vault(vault).resource);
        auto r =
            emu().Request("POST", VaultUrl(vault) + "/keys/" + name + "/create?api-version=7.5",
                          params.dump(), token);
        EXPECT_EQ(r.status, 200) << r.body;
        auto key = rt_->Key(VaultUrl(vault), name, "");
        EXPECT_TRUE(key.ok()) << key.status().ToString();
        return {key.ok() ? *key : nullptr, emu_test::pkey_from_jwk(r.Json()["key"])};
    }

    std::shared_ptr<Runtime> rt_;
};

std::vector<uint8_t> Digest(keys::DigestAlg alg, const std::string& msg) {
    std::vector<uint8_t> d(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    EVP_Digest(msg.data(), msg.size(), d.data(), &len, keys::DigestMd(alg), nullptr);
    d.resize(len);
    return d;
}

bool OpensslVerifyRsa(EVP_PKEY* pub, keys::DigestAlg alg, bool pss,
                      const std::vector<uint8_t>& digest, const std::vector<uint8_t>& sig) {
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pub, nullptr));
    EVP_PKEY_verify_init(ctx.get());
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx.get(), keys::DigestMd(alg));
    if (pss)
        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST);
    return EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), digest.data(), digest.size()) == 1;
}

class RsaSizes : public RemoteKeyTest, public ::testing::WithParamInterface<int> {};

TEST_P(RsaSizes, SignsEveryPaddingAndDigestVerifiedByOpenssl) {
    auto [key, pub] = Make({{"kty", "RSA-HSM"}, {"key_size", GetParam()}});
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->bits(), GetParam());
    using keys::DigestAlg;
    for (auto alg : {DigestAlg::kSha1, DigestAlg::kSha224, DigestAlg::kSha256, DigestAlg::kSha384,
                     DigestAlg::kSha512}) {
        for (bool pss : {false, true}) {
            bool sha2 =
                alg == DigestAlg::kSha256 || alg == DigestAlg::kSha384 || alg == DigestAlg::kSha512;
            if (pss && !sha2)
                continue;  // Key Vault has no PSS with SHA-1/224
            auto d = Digest(alg, "tls handshake transcript");
            auto plan =
                key->PlanRsaSign(alg, d, pss ? keys::RsaPadding::kPss : keys::RsaPadding::kPkcs1);
            ASSERT_TRUE(plan.ok()) << plan.status().ToString();
            auto sig = key->Sign(*plan);
            ASSERT_TRUE(sig.ok()) << plan->alg << ": " << sig.status().ToString();
            EXPECT_EQ(sig->size(), static_cast<size_t>(GetParam() / 8));
            EXPECT_TRUE(OpensslVerifyRsa(pub.get(), alg, pss, d, *sig))
                << plan->alg << " " << keys::DigestName(alg);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Bits, RsaSizes, ::testing::Values(2048, 3072, 4096));

TEST_F(RemoteKeyTest, Md5Sha1ForTls10SignsThroughRsnull) {
    auto [key, pub] = Make({{"kty", "RSA-HSM"}, {"key_size", 2048}});
    auto d = Digest(keys::DigestAlg::kMd5Sha1, "legacy");
    auto plan = key->PlanRsaSign(keys::DigestAlg::kMd5Sha1, d, keys::RsaPadding::kPkcs1);
    ASSERT_TRUE(plan.ok());
    auto sig = key->Sign(*plan);
    ASSERT_TRUE(sig.ok()) << sig.status().ToString();
    // Raw PKCS#1 v1.5 recovery with OpenSSL must give back the 36 bytes.
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pub.get(), nullptr));
    EVP_PKEY_verify_recover_init(ctx.get());
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
    std::vector<uint8_t> out(256);
    size_t len = out.size();
    ASSERT_EQ(EVP_PKEY_verify_recover(ctx.get(), out.data(), &len, sig->data(), sig->size()), 1);
    out.resize(len);
    EXPECT_EQ(out, d);
}

TEST_F(RemoteKeyTest, ManagedHsmSignsSha2ButRefusesRsnullInputs) {
    auto [key, pub] = Make({{"kty", "RSA-HSM"}, {"key_size", 2048}}, "hsm");
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(key->managed_hsm());
    auto d = Digest(keys::DigestAlg::kSha256, "m");
    auto plan = key->PlanRsaSignRaw(keys::BuildDigestInfo(keys::DigestAlg::kSha256, d));
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->alg, "RS256");
    auto sig = key->Sign(*plan);
    ASSERT_TRUE(sig.ok()) << sig.status().ToString();
    EXPECT_TRUE(OpensslVerifyRsa(pub.get(), keys::DigestAlg::kSha256, false, d, *sig));
    EXPECT_FALSE(key->PlanRsaSign(keys::DigestAlg::kSha1, Digest(keys::DigestAlg::kSha1, "m"),
                                  keys::RsaPadding::kPkcs1)
                     .ok());
}

struct Curve {
    const char* crv;
    size_t raw_len;
};

class Curves : public RemoteKeyTest, public ::testing::WithParamInterface<Curve> {};

TEST_P(Curves, SignsAnyDigestVerifiedByOpenssl) {
    auto [key, pub] = Make({{"kty", "EC-HSM"}, {"crv", GetParam().crv}});
    ASSERT_NE(key, nullptr);
    using keys::DigestAlg;
    for (auto alg :
         {DigestAlg::kSha1, DigestAlg::kSha256, DigestAlg::kSha384, DigestAlg::kSha512}) {
        auto d = Digest(alg, "payload");
        auto plan = key->PlanEcdsaSign(d);
        ASSERT_TRUE(plan.ok()) << plan.status().ToString();
        auto sig = key->Sign(*plan);
        ASSERT_TRUE(sig.ok()) << sig.status().ToString();
        EXPECT_EQ(sig->size(), GetParam().raw_len);
        auto der = keys::EcdsaRawToDer(*sig);
        EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pub.get(), nullptr));
        EVP_PKEY_verify_init(ctx.get());
        // OpenSSL applies ECDSA's truncation to the original digest itself.
        EXPECT_EQ(EVP_PKEY_verify(ctx.get(), der->data(), der->size(), d.data(), d.size()), 1)
            << GetParam().crv << " " << keys::DigestName(alg);
    }
}

INSTANTIATE_TEST_SUITE_P(All, Curves,
                         ::testing::Values(Curve{"P-256", 64}, Curve{"P-256K", 64},
                                           Curve{"P-384", 96}, Curve{"P-521", 132}));

TEST_F(RemoteKeyTest, DecryptsAndUnwrapsEveryRsaPaddingEncryptedByOpenssl) {
    auto [key, pub] = Make({{"kty", "RSA-HSM"}, {"key_size", 2048}});
    std::vector<uint8_t> secret = emu_test::random_bytes(32);
    for (auto alg : {keys::RsaEncryption::kPkcs1, keys::RsaEncryption::kOaepSha1,
                     keys::RsaEncryption::kOaepSha256}) {
        EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pub.get(), nullptr));
        EVP_PKEY_encrypt_init(ctx.get());
        if (alg == keys::RsaEncryption::kPkcs1) {
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
        } else {
            const EVP_MD* md =
                EVP_get_digestbyname(alg == keys::RsaEncryption::kOaepSha1 ? "SHA1" : "SHA256");
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING);
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md);
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md);
        }
        std::vector<uint8_t> ct(256);
        size_t len = ct.size();
        ASSERT_EQ(EVP_PKEY_encrypt(ctx.get(), ct.data(), &len, secret.data(), secret.size()), 1);
        for (bool unwrap : {false, true}) {
            auto plan = key->PlanDecrypt(alg, ct, unwrap);
            ASSERT_TRUE(plan.ok());
            auto pt = key->Decrypt(*plan);
            ASSERT_TRUE(pt.ok()) << plan->alg << ": " << pt.status().ToString();
            EXPECT_EQ(std::vector<uint8_t>(pt->begin(), pt->end()), secret) << plan->alg;
        }
    }
}

TEST_F(RemoteKeyTest, KeyCacheHonoursTtlForLatestAndPinsVersions) {
    Config cfg = MakeConfig();
    cfg.cache.key_ttl_s = 1;
    auto rt = MakeRuntime(cfg);
    std::string name = UniqueName("rot");
    auto token = emu().GetToken(emu().Vault("demo").resource);
    std::string create = VaultUrl() + "/keys/" + name + "/create?api-version=7.5";
    ASSERT_EQ(emu().Request("POST", create, R"({"kty":"EC-HSM","crv":"P-256"})", token).status,
              200);
    auto first = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(emu().Request("POST", create, R"({"kty":"EC-HSM","crv":"P-256"})", token).status,
              200);
    auto cached = rt->Key(VaultUrl(), name, "");
    EXPECT_EQ((*cached)->version(), (*first)->version()) << "served from cache within the TTL";
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto rotated = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(rotated.ok());
    EXPECT_NE((*rotated)->version(), (*first)->version()) << "rotation picked up after the TTL";
    auto pinned = rt->Key(VaultUrl(), name, (*first)->version());
    EXPECT_EQ((*pinned)->version(), (*first)->version());
}

}  // namespace
}  // namespace azkv::itest
