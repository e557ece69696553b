// Algorithm choice, digest rules and answer checking of RemoteKey, without a network: the
// "service" here is OpenSSL signing locally with the private key.
#include "azkv/keys/remote_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <sys/wait.h>
#include <unistd.h>

#include "azkv/keys/ecdsa.h"
#include "azkv/log/log.h"
#include "test_keys.h"

namespace azkv::keys {
namespace {

using testing::BundleFor;
constexpr const char* kVaultKid =
    "https://v.vault.azure.net/keys/k1/0123456789abcdef0123456789abcdef";
constexpr const char* kHsmKid =
    "https://h.managedhsm.azure.net/keys/k1/0123456789abcdef0123456789abcdef";

std::vector<uint8_t> Sha(DigestAlg alg, const std::string& msg) {
    std::vector<uint8_t> d(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    EVP_Digest(msg.data(), msg.size(), d.data(), &len, DigestMd(alg), nullptr);
    d.resize(len);
    return d;
}

// What the service does for each alg, done here with the private key.
SecureBytes ServiceSign(EVP_PKEY* priv, const SignPlan& plan) {
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv, nullptr));
    EVP_PKEY_sign_init(ctx.get());
    if (plan.kind == KeyKind::kRsa) {
        bool pss = plan.alg[0] == 'P';
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
        if (plan.alg != "RSNULL") {
            auto d = DigestFromSize(plan.value.size());
            EVP_PKEY_CTX_set_signature_md(ctx.get(), DigestMd(*d));
            if (pss)
                EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST);
        }
    }
    size_t len = 0;
    EVP_PKEY_sign(ctx.get(), nullptr, &len, plan.value.data(), plan.value.size());
    std::vector<uint8_t> sig(len);
    EXPECT_EQ(EVP_PKEY_sign(ctx.get(), sig.data(), &len, plan.value.data(), plan.value.size()), 1);
    sig.resize(len);
    if (plan.kind == KeyKind::kEc) {
        auto raw = EcdsaDerToRaw(sig, plan.signature_len / 2);
        return SecureBytes(raw->begin(), raw->end());
    }
    return SecureBytes(sig.begin(), sig.end());
}

class RsaKeyTest : public ::testing::Test {
protected:
    void SetUp() override {
        priv_ = testing::GenerateRsa(2048);
        auto k = RemoteKey::Create(nullptr, BundleFor(priv_.get(), kVaultKid));
        ASSERT_TRUE(k.ok()) << k.status().ToString();
        key_ = *k;
        auto h = RemoteKey::Create(nullptr, BundleFor(priv_.get(), kHsmKid));
        ASSERT_TRUE(h.ok());
        hsm_ = *h;
    }
    EvpPkeyPtr priv_;
    std::shared_ptr<const RemoteKey> key_, hsm_;
};

TEST_F(RsaKeyTest, DescribesTheKey) {
    EXPECT_EQ(key_->name(), "k1");
    EXPECT_EQ(key_->version(), "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(key_->bits(), 2048);
    EXPECT_FALSE(key_->managed_hsm());
    EXPECT_TRUE(hsm_->managed_hsm());
}

TEST_F(RsaKeyTest, Sha2Pkcs1MapsToRsAndSendsTheBareDigest) {
    for (auto [alg, name] : {std::pair{DigestAlg::kSha256, "RS256"},
                             {DigestAlg::kSha384, "RS384"},
                             {DigestAlg::kSha512, "RS512"}}) {
        auto d = Sha(alg, "hello");
        auto plan = key_->PlanRsaSign(alg, d, RsaPadding::kPkcs1);
        ASSERT_TRUE(plan.ok());
        EXPECT_EQ(plan->alg, name);
        EXPECT_EQ(plan->value, d);  // the service adds the DigestInfo
        EXPECT_EQ(plan->signature_len, 256u);
        auto sig = key_->FinishSign(*plan, ServiceSign(priv_.get(), *plan));
        EXPECT_TRUE(sig.ok()) << sig.status().ToString();
    }
}

TEST_F(RsaKeyTest, Sha1AndSha224AndMd5Sha1UseRsnullWithALocalDigestInfoOnVaults) {
    for (auto alg : {DigestAlg::kSha1, DigestAlg::kSha224, DigestAlg::kMd5Sha1}) {
        auto d = Sha(alg, "hello");
        auto plan = key_->PlanRsaSign(alg, d, RsaPadding::kPkcs1);
        ASSERT_TRUE(plan.ok()) << DigestName(alg);
        EXPECT_EQ(plan->alg, "RSNULL");
        if (alg == DigestAlg::kMd5Sha1) {
            EXPECT_EQ(plan->value, d);  // TLS 1.0/1.1: no DigestInfo
        } else {
            EXPECT_EQ(plan->value, BuildDigestInfo(alg, d));
            EXPECT_GT(plan->value.size(), d.size());
        }
        // The signature must verify as a normal PKCS#1 v1.5 signature of that digest.
        auto sig = key_->FinishSign(*plan, ServiceSign(priv_.get(), *plan));
        ASSERT_TRUE(sig.ok()) << sig.status().ToString();
    }
}

TEST_F(RsaKeyTest, ManagedHsmRefusesWhatWouldNeedRsnull) {
    auto d = Sha(DigestAlg::kSha1, "hello");
    auto plan = hsm_->PlanRsaSign(DigestAlg::kSha1, d, RsaPadding::kPkcs1);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), ErrorCode::kUnsupported);
    EXPECT_NE(plan.status().message().find("RSNULL"), std::string::npos);
}

