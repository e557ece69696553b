// Every REST operation of keyvault::Client against the emulator.
#include <gmock/gmock.h>

#include "azkv/keys/ecdsa.h"
#include "azkv/keyvault/client.h"
#include "core_fixture.h"

namespace azkv::itest {
namespace {

using ::testing::HasSubstr;

class KeyVaultClientTest : public CoreSuite {
protected:
    void SetUp() override {
        rt_ = MakeRuntime();
        auto c = rt_->Vault(VaultUrl());
        ASSERT_TRUE(c.ok()) << c.status().ToString();
        client_ = *c;
    }
    std::shared_ptr<Runtime> rt_;
    std::shared_ptr<keyvault::Client> client_;
};

TEST_F(KeyVaultClientTest, CreatesGetsAndVersionsKeys) {
    std::string name = UniqueName("rsa");
    auto created = client_->CreateKey(name, {.kty = "RSA-HSM", .key_size = 2048});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_EQ(created->key.kty, "RSA-HSM");
    EXPECT_EQ(created->key.n.size(), 256u);
    auto id = keyvault::ObjectId::Parse(created->key.kid);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(id->name, name);
    EXPECT_EQ(id->version.size(), 32u);

    auto latest = client_->GetKey(name);
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    EXPECT_EQ(latest->key.kid, created->key.kid);
    auto pinned = client_->GetKey(name, id->version);
    ASSERT_TRUE(pinned.ok());
    EXPECT_EQ(pinned->key.n, created->key.n);

    auto second = client_->CreateKey(name, {.kty = "RSA-HSM", .key_size = 2048});
    ASSERT_TRUE(second.ok());
    auto versions = client_->ListKeyVersions(name);
    ASSERT_TRUE(versions.ok()) << versions.status().ToString();
    EXPECT_EQ(versions->size(), 2u);
    auto now_latest = client_->GetKey(name);
    EXPECT_EQ(now_latest->key.kid, second->key.kid);
}

TEST_F(KeyVaultClientTest, ListFollowsEveryPage) {
    // More keys than one page (25) holds, in a vault of its own.
    EmulatorProcess own({.vaults = {"pages:vault"}});
    Config cfg = MakeConfig();
    cfg.identity.endpoint = own.Info().imds_endpoint;
    cfg.http.ca_file = own.Info().ca_file;
    auto rt = MakeRuntime(cfg);
    auto c = *rt->Vault(own.Vault("pages").url);
    for (int i = 0; i < 30; ++i) {
        ASSERT_TRUE(c->CreateKey("k" + std::to_string(i), {.kty = "EC-HSM", .crv = "P-256"}).ok());
    }
    auto items = c->ListKeys();
    ASSERT_TRUE(items.ok()) << items.status().ToString();
    EXPECT_EQ(items->size(), 30u);
    auto stats = own.Stats();
    EXPECT_GE(stats["operations"].value("list", 0), 2) << stats.dump();
}

TEST_F(KeyVaultClientTest, UpdateDisablesAndDeleteRemoves) {
    std::string name = UniqueName("ec");
    auto created = client_->CreateKey(name, {.kty = "EC-HSM", .crv = "P-384"});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    auto disabled = client_->UpdateKey(name, "", {.enabled = false});
    ASSERT_TRUE(disabled.ok()) << disabled.status().ToString();
    EXPECT_FALSE(disabled->attributes.enabled);
    auto get = client_->GetKey(name);
    ASSERT_FALSE(get.ok());
    EXPECT_EQ(get.status().code(), ErrorCode::kKeyDisabled);
    EXPECT_THAT(get.status().message(), HasSubstr(name));
    EXPECT_THAT(get.status().message(), HasSubstr(VaultUrl()));
    ASSERT_TRUE(client_->UpdateKey(name, "", {.enabled = true}).ok());
    ASSERT_TRUE(client_->GetKey(name).ok());
    ASSERT_TRUE(client_->DeleteKey(name).ok());
    auto gone = client_->GetKey(name);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.status().code(), ErrorCode::kNotFound);
    EXPECT_EQ(gone.status().http_status(), 404);
    EXPECT_FALSE(gone.status().request_id().empty());
}

TEST_F(KeyVaultClientTest, NotFoundNamesVaultKeyOperationAndRemedy) {
    auto r = client_->GetKey("no-such-key");
    ASSERT_FALSE(r.ok());
    const std::string& m = r.status().message();
    EXPECT_THAT(m, HasSubstr(VaultUrl()));
    EXPECT_THAT(m, HasSubstr("no-such-key"));
    EXPECT_THAT(m, HasSubstr("get"));
    EXPECT_THAT(m, HasSubstr("check the name"));
}

TEST_F(KeyVaultClientTest, ImportsAJwkAndSignsWithIt) {
    // Import a key made here, so the test knows the private half independently.
    EvpPkeyPtr priv(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    BIGNUM *x = nullptr, *y = nullptr, *d = nullptr;
    EVP_PKEY_get_bn_param(priv.get(), "qx", &x);
    EVP_PKEY_get_bn_param(priv.get(), "qy", &y);
    EVP_PKEY_get_bn_param(priv.get(), "priv", &d);
    auto b64 = [](BIGNUM* bn) {
        std::vector<unsigned char> b(32);
        BN_bn2binpad(bn, b.data(), 32);
        BN_free(bn);
        return emu_test::b64url(b);
    };
    nlohmann::json jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", b64(x)},
                          {"y", b64(y)}, {"d", b64(d)},    {"key_ops", {"sign", "verify"}}};
    std::string name = UniqueName("imported");
    auto imported = client_->ImportKey(name, jwk, true, {});
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    EXPECT_EQ(imported->key.kty, "EC-HSM");
    auto key = rt_->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    std::vector<uint8_t> digest(32, 0x5a);
    auto plan = (*key)->PlanEcdsaSign(digest);
    auto sig = (*key)->Sign(*plan);
    ASSERT_TRUE(sig.ok()) << sig.status().ToString();
    // Verify with the private key's own public half, independent of the vault's JWK.
    auto der = keys::EcdsaRawToDer(*sig);
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv.get(), nullptr));
    EVP_PKEY_verify_init(ctx.get());
    EXPECT_EQ(EVP_PKEY_verify(ctx.get(), der->data(), der->size(), digest.data(), digest.size()),
              1);
}

