// A vault that answers with well-formed but wrong responses (emulator "hostile" modes): every
// one becomes a clear error; no wrong signature, plaintext or key reaches the caller.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core_fixture.h"

namespace azkv::itest {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

class HostileResponses : public CoreSuite {
protected:
    void SetUp() override { emu().ClearFaults(); }
    void TearDown() override { emu().ClearFaults(); }

    // Creates a key through a setup runtime; returns its name.
    std::string CreateKey(const std::string& kty) {
        auto rt = MakeRuntime();
        auto c = rt->Vault(VaultUrl());
        EXPECT_TRUE(c.ok());
        std::string name = UniqueName("h");
        keyvault::CreateKeyParams p{.kty = kty};
        if (kty == "EC-HSM")
            p.crv = "P-256";
        else
            p.key_size = 2048;
        auto created = (*c)->CreateKey(name, p);
        EXPECT_TRUE(created.ok()) << created.status().ToString();
        return name;
    }

    static StatusOr<std::vector<uint8_t>> SignWith(const keys::RemoteKey& key) {
        std::vector<uint8_t> digest(32, 0x42);
        auto plan = key.PlanEcdsaSign(digest);
        if (!plan.ok())
            return plan.status();
        return key.Sign(*plan);
    }
};

TEST_F(HostileResponses, HugeBodyIsRefusedNotBuffered) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime(MakeConfig(/*retry_budget_ms=*/0));
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    emu().SetFaults({{"hostile", "huge_body"}, {"operations", {"sign"}}});
    auto sig = SignWith(**key);
    ASSERT_FALSE(sig.ok());
    EXPECT_THAT(sig.status().message(), HasSubstr(VaultUrl())) << sig.status().ToString();
    EXPECT_THAT(sig.status().message(), AnyOf(HasSubstr("large"), HasSubstr("bytes")))
        << sig.status().ToString();
}

TEST_F(HostileResponses, ShortSignatureIsRefused) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime();
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    emu().SetFaults({{"hostile", "short_result"}, {"operations", {"sign"}}});
    auto sig = SignWith(**key);
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.status().code(), ErrorCode::kBadResponse) << sig.status().ToString();
    EXPECT_THAT(sig.status().message(), HasSubstr(name));
}

TEST_F(HostileResponses, LongSignatureIsRefused) {
    std::string name = CreateKey("RSA-HSM");
    auto rt = MakeRuntime();
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    emu().SetFaults({{"hostile", "long_result"}, {"operations", {"sign"}}});
    std::vector<uint8_t> digest(32, 0x42);
    auto plan = (*key)->PlanRsaSign(keys::DigestAlg::kSha256, digest, keys::RsaPadding::kPkcs1);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    auto sig = (*key)->Sign(*plan);
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.status().code(), ErrorCode::kBadResponse) << sig.status().ToString();
}

// Right length, wrong bytes: only the check against the public key catches it, for ECDSA
// (r||s) and for RSA alike, under the default "verify_signatures": "all".
TEST_F(HostileResponses, WrongSignatureOfTheRightLengthIsRefused) {
    for (const std::string kty : {"EC-HSM", "RSA-HSM"}) {
        SCOPED_TRACE(kty);
        std::string name = CreateKey(kty);
        auto rt = MakeRuntime();
        auto key = rt->Key(VaultUrl(), name, "");
        ASSERT_TRUE(key.ok()) << key.status().ToString();
        std::vector<uint8_t> digest(32, 0x42);
        auto plan = kty == "EC-HSM" ? (*key)->PlanEcdsaSign(digest)
                                    : (*key)->PlanRsaSign(keys::DigestAlg::kSha256, digest,
                                                          keys::RsaPadding::kPss);
        ASSERT_TRUE(plan.ok()) << plan.status().ToString();
        ASSERT_TRUE((*key)->Sign(*plan).ok()) << "a sane vault's signature passes the check";
        emu().SetFaults({{"hostile", "wrong_signature"}, {"operations", {"sign"}}});
        auto sig = (*key)->Sign(*plan);
        emu().ClearFaults();
        ASSERT_FALSE(sig.ok()) << "a wrong signature was passed on";
        EXPECT_EQ(sig.status().code(), ErrorCode::kBadResponse) << sig.status().ToString();
        EXPECT_THAT(sig.status().message(), HasSubstr(name));
        EXPECT_THAT(sig.status().message(), HasSubstr("does not verify"));
    }
}