TEST_F(RsaKeyTest, RawPkcs1OnManagedHsmAcceptsOnlySha2DigestInfo) {
    auto d = Sha(DigestAlg::kSha384, "x");
    auto plan = hsm_->PlanRsaSignRaw(BuildDigestInfo(DigestAlg::kSha384, d));
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->alg, "RS384");
    EXPECT_EQ(plan->value, d);
    auto sha1 = Sha(DigestAlg::kSha1, "x");
    EXPECT_FALSE(hsm_->PlanRsaSignRaw(BuildDigestInfo(DigestAlg::kSha1, sha1)).ok());
    EXPECT_FALSE(hsm_->PlanRsaSignRaw(std::vector<uint8_t>(32, 7)).ok());
}

TEST_F(RsaKeyTest, RawPkcs1OnVaultIsRsnullUpToKMinus11Bytes) {
    auto ok = key_->PlanRsaSignRaw(std::vector<uint8_t>(245, 1));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->alg, "RSNULL");
    auto sig = key_->FinishSign(*ok, ServiceSign(priv_.get(), *ok));
    EXPECT_TRUE(sig.ok()) << sig.status().ToString();
    EXPECT_FALSE(key_->PlanRsaSignRaw(std::vector<uint8_t>(246, 1)).ok());
    EXPECT_FALSE(key_->PlanRsaSignRaw({}).ok());
}

TEST_F(RsaKeyTest, PssUsesSaltEqualToHashAndOnlySha2) {
    auto d = Sha(DigestAlg::kSha256, "m");
    auto plan = key_->PlanRsaSign(DigestAlg::kSha256, d, RsaPadding::kPss);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->alg, "PS256");
    auto sig = key_->FinishSign(*plan, ServiceSign(priv_.get(), *plan));
    EXPECT_TRUE(sig.ok()) << sig.status().ToString();
    EXPECT_FALSE(
        key_->PlanRsaSign(DigestAlg::kSha1, Sha(DigestAlg::kSha1, "m"), RsaPadding::kPss).ok());
}

TEST_F(RsaKeyTest, WrongDigestLengthIsRefusedBeforeAnyCall) {
    auto plan = key_->PlanRsaSign(DigestAlg::kSha256, std::vector<uint8_t>(31), RsaPadding::kPkcs1);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(RsaKeyTest, FinishRefusesWrongLengthAndInvalidSignatures) {
    auto d = Sha(DigestAlg::kSha256, "m");
    auto plan = *key_->PlanRsaSign(DigestAlg::kSha256, d, RsaPadding::kPkcs1);
    SecureBytes good = ServiceSign(priv_.get(), plan);
    SecureBytes short_sig(good.begin() + 1, good.end());
    auto r = key_->FinishSign(plan, short_sig);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kBadResponse);
    SecureBytes bad = good;
    bad[100] ^= 1;
    auto r2 = key_->FinishSign(plan, bad);
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.status().message().find("does not verify"), std::string::npos);
}

