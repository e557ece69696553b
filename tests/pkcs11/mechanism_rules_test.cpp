// The mechanism table and parameter rules: exact per-token lists, key sizes, PSS and OAEP.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "mechanism_params.h"
#include "mechanism_table.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

CK_RV RvOf(const std::function<void()>& f) {
    try {
        f();
        return CKR_OK;
    } catch (const P11Error& e) {
        return e.rv();
    }
}

TEST(MechanismTableTest, VaultListIsExact) {
    std::vector<CK_MECHANISM_TYPE> expected = {CKM_RSA_PKCS,
                                               CKM_SHA1_RSA_PKCS,
                                               CKM_SHA224_RSA_PKCS,
                                               CKM_SHA256_RSA_PKCS,
                                               CKM_SHA384_RSA_PKCS,
                                               CKM_SHA512_RSA_PKCS,
                                               CKM_RSA_PKCS_PSS,
                                               CKM_SHA256_RSA_PKCS_PSS,
                                               CKM_SHA384_RSA_PKCS_PSS,
                                               CKM_SHA512_RSA_PKCS_PSS,
                                               CKM_RSA_PKCS_OAEP,
                                               CKM_ECDSA,
                                               CKM_ECDSA_SHA256,
                                               CKM_ECDSA_SHA384,
                                               CKM_ECDSA_SHA512,
                                               CKM_SHA256,
                                               CKM_SHA384,
                                               CKM_SHA512};
    EXPECT_EQ(TokenMechanisms({.managed_hsm = false, .allow_create = false}), expected);
}

TEST(MechanismTableTest, ManagedHsmHasNoRsnullMechanismsAndCreateAddsKeyGen) {
    auto hsm = TokenMechanisms({.managed_hsm = true, .allow_create = true});
    auto has = [&](CK_MECHANISM_TYPE t) { return std::count(hsm.begin(), hsm.end(), t) == 1; };
    EXPECT_FALSE(has(CKM_SHA1_RSA_PKCS));
    EXPECT_FALSE(has(CKM_SHA224_RSA_PKCS));
    EXPECT_TRUE(has(CKM_RSA_PKCS));
    EXPECT_TRUE(has(CKM_RSA_PKCS_KEY_PAIR_GEN));
    EXPECT_TRUE(has(CKM_EC_KEY_PAIR_GEN));
    EXPECT_TRUE(has(CKM_AES_GCM));
    EXPECT_TRUE(has(CKM_AES_KEY_GEN));
    // 18 vault mechanisms, minus 2 RSNULL ones, plus 2 key-pair and 4 AES (GCM, CBC-PAD,
    // KEY_WRAP, KEY_GEN) ones.
    EXPECT_EQ(hsm.size(), 18u - 2u + 2u + 4u);
    EXPECT_EQ(TokenMechanism({.managed_hsm = true}, CKM_SHA1_RSA_PKCS), nullptr);
}

TEST(MechanismTableTest, InfoHasKeySizesAndFlags) {
    auto rsa = MechanismInfo(*FindMechanism(CKM_RSA_PKCS));
    EXPECT_EQ(rsa.ulMinKeySize, 2048u);
    EXPECT_EQ(rsa.ulMaxKeySize, 4096u);
    EXPECT_EQ(rsa.flags & (CKF_SIGN | CKF_DECRYPT | CKF_UNWRAP | CKF_ENCRYPT),
              CKF_SIGN | CKF_DECRYPT | CKF_UNWRAP | CKF_ENCRYPT);
    auto pss = MechanismInfo(*FindMechanism(CKM_SHA256_RSA_PKCS_PSS));
    EXPECT_EQ(pss.flags & CKF_DECRYPT, 0u);
    auto ec = MechanismInfo(*FindMechanism(CKM_ECDSA));
    EXPECT_EQ(ec.ulMinKeySize, 256u);
    EXPECT_EQ(ec.ulMaxKeySize, 521u);
    EXPECT_NE(ec.flags & CKF_EC_NAMEDCURVE, 0u);
    auto sha = MechanismInfo(*FindMechanism(CKM_SHA384));
    EXPECT_EQ(sha.flags, static_cast<CK_FLAGS>(CKF_DIGEST));
}

TEST(MechanismParamsTest, PssNeedsMatchingHashMgfAndSaltLength) {
    const MechanismSpec& raw = *FindMechanism(CKM_RSA_PKCS_PSS);
    const MechanismSpec& sha384 = *FindMechanism(CKM_SHA384_RSA_PKCS_PSS);
    CK_RSA_PKCS_PSS_PARAMS p{CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM m{CKM_RSA_PKCS_PSS, &p, sizeof(p)};
    EXPECT_EQ(PssDigest(m, raw), keys::DigestAlg::kSha256);
    p.sLen = 20;
    EXPECT_EQ(RvOf([&] { PssDigest(m, raw); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    p = {CKM_SHA256, CKG_MGF1_SHA384, 32};
    EXPECT_EQ(RvOf([&] { PssDigest(m, raw); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    p = {CKM_SHA_1, CKG_MGF1_SHA1, 20};
    EXPECT_EQ(RvOf([&] { PssDigest(m, raw); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    p = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    EXPECT_EQ(RvOf([&] { PssDigest(m, sha384); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    CK_MECHANISM none{CKM_RSA_PKCS_PSS, nullptr, 0};
    EXPECT_EQ(RvOf([&] { PssDigest(none, raw); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
}

TEST(MechanismParamsTest, OaepMapsToKeyVaultAlgorithms) {
    CK_RSA_PKCS_OAEP_PARAMS p{CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, nullptr, 0};
    CK_MECHANISM m{CKM_RSA_PKCS_OAEP, &p, sizeof(p)};
    EXPECT_EQ(OaepEncryption(m), keys::RsaEncryption::kOaepSha1);
    p.hashAlg = CKM_SHA256;
    p.mgf = CKG_MGF1_SHA256;
    EXPECT_EQ(OaepEncryption(m), keys::RsaEncryption::kOaepSha256);
    unsigned char label[] = "x";
    p.pSourceData = label;
    p.ulSourceDataLen = 1;
    EXPECT_EQ(RvOf([&] { OaepEncryption(m); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    p = {CKM_SHA384, CKG_MGF1_SHA384, CKZ_DATA_SPECIFIED, nullptr, 0};
    EXPECT_EQ(RvOf([&] { OaepEncryption(m); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    p = {CKM_SHA256, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, nullptr, 0};
    EXPECT_EQ(RvOf([&] { OaepEncryption(m); }), static_cast<CK_RV>(CKR_MECHANISM_PARAM_INVALID));
    CK_MECHANISM pkcs1{CKM_RSA_PKCS, nullptr, 0};
    EXPECT_EQ(CipherScheme(pkcs1), keys::RsaEncryption::kPkcs1);
}

}  // namespace
}  // namespace azkv::p11