TEST_F(HostileResponses, OverlongPlaintextIsRefused) {
    std::string name = CreateKey("RSA-HSM");
    auto rt = MakeRuntime();
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    std::vector<uint8_t> secret(200, 0x33);  // 200 + 1 + 11 > 256: one byte too many
    auto ct = (*key)->EncryptLocal(keys::RsaEncryption::kPkcs1, secret);
    ASSERT_TRUE(ct.ok()) << ct.status().ToString();
    auto plan = (*key)->PlanDecrypt(keys::RsaEncryption::kPkcs1, *ct, false);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    ASSERT_TRUE((*key)->Decrypt(*plan).ok()) << "a sane vault decrypts it";
    // 245 bytes is the PKCS#1 v1.5 limit for RSA-2048; 246 cannot be a real plaintext.
    std::vector<uint8_t> max(245, 0x33);
    ct = (*key)->EncryptLocal(keys::RsaEncryption::kPkcs1, max);
    ASSERT_TRUE(ct.ok());
    plan = (*key)->PlanDecrypt(keys::RsaEncryption::kPkcs1, *ct, false);
    ASSERT_TRUE(plan.ok());
    emu().SetFaults({{"hostile", "long_result"}, {"operations", {"decrypt"}}});
    auto pt = (*key)->Decrypt(*plan);
    ASSERT_FALSE(pt.ok());
    EXPECT_EQ(pt.status().code(), ErrorCode::kBadResponse) << pt.status().ToString();
}

TEST_F(HostileResponses, KidForAnotherVaultIsRefused) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime();
    emu().SetFaults({{"hostile", "foreign_kid"}, {"operations", {"get"}}});
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), ErrorCode::kBadResponse) << key.status().ToString();
    EXPECT_THAT(key.status().message(), HasSubstr("other-vault")) << key.status().ToString();

    emu().ClearFaults();
    auto rt2 = MakeRuntime();
    auto loaded = rt2->Key(VaultUrl(), name, "");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    emu().SetFaults({{"hostile", "foreign_kid"}, {"operations", {"sign"}}});
    auto sig = SignWith(**loaded);
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.status().code(), ErrorCode::kBadResponse) << sig.status().ToString();
}

TEST_F(HostileResponses, KidForAnotherKeyIsRefused) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime();
    emu().SetFaults({{"hostile", "other_key_kid"}, {"operations", {"get"}}});
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), ErrorCode::kBadResponse) << key.status().ToString();
    EXPECT_THAT(key.status().message(), HasSubstr(name)) << key.status().ToString();
}

// A JWK that is not the key that signs: the signature does not verify with it, and azkv says
// so rather than handing out a signature its own public key cannot verify.
TEST_F(HostileResponses, JwkNotMatchingTheSigningKeyIsRefused) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime();
    emu().SetFaults({{"hostile", "wrong_jwk"}, {"operations", {"get"}}});
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    emu().ClearFaults();
    auto sig = SignWith(**key);
    ASSERT_FALSE(sig.ok());
    EXPECT_EQ(sig.status().code(), ErrorCode::kBadResponse) << sig.status().ToString();
    EXPECT_THAT(sig.status().message(), HasSubstr("does not verify")) << sig.status().ToString();
}

// A 401 whose challenge names a resource that is not this vault: no token is requested for
// it, nothing is sent to it, and the error says why.
TEST_F(HostileResponses, ChallengeNamingAForeignResourceIsRefused) {
    std::string name = CreateKey("EC-HSM");
    auto rt = MakeRuntime();
    emu().SetFaults({{"hostile", "foreign_challenge"}});
    emu().ResetStats();
    auto key = rt->Key(VaultUrl(), name, "");
    ASSERT_FALSE(key.ok());
    EXPECT_THAT(key.status().message(), HasSubstr("attacker.example")) << key.status().ToString();
    EXPECT_EQ(emu().Stats().value("token_requests", 0L), 0)
        << "no token was requested for the foreign resource";
}

}  // namespace
}  // namespace azkv::itest
