// Fail-secure defaults: software-protected keys are refused unless the vault entry allows them,
// and vault URLs must be https (config, kid and URI alike).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_fixture.h"

namespace azkv::itest {
namespace {

using ::testing::HasSubstr;

class KeyPolicy : public CoreSuite {
protected:
    std::string CreateKey(const std::string& kty) {
        auto rt = MakeRuntime();
        auto c = rt->Vault(VaultUrl());
        EXPECT_TRUE(c.ok());
        std::string name = UniqueName("p");
        keyvault::CreateKeyParams p{.kty = kty};
        if (kty.rfind("EC", 0) == 0)
            p.crv = "P-256";
        else
            p.key_size = 2048;
        auto created = (*c)->CreateKey(name, p);
        EXPECT_TRUE(created.ok()) << created.status().ToString();
        return name;
    }
};

TEST_F(KeyPolicy, SoftwareKeysAreRefusedByDefaultWithTheReason) {
    for (const char* kty : {"EC", "RSA"}) {
        std::string name = CreateKey(kty);
        auto rt = MakeRuntime();
        auto key = rt->Key(VaultUrl(), name, "");
        ASSERT_FALSE(key.ok()) << kty;
        EXPECT_THAT(key.status().message(), HasSubstr(name));
        EXPECT_THAT(key.status().message(), HasSubstr("software-protected"));
        EXPECT_THAT(key.status().message(), HasSubstr("allow_software_keys"));
        auto any = rt->KeyOfAnyKind(VaultUrl(), name, "");
        EXPECT_FALSE(any.ok()) << kty << ": every path applies the policy";
    }
}

TEST_F(KeyPolicy, SoftwareKeysWorkWhereTheVaultEntryAllowsThem) {
    std::string name = CreateKey("EC");
    Config cfg = MakeConfig();
    VaultConfig entry;
    entry.url = VaultUrl();
    entry.allow_software_keys = true;
    cfg.vaults.push_back(entry);
    auto rt = MakeRuntime(cfg);
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    std::vector<uint8_t> digest(32, 7);
    auto plan = (*key)->PlanEcdsaSign(digest);
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE((*key)->Sign(*plan).ok());

    // The permission is per vault: the Managed HSM entry did not get it.
    Config other = MakeConfig();
    VaultConfig hsm;
    hsm.url = VaultUrl("hsm");
    hsm.allow_software_keys = true;
    other.vaults.push_back(hsm);
    auto strict = MakeRuntime(other);
    EXPECT_FALSE(strict->Key(VaultUrl(), name, "").ok());
}

TEST_F(KeyPolicy, HsmKeysAreAcceptedByDefault) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime();
    EXPECT_TRUE(rt->Key(VaultUrl(), name, "").ok());
}

TEST(HttpsOnly, PlainHttpVaultsAreRefusedEverywhere) {
    auto cfg = ParseConfig(R"({"vaults":[{"url":"http://demo.vault.azure.net"}]})", "test.json");
    ASSERT_FALSE(cfg.ok());
    EXPECT_THAT(cfg.status().message(), HasSubstr("https"));
    EXPECT_FALSE(keyvault::VaultUrl::Parse("http://localhost:8443").ok());
    EXPECT_FALSE(keyvault::ObjectId::Parse("http://demo.vault.azure.net/keys/k").ok());
    auto rt = Runtime::Create(Config{});
    ASSERT_TRUE(rt.ok());
    EXPECT_FALSE((*rt)->Vault("http://demo.vault.azure.net").ok());
}

TEST(ChallengeResource, OnlyTheVaultItselfOrAKnownCloudResourceGetsATokenSent) {
    auto vault = keyvault::VaultUrl::Parse("https://localhost:8443");
    ASSERT_TRUE(vault.ok());
    EXPECT_TRUE(keyvault::ChallengeResourceAcceptable(*vault, "https://localhost:8443"));
    EXPECT_TRUE(keyvault::ChallengeResourceAcceptable(*vault, "https://vault.azure.net"));
    EXPECT_FALSE(keyvault::ChallengeResourceAcceptable(*vault, "https://attacker.example"));
    EXPECT_FALSE(
        keyvault::ChallengeResourceAcceptable(*vault, "https://localhost.attacker.example"));
    EXPECT_FALSE(keyvault::ChallengeResourceAcceptable(*vault, "https://management.azure.com"));
}

}  // namespace
}  // namespace azkv::itest