TEST_F(RsaKeyTest, LocalEncryptionMatchesEachAlgorithm) {
    std::vector<uint8_t> secret(32, 0x42);
    for (auto alg : {RsaEncryption::kPkcs1, RsaEncryption::kOaepSha1, RsaEncryption::kOaepSha256}) {
        auto ct = key_->EncryptLocal(alg, secret);
        ASSERT_TRUE(ct.ok());
        EXPECT_EQ(ct->size(), 256u);
        // Decrypt with the private key and the matching OpenSSL padding.
        EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv_.get(), nullptr));
        EVP_PKEY_decrypt_init(ctx.get());
        if (alg == RsaEncryption::kPkcs1) {
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
        } else {
            const EVP_MD* md =
                DigestMd(alg == RsaEncryption::kOaepSha1 ? DigestAlg::kSha1 : DigestAlg::kSha256);
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING);
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md);
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md);
        }
        std::vector<uint8_t> pt(256);
        size_t len = pt.size();
        ASSERT_EQ(EVP_PKEY_decrypt(ctx.get(), pt.data(), &len, ct->data(), ct->size()), 1);
        pt.resize(len);
        EXPECT_EQ(pt, secret);
    }
    EXPECT_STREQ(RemoteKey::EncryptionAlgName(RsaEncryption::kOaepSha256), "RSA-OAEP-256");
}

TEST_F(RsaKeyTest, DecryptPlanChecksCiphertextLength) {
    EXPECT_FALSE(key_->PlanDecrypt(RsaEncryption::kPkcs1, std::vector<uint8_t>(255), false).ok());
    auto p = key_->PlanDecrypt(RsaEncryption::kOaepSha256, std::vector<uint8_t>(256), true);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->operation, "unwrapkey");
    EXPECT_EQ(p->alg, "RSA-OAEP-256");
}

TEST(RemoteKeyPolicy, SoftwareKeysAreRefusedUnlessAllowed) {
    auto priv = testing::GenerateRsa(2048);
    auto b = BundleFor(priv.get(), kVaultKid);
    b.key.kty = "RSA";
    auto k = RemoteKey::Create(nullptr, b);
    ASSERT_FALSE(k.ok());
    EXPECT_NE(k.status().message().find("software-protected"), std::string::npos);
    EXPECT_NE(k.status().message().find("allow_software_keys"), std::string::npos);
    EXPECT_TRUE(RemoteKey::Create(nullptr, b, {.allow_software_keys = true}).ok());
}

TEST(RemoteKeyPolicy, SymmetricAndUnversionedKeysAreRefused) {
    keyvault::KeyBundle b;
    b.key.kid = kVaultKid;
    b.key.kty = "oct-HSM";
    EXPECT_FALSE(RemoteKey::Create(nullptr, b).ok());
    auto priv = testing::GenerateRsa(2048);
    EXPECT_FALSE(
        RemoteKey::Create(nullptr, BundleFor(priv.get(), "https://v.vault.azure.net/keys/k1"))
            .ok());
}

struct CurveCase {
    const char* group;
    const char* crv;
    size_t field;
    const char* alg;
};

class EcKeyTest : public ::testing::TestWithParam<CurveCase> {};

TEST_P(EcKeyTest, SignsAnyDigestLengthWithTheCurvesAlgorithm) {
    const CurveCase& c = GetParam();
    auto priv = testing::GenerateEc(c.group);
    auto k = RemoteKey::Create(nullptr, BundleFor(priv.get(), kVaultKid, c.crv, c.field));
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    for (auto alg :
         {DigestAlg::kSha1, DigestAlg::kSha256, DigestAlg::kSha384, DigestAlg::kSha512}) {
        auto d = Sha(alg, "message");
        auto plan = (*k)->PlanEcdsaSign(d);
        ASSERT_TRUE(plan.ok()) << plan.status().ToString();
        EXPECT_EQ(plan->alg, c.alg);
        EXPECT_EQ(plan->signature_len, 2 * c.field);
        auto sig = (*k)->FinishSign(*plan, ServiceSign(priv.get(), *plan));
        ASSERT_TRUE(sig.ok()) << c.crv << " " << DigestName(alg) << ": " << sig.status().ToString();
        // Independent check: OpenSSL verifies the DER form against the ORIGINAL digest, so the
        // truncation or padding the plan applied must match ECDSA's own rule.
        auto der = EcdsaRawToDer(*sig);
        EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv.get(), nullptr));
        EVP_PKEY_verify_init(ctx.get());
        EXPECT_EQ(EVP_PKEY_verify(ctx.get(), der->data(), der->size(), d.data(), d.size()), 1)
            << c.crv << " " << DigestName(alg);
    }
}

