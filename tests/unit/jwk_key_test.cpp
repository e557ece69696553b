#include "azkv/keyvault/jwk_key.h"

#include <gtest/gtest.h>

#include "test_keys.h"

namespace azkv::keyvault {
namespace {

TEST(JwkKey, RsaModulusWithLeadingZeroIsStripped) {
    auto priv = testing::GenerateRsa(2048);
    auto b = testing::BundleFor(
        priv.get(), "https://v.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef");
    b.key.n.insert(b.key.n.begin(), 0x00);  // as lowkey-vault's BigInteger output
    auto k = PublicKeyFromJwk(b.key);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    EXPECT_EQ(EVP_PKEY_get_bits(k->get()), 2048);
    EXPECT_EQ(EVP_PKEY_eq(k->get(), priv.get()), 1);
}

TEST(JwkKey, EcCoordinatesAreLeftPadded) {
    // Find a P-256 key whose x starts with a zero byte, then send x without it.
    for (int i = 0; i < 2000; ++i) {
        auto priv = testing::GenerateEc("P-256");
        auto b = testing::BundleFor(
            priv.get(), "https://v.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef",
            "P-256", 32);
        if (b.key.x[0] != 0)
            continue;
        b.key.x.erase(b.key.x.begin());
        auto k = PublicKeyFromJwk(b.key);
        ASSERT_TRUE(k.ok()) << k.status().ToString();
        EXPECT_EQ(EVP_PKEY_eq(k->get(), priv.get()), 1);
        return;
    }
    GTEST_SKIP() << "no key with a leading zero coordinate in 2000 tries";
}

TEST(JwkKey, RejectsPointsOffTheCurveAndNonsense) {
    auto priv = testing::GenerateEc("P-256");
    auto b = testing::BundleFor(priv.get(),
                                "https://v.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef",
                                "P-256", 32);
    b.key.y[31] ^= 1;
    auto k = PublicKeyFromJwk(b.key);
    ASSERT_FALSE(k.ok());
    EXPECT_EQ(k.status().code(), ErrorCode::kBadResponse);
    JsonWebKey bad;
    bad.kty = "EC-HSM";
    bad.crv = "P-999";
    EXPECT_FALSE(PublicKeyFromJwk(bad).ok());
    JsonWebKey tiny;
    tiny.kty = "RSA-HSM";
    tiny.n = {1, 2, 3};
    tiny.e = {1, 0, 1};
    EXPECT_FALSE(PublicKeyFromJwk(tiny).ok());
    JsonWebKey oct;
    oct.kty = "oct-HSM";
    EXPECT_FALSE(PublicKeyFromJwk(oct).ok());
}

TEST(JwkKey, CurveNames) {
    EXPECT_EQ(CurveToGroupName("P-256K"), "secp256k1");
    EXPECT_EQ(CurveFieldBytes("P-521"), 66u);
    EXPECT_EQ(CurveFieldBytes("nope"), 0u);
}

}  // namespace
}  // namespace azkv::keyvault
