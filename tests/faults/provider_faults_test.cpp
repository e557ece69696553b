// azkv.so loaded with OSSL_PROVIDER_load into its own library context, signing through
// EVP_DigestSign as servers do, against an emulator that throttles, fails and resets.
// Signatures are verified with the public key in the default provider.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "emu_test_util.h"
#include "fault_env.h"

namespace azkv::faults {
namespace {

using ::testing::HasSubstr;

// The error queue with each entry's data string (where azkv puts vault, key and cause).
std::string DrainErrors() {
    std::string out;
    unsigned long e;
    const char* data = nullptr;
    int flags = 0;
    char buf[512];
    while ((e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) != 0) {
        ERR_error_string_n(e, buf, sizeof buf);
        out += buf;
        if (data != nullptr && (flags & ERR_TXT_STRING) != 0)
            out += std::string(": ") + data;
        out += "\n";
    }
    return out;
}

class ProviderFaults : public ::testing::Test {
protected:
    // Loads azkv.so and the default provider into a fresh library context reading `config`.
    void Load(const std::string& config) {
        setenv("AZKV_CONFIG", config.c_str(), 1);
        ctx_ = OSSL_LIB_CTX_new();
        ASSERT_NE(ctx_, nullptr);
        azkv_ = OSSL_PROVIDER_load(ctx_, AZKV_PROVIDER_PATH);
        ASSERT_NE(azkv_, nullptr) << DrainErrors();
        default_ = OSSL_PROVIDER_load(ctx_, "default");
        ASSERT_NE(default_, nullptr);
    }
    void TearDown() override {
        EVP_PKEY_free(key_);
        EVP_PKEY_free(pub_);
        if (azkv_ != nullptr)
            OSSL_PROVIDER_unload(azkv_);
        if (default_ != nullptr)
            OSSL_PROVIDER_unload(default_);
        OSSL_LIB_CTX_free(ctx_);
    }