INSTANTIATE_TEST_SUITE_P(Curves, EcKeyTest,
                         ::testing::Values(CurveCase{"P-256", "P-256", 32, "ES256"},
                                           CurveCase{"secp256k1", "P-256K", 32, "ES256K"},
                                           CurveCase{"P-384", "P-384", 48, "ES384"},
                                           CurveCase{"P-521", "P-521", 66, "ES512"}));

// --- which answers FinishSign checks ("verify_signatures") ---

class SignatureCheckTest : public ::testing::Test {
protected:
    std::shared_ptr<const RemoteKey> Key(EVP_PKEY* priv, VerifySignatures mode, bool ec) {
        KeyPolicy policy{.verify_signatures = mode};
        auto k = RemoteKey::Create(
            nullptr, ec ? BundleFor(priv, kVaultKid, "P-256", 32) : BundleFor(priv, kVaultKid),
            policy);
        EXPECT_TRUE(k.ok()) << k.status().ToString();
        return *k;
    }
    static SignPlan Plan(const RemoteKey& k, const std::string& msg) {
        auto d = Sha(DigestAlg::kSha256, msg);
        auto plan = k.kind() == KeyKind::kEc
                        ? k.PlanEcdsaSign(d)
                        : k.PlanRsaSign(DigestAlg::kSha256, d, RsaPadding::kPkcs1);
        EXPECT_TRUE(plan.ok());
        return *plan;
    }
    // The number of answers in `n` that FinishSign refuses when the service always answers
    // with a well-formed signature of the right length over another message.
    static int Refused(const RemoteKey& k, const SignPlan& plan, const SecureBytes& wrong, int n) {
        int refused = 0;
        for (int i = 0; i < n; ++i) {
            auto r = k.FinishSign(plan, wrong);
            if (!r.ok()) {
                EXPECT_EQ(r.status().code(), ErrorCode::kBadResponse);
                ++refused;
            }
        }
        return refused;
    }
    // The answers of a service that signs right (`good`) or signs another message (`wrong`: a
    // well-formed signature of the right length that does not verify).
    struct Answers {
        SignPlan plan;
        SecureBytes good, wrong;
    };
    static Answers AnswersFor(EVP_PKEY* priv, const RemoteKey& k) {
        Answers a{.plan = Plan(k, "message")};
        a.good = ServiceSign(priv, a.plan);
        a.wrong = ServiceSign(priv, Plan(k, "another message"));
        EXPECT_EQ(a.wrong.size(), a.plan.signature_len);
        return a;
    }
    // Good answers past the first ones, after which `sampled` checks only a sample.
    static void PassTheFirstAnswers(const RemoteKey& k, const Answers& a) {
        for (uint64_t i = 0; i < SignatureSampler::kFirstChecked + 100; ++i)
            ASSERT_TRUE(k.FinishSign(a.plan, a.good).ok());
    }
    void SetUp() override {
        log::SetSinkForTesting([this](const std::string& line) { log_ += line + "\n"; });
    }
    void TearDown() override { log::SetSinkForTesting(nullptr); }
    std::string log_;
};

TEST_F(SignatureCheckTest, AllChecksEveryEcdsaAnswer) {
    auto priv = testing::GenerateEc("P-256");
    auto k = Key(priv.get(), VerifySignatures::kAll, true);
    Answers a = AnswersFor(priv.get(), *k);
    PassTheFirstAnswers(*k, a);
    EXPECT_EQ(Refused(*k, a.plan, a.wrong, 200), 200);
}

TEST_F(SignatureCheckTest, SampledCatchesAWrongEcdsaSignatureOnAFirstAnswer) {
    auto priv = testing::GenerateEc("P-256");
    auto k = Key(priv.get(), VerifySignatures::kSampled, true);
    Answers a = AnswersFor(priv.get(), *k);
    auto r = k->FinishSign(a.plan, a.wrong);
    ASSERT_FALSE(r.ok()) << "the very first answer of a key version is always checked";
    EXPECT_THAT(r.status().message(), ::testing::HasSubstr("does not verify"));
    EXPECT_THAT(r.status().message(), ::testing::HasSubstr("k1"));
    EXPECT_THAT(log_, ::testing::HasSubstr("every later answer of this key version is checked"));
    EXPECT_EQ(Refused(*k, a.plan, a.wrong, 100), 100) << "and every answer after a failed check";
}