TEST_F(KeyVaultClientTest, RemoteVerifyAnswersTrueAndFalse) {
    std::string name = UniqueName("ver");
    auto created = client_->CreateKey(name, {.kty = "EC-HSM", .crv = "P-256"});
    ASSERT_TRUE(created.ok());
    auto id = *keyvault::ObjectId::Parse(created->key.kid);
    std::vector<uint8_t> digest(32, 1);
    auto sig = client_->Sign(name, id.version, "ES256", digest);
    ASSERT_TRUE(sig.ok()) << sig.status().ToString();
    std::vector<uint8_t> s(sig->value.begin(), sig->value.end());
    EXPECT_TRUE(*client_->Verify(name, id.version, "ES256", digest, s));
    s[0] ^= 1;
    EXPECT_FALSE(*client_->Verify(name, id.version, "ES256", digest, s));
}

TEST_F(KeyVaultClientTest, ManagedHsmGivesRandomBytes) {
    auto c = rt_->Vault(VaultUrl("hsm"));
    ASSERT_TRUE(c.ok());
    auto r = (*c)->GetRandomBytes(64);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->size(), 64u);
    EXPECT_FALSE((*c)->GetRandomBytes(129).ok());
    EXPECT_FALSE((*c)->GetRandomBytes(0).ok());
}

TEST_F(KeyVaultClientTest, RemoteEncryptAndWrapRoundTripThroughDecryptAndUnwrap) {
    std::string name = UniqueName("enc");
    auto created = client_->CreateKey(name, {.kty = "RSA-HSM", .key_size = 2048});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    auto version = keyvault::ObjectId::Parse(created->key.kid)->version;
    std::vector<uint8_t> secret(32, 0x7e);
    for (auto [enc, dec] : {std::pair{"encrypt", "decrypt"}, {"wrapkey", "unwrapkey"}}) {
        for (const char* alg : {"RSA1_5", "RSA-OAEP", "RSA-OAEP-256"}) {
            keyvault::Client::CipherInput in{alg, secret.data(), secret.size()};
            auto ct = client_->Cipher(enc, name, version, in);
            ASSERT_TRUE(ct.ok()) << enc << " " << alg << ": " << ct.status().ToString();
            EXPECT_EQ(ct->value.size(), 256u);
            keyvault::Client::CipherInput back{alg, ct->value.data(), ct->value.size()};
            auto pt = client_->Cipher(dec, name, version, back);
            ASSERT_TRUE(pt.ok()) << dec << " " << alg << ": " << pt.status().ToString();
            EXPECT_EQ(std::vector<uint8_t>(pt->value.begin(), pt->value.end()), secret);
        }
    }
}

TEST_F(KeyVaultClientTest, UntrustedServerCertificateFailsWithTheFix) {
    Config cfg = MakeConfig(/*retry_budget_ms=*/0);
    cfg.http.ca_file = "";  // the system store does not know the emulator's CA
    auto rt = MakeRuntime(cfg);
    auto c = rt->Vault(VaultUrl());
    ASSERT_TRUE(c.ok());
    auto r = (*c)->GetKey("anything");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
    EXPECT_THAT(r.status().message(), HasSubstr("not trusted"));
    EXPECT_THAT(r.status().message(), HasSubstr("ca_file"));
}

TEST_F(KeyVaultClientTest, PlainHttpVaultIsRefusedByName) {
    auto c = rt_->Vault("http://demo.vault.azure.net");
    ASSERT_FALSE(c.ok());
    EXPECT_THAT(c.status().message(), HasSubstr("http://"));
}

}  // namespace
}  // namespace azkv::itest