    void LoadKey(const std::string& uri) {
        OSSL_STORE_CTX* store = OSSL_STORE_open_ex(uri.c_str(), ctx_, nullptr, nullptr, nullptr,
                                                   nullptr, nullptr, nullptr);
        ASSERT_NE(store, nullptr) << DrainErrors();
        while (key_ == nullptr && !OSSL_STORE_eof(store)) {
            OSSL_STORE_INFO* info = OSSL_STORE_load(store);
            if (info != nullptr && OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
                key_ = OSSL_STORE_INFO_get1_PKEY(info);
            OSSL_STORE_INFO_free(info);
        }
        OSSL_STORE_close(store);
        ASSERT_NE(key_, nullptr) << DrainErrors();
        unsigned char* der = nullptr;
        int len = i2d_PUBKEY(key_, &der);
        const unsigned char* p = der;
        pub_ = len > 0 ? d2i_PUBKEY_ex(nullptr, &p, len, ctx_, "provider=default") : nullptr;
        OPENSSL_free(der);
        ASSERT_NE(pub_, nullptr);
    }

    // Signs with azkv, verifies with the default provider. 1 = good, 0 = bad signature,
    // -1 = signing failed.
    int SignAndVerify(const std::vector<uint8_t>& msg) {
        std::vector<uint8_t> sig(256);
        size_t len = sig.size();
        EVP_MD_CTX* md = EVP_MD_CTX_new();
        bool ok = EVP_DigestSignInit_ex(md, nullptr, "SHA256", ctx_, nullptr, key_, nullptr) == 1 &&
                  EVP_DigestSign(md, sig.data(), &len, msg.data(), msg.size()) == 1;
        EVP_MD_CTX_free(md);
        if (!ok)
            return -1;
        md = EVP_MD_CTX_new();
        bool good = EVP_DigestVerifyInit_ex(md, nullptr, "SHA256", ctx_, "provider=default", pub_,
                                            nullptr) == 1 &&
                    EVP_DigestVerify(md, sig.data(), len, msg.data(), msg.size()) == 1;
        EVP_MD_CTX_free(md);
        return good ? 1 : 0;
    }

    OSSL_LIB_CTX* ctx_ = nullptr;
    OSSL_PROVIDER* azkv_ = nullptr;
    OSSL_PROVIDER* default_ = nullptr;
    EVP_PKEY* key_ = nullptr;
    EVP_PKEY* pub_ = nullptr;
};

TEST_F(ProviderFaults, TenThousandSignsOverSixteenThreadsUnderMixedFaults) {
    constexpr int kThreads = 16;
    constexpr int kSigns = 10000;
    // Twice the default budget. Each back-off schedule counts only the failures of its own
    // kind, so only a run of 6 throttles without Retry-After in one call (1+2+4+8+16+16 s, about
    // 1e-6 per sign here) comes near 60 s; the 10-attempt limit leaves about
    // 0.27^10 * 10,000 = 0.02 expected failures per run.
    constexpr long kBudgetMs = 60000;
    FaultEnv env;
    env.CreateKey("mixed", {{"kty", "EC-HSM"}, {"crv", "P-256"}});
    Load(env.WriteConfig({{"retry_budget_ms", kBudgetMs}, {"max_connections", kThreads}}));
    LoadKey("azkv:" + env.VaultUrl() + "/keys/mixed");
    env.emu().SetFaults(MixedSignFaults());
    env.emu().ResetStats();

    std::mutex mu;
    std::string first_error;
    LoadResult run = RunLoad(kThreads, kSigns, [&](int) -> std::function<Outcome()> {
        return [&] {
            int r = SignAndVerify(emu_test::random_bytes(64));
            std::string errors = DrainErrors();
            if (r < 0) {
                std::lock_guard<std::mutex> lock(mu);
                if (first_error.empty())
                    first_error = errors;
            }
            return r < 0 ? Outcome::kFailed : r == 0 ? Outcome::kWrong : Outcome::kOk;
        };
    });
    auto stats = env.emu().Stats();
    std::printf(
        "provider mixed faults: %d signs in %.1f s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
        "vault statuses %s\n",
        kSigns, run.wall_ms / 1000, run.latency.p50, run.latency.p99, run.latency.max,
        stats["statuses"].dump().c_str());
    EXPECT_EQ(run.failures, 0) << "first failure: " << first_error;
    EXPECT_EQ(run.wrong_answers, 0);
    EXPECT_LT(run.latency.p99, kBudgetMs);
    EXPECT_GT(stats["operations"].value("sign", 0L), kSigns);
}

TEST_F(ProviderFaults, VaultDownFailsWithinBudgetWithAnOpensslErrorAndRecovers) {
    constexpr long kBudgetMs = 1500;
    FaultEnv env;
    env.CreateKey("down", {{"kty", "EC-HSM"}, {"crv", "P-256"}});
    Load(env.WriteConfig({{"retry_budget_ms", kBudgetMs}}));
    LoadKey("azkv:" + env.VaultUrl() + "/keys/down");
    auto msg = emu_test::random_bytes(64);
    ASSERT_EQ(SignAndVerify(msg), 1);

    env.emu().SetFaults({{"vault_down", true}});
    ERR_clear_error();
    auto begin = std::chrono::steady_clock::now();
    EXPECT_EQ(SignAndVerify(msg), -1);
    EXPECT_LT(MsSince(begin), kBudgetMs + 2000);
    std::string errors = DrainErrors();
    EXPECT_THAT(errors, HasSubstr("down")) << "the OpenSSL error names the key: " << errors;
    EXPECT_THAT(errors, HasSubstr(env.VaultUrl())) << errors;
    EXPECT_THAT(env.ReadLog(), HasSubstr(env.VaultUrl()));

    env.emu().ClearFaults();
    EXPECT_EQ(SignAndVerify(msg), 1) << "recovered without reloading the provider";
}

}  // namespace
}  // namespace azkv::faults