TEST_F(SignatureCheckTest, SampledCatchesAWrongEcdsaSignatureOnASampledAnswer) {
    auto priv = testing::GenerateEc("P-256");
    auto k = Key(priv.get(), VerifySignatures::kSampled, true);
    Answers a = AnswersFor(priv.get(), *k);
    PassTheFirstAnswers(*k, a);
    EXPECT_TRUE(log_.empty()) << log_;
    // Sampled 1 in 64: the chance that 3,000 wrong answers all go unchecked is (63/64)^3000,
    // about 3e-21. Not every wrong answer is caught (the accepted cost of sampling)...
    int caught_at = -1;
    for (int i = 0; i < 3000 && caught_at < 0; ++i) {
        if (!k->FinishSign(a.plan, a.wrong).ok())
            caught_at = i;
    }
    ASSERT_GE(caught_at, 0) << "a sampled answer caught the wrong signature";
    EXPECT_THAT(log_, ::testing::HasSubstr("failed the local check"));
    // ...but after the first caught one, every answer is checked again.
    EXPECT_EQ(Refused(*k, a.plan, a.wrong, 200), 200);
    EXPECT_TRUE(k->FinishSign(a.plan, a.good).ok()) << "good answers still pass";
}

TEST_F(SignatureCheckTest, SampledStillChecksEveryRsaAnswer) {
    auto priv = testing::GenerateRsa(2048);
    auto k = Key(priv.get(), VerifySignatures::kSampled, false);
    Answers a = AnswersFor(priv.get(), *k);
    PassTheFirstAnswers(*k, a);
    EXPECT_EQ(Refused(*k, a.plan, a.wrong, 100), 100) << "RSA-CRT faults must never pass";
}

TEST(SignatureSampler, ChecksTheFirstAnswersThenAboutOneIn64) {
    SignatureSampler all;
    SignatureSampler sampled;
    sampled.SetSampled(true);
    for (uint64_t i = 0; i < SignatureSampler::kFirstChecked; ++i)
        ASSERT_TRUE(sampled.ShouldCheck()) << i;
    int checked = 0;
    constexpr int kAnswers = 64000;
    for (int i = 0; i < kAnswers; ++i) {
        ASSERT_TRUE(all.ShouldCheck());
        checked += sampled.ShouldCheck();
    }
    // Binomial(64000, 1/64): mean 1000, sd about 31; 700..1300 is over 9 sd either side.
    EXPECT_GT(checked, 700);
    EXPECT_LT(checked, 1300);
    EXPECT_TRUE(sampled.RecordFailure()) << "the first failure switches";
    EXPECT_FALSE(sampled.RecordFailure()) << "later ones do not switch again (logged once)";
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(sampled.ShouldCheck());
}

// The bits of `n` sampling decisions after the first answers.
std::vector<bool> SampleDecisions(SignatureSampler& s, int n) {
    std::vector<bool> out;
    for (int i = 0; i < n; ++i)
        out.push_back(s.ShouldCheck());
    return out;
}

TEST(SignatureSampler, AForkedChildDrawsADifferentSampleFromItsParent) {
    SignatureSampler sampled;
    sampled.SetSampled(true);
    SampleDecisions(sampled, static_cast<int>(SignatureSampler::kFirstChecked) + 100);
    constexpr int kAnswers = 8192;  // about 128 checked: equal sequences by chance are impossible
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        std::vector<bool> mine = SampleDecisions(sampled, kAnswers);
        std::string bits(mine.begin(), mine.end());
        _exit(write(fds[1], bits.data(), bits.size()) == static_cast<ssize_t>(bits.size()) ? 0 : 1);
    }
    close(fds[1]);
    std::vector<bool> parent = SampleDecisions(sampled, kAnswers);
    std::string bits(kAnswers, '\0');
    size_t got = 0;
    while (got < bits.size()) {
        ssize_t r = read(fds[0], bits.data() + got, bits.size() - got);
        if (r <= 0)
            break;
        got += static_cast<size_t>(r);
    }
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ(got, bits.size());
    std::vector<bool> from_child(bits.begin(), bits.end());
    EXPECT_NE(parent, from_child) << "the child repeated its parent's sample";
}

