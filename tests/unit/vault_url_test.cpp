#include "azkv/keyvault/vault_url.h"

#include <gtest/gtest.h>

namespace azkv::keyvault {
namespace {

TEST(VaultUrl, ParsesPublicCloudVault) {
    auto v = VaultUrl::Parse("https://MyVault.vault.azure.net/");
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->origin(), "https://myvault.vault.azure.net");
    EXPECT_EQ(v->kind(), ServiceKind::kVault);
    EXPECT_EQ(v->known_resource().value(), "https://vault.azure.net");
}

TEST(VaultUrl, KnowsManagedHsmAndSovereignClouds) {
    auto h = VaultUrl::Parse("https://hsm1.managedhsm.azure.net");
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->kind(), ServiceKind::kManagedHsm);
    EXPECT_EQ(h->known_resource().value(), "https://managedhsm.azure.net");
    auto cn = VaultUrl::Parse("https://v.vault.azure.cn");
    EXPECT_EQ(cn->known_resource().value(), "https://vault.azure.cn");
    auto gov = VaultUrl::Parse("https://h.managedhsm.usgovcloudapi.net");
    EXPECT_EQ(gov->kind(), ServiceKind::kManagedHsm);
    EXPECT_EQ(gov->known_resource().value(), "https://managedhsm.usgovcloudapi.net");
}

TEST(VaultUrl, OtherHostsHaveNoKnownResourceAndKeepPort) {
    auto v = VaultUrl::Parse("https://localhost:8443");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->origin(), "https://localhost:8443");
    EXPECT_FALSE(v->known_resource().has_value());
    EXPECT_EQ(VaultUrl::Parse("https://v.vault.azure.net:443")->origin(),
              "https://v.vault.azure.net");
}

TEST(VaultUrl, RefusesPlainHttpWithAClearMessage) {
    auto v = VaultUrl::Parse("http://myvault.vault.azure.net");
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.status().message().find("http://"), std::string::npos);
    EXPECT_NE(v.status().message().find("https"), std::string::npos);
}

TEST(VaultUrl, RefusesPathsQueriesAndUserInfo) {
    EXPECT_FALSE(VaultUrl::Parse("https://v.vault.azure.net/keys").ok());
    EXPECT_FALSE(VaultUrl::Parse("https://v.vault.azure.net?x=1").ok());
    EXPECT_FALSE(VaultUrl::Parse("https://user@v.vault.azure.net").ok());
    EXPECT_FALSE(VaultUrl::Parse("https://v.vault.azure.net:99999").ok());
    EXPECT_FALSE(VaultUrl::Parse("https://").ok());
    EXPECT_FALSE(VaultUrl::Parse("https://bad host").ok());
}

TEST(ChallengeResource, AcceptsOwnOriginAndKnownCloudsOnly) {
    auto emu = *VaultUrl::Parse("https://localhost:8443");
    EXPECT_TRUE(ChallengeResourceAcceptable(emu, "https://localhost:8443"));
    EXPECT_TRUE(ChallengeResourceAcceptable(emu, "https://localhost:8443/"));
    EXPECT_TRUE(ChallengeResourceAcceptable(emu, "https://vault.azure.net"));
    EXPECT_FALSE(ChallengeResourceAcceptable(emu, "https://evil.example.com"));
    EXPECT_FALSE(ChallengeResourceAcceptable(emu, "https://management.azure.com"));
    EXPECT_FALSE(ChallengeResourceAcceptable(emu, "https://localhost:9999"));
}

TEST(ObjectId, ParsesVersionedAndUnversionedKids) {
    auto id = ObjectId::Parse(
        "https://myvault.vault.azure.net/keys/mykey/324228804787436BA55641CAD3D2C03B");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(id->vault.origin(), "https://myvault.vault.azure.net");
    EXPECT_EQ(id->collection, "keys");
    EXPECT_EQ(id->name, "mykey");
    EXPECT_EQ(id->version, "324228804787436ba55641cad3d2c03b");
    auto latest = ObjectId::Parse("https://localhost:8443/keys/k-1/");
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(latest->version, "");
    EXPECT_EQ(latest->ToString(), "https://localhost:8443/keys/k-1");
    auto cert = ObjectId::Parse("https://v.vault.azure.net/certificates/web");
    ASSERT_TRUE(cert.ok());
    EXPECT_EQ(cert->collection, "certificates");
}

TEST(ObjectId, RejectsMalformedIds) {
    EXPECT_FALSE(ObjectId::Parse("https://v.vault.azure.net/keys").ok());
    EXPECT_FALSE(ObjectId::Parse("https://v.vault.azure.net/blobs/x").ok());
    EXPECT_FALSE(ObjectId::Parse("https://v.vault.azure.net/keys/bad_name").ok());
    EXPECT_FALSE(ObjectId::Parse("https://v.vault.azure.net/keys/k/notaversion").ok());
    EXPECT_FALSE(ObjectId::Parse("https://v.vault.azure.net/keys/k/v/extra/more").ok());
    EXPECT_FALSE(ObjectId::Parse("http://v.vault.azure.net/keys/k").ok());
    EXPECT_FALSE(ObjectId::Parse("https://v.vault.azure.net/keys/k?api-version=7.5").ok());
    EXPECT_FALSE(ObjectId::Parse(std::string(200, 'a')).ok());
    EXPECT_FALSE(IsValidObjectName(std::string(128, 'a')));
    EXPECT_TRUE(IsValidObjectName(std::string(127, 'a')));
}

}  // namespace
}  // namespace azkv::keyvault