TEST(FitEcdsaDigest, TruncatesLongAndPadsShortDigests) {
    std::vector<uint8_t> d48(48);
    for (size_t i = 0; i < 48; ++i)
        d48[i] = static_cast<uint8_t>(i + 1);
    auto t = FitEcdsaDigest(d48, 32, 256);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(*t, std::vector<uint8_t>(d48.begin(), d48.begin() + 32));
    auto p = FitEcdsaDigest(std::vector<uint8_t>(20, 0xff), 64, 521);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->size(), 64u);
    EXPECT_EQ((*p)[43], 0);
    EXPECT_EQ((*p)[44], 0xff);
    EXPECT_FALSE(FitEcdsaDigest(std::vector<uint8_t>(66, 1), 64, 521).ok());
    EXPECT_FALSE(FitEcdsaDigest({}, 32, 256).ok());
}

TEST(EcdsaEncoding, RawAndDerRoundTripWithLeadingZeros) {
    std::vector<uint8_t> raw(64, 0);
    raw[5] = 0x80;   // r with leading zeros and a high bit
    raw[63] = 0x01;  // s = 1
    auto der = EcdsaRawToDer(raw);
    ASSERT_TRUE(der.ok());
    auto back = EcdsaDerToRaw(*der, 32);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, raw);
    EXPECT_FALSE(EcdsaRawToDer(std::vector<uint8_t>(63)).ok());
    EXPECT_FALSE(EcdsaDerToRaw(std::vector<uint8_t>{0x30, 0x01}, 32).ok());
}

// The hand-written encoder against OpenSSL's own, over every curve size and the edge values:
// zero, leading zero bytes, the top bit set (needs a 0x00 pad), all ones, and random halves.
TEST(EcdsaEncoding, DerMatchesOpenSsl) {
    auto openssl_der = [](std::span<const uint8_t> raw) {
        size_t half = raw.size() / 2;
        ECDSA_SIG* sig = ECDSA_SIG_new();
        ECDSA_SIG_set0(sig, BN_bin2bn(raw.data(), static_cast<int>(half), nullptr),
                       BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr));
        std::vector<uint8_t> der(static_cast<size_t>(i2d_ECDSA_SIG(sig, nullptr)));
        unsigned char* p = der.data();
        i2d_ECDSA_SIG(sig, &p);
        ECDSA_SIG_free(sig);
        return der;
    };
    int checked = 0;
    for (size_t half : {32u, 48u, 66u}) {
        std::vector<std::vector<uint8_t>> halves = {std::vector<uint8_t>(half, 0),
                                                    std::vector<uint8_t>(half, 0xff),
                                                    std::vector<uint8_t>(half, 0x7f)};
        std::vector<uint8_t> one(half, 0);
        one.back() = 1;
        halves.push_back(one);
        for (size_t at = 0; at < half; at += 7) {
            std::vector<uint8_t> top(half, 0);
            top[at] = 0x80;
            halves.push_back(top);
        }
        for (int i = 0; i < 64; ++i) {
            std::vector<uint8_t> r(half);
            RAND_bytes(r.data(), static_cast<int>(r.size()));
            halves.push_back(r);
        }
        for (const auto& r : halves) {
            for (const auto& s : {halves[0], halves[1], halves[3], halves.back()}) {
                std::vector<uint8_t> raw(r);
                raw.insert(raw.end(), s.begin(), s.end());
                auto der = EcdsaRawToDer(raw);
                ASSERT_TRUE(der.ok()) << der.status().ToString();
                ASSERT_EQ(*der, openssl_der(raw)) << "half " << half << " case " << checked;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 900);
    EXPECT_FALSE(EcdsaRawToDer(std::vector<uint8_t>(2 * 67)).ok());
    EXPECT_FALSE(EcdsaRawToDer({}).ok());
}

TEST(DigestInfo, ParsesWhatItBuilds) {
    for (auto alg : {DigestAlg::kSha1, DigestAlg::kSha224, DigestAlg::kSha256, DigestAlg::kSha384,
                     DigestAlg::kSha512}) {
        std::vector<uint8_t> d(DigestSize(alg), 0xab);
        auto info = BuildDigestInfo(alg, d);
        auto parsed = ParseDigestInfo(info);
        ASSERT_TRUE(parsed.has_value());
        EXPECT_EQ(parsed->alg, alg);
        EXPECT_TRUE(std::equal(parsed->digest.begin(), parsed->digest.end(), d.begin(), d.end()));
    }
    EXPECT_FALSE(ParseDigestInfo(std::vector<uint8_t>(51, 0x30)).has_value());
}

}  // namespace
}  // namespace azkv::keys
