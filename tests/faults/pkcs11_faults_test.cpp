// libazkv-pkcs11.so (dlopen + C_GetFunctionList) against an emulator that misbehaves: mixed
// throttling/errors/resets, a vault that goes down and comes back, keys disabled and deleted
// mid-run, and rotation. Signatures are verified with OpenSSL from the vault's public JWK.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fault_env.h"
#include "module_harness.h"

namespace azkv::faults {
namespace {

using p11_test::Bytes;
using p11_test::LoadedModule;
using p11_test::PKey;
using ::testing::HasSubstr;

constexpr CK_MECHANISM_TYPE kMech = CKM_ECDSA_SHA256;

class Pkcs11Faults : public ::testing::Test {
protected:
    void Initialize(FaultEnv& env) {
        CK_C_INITIALIZE_ARGS args{};
        args.flags = CKF_OS_LOCKING_OK;
        config_ = env.ConfigPath();
        args.pReserved = config_.data();
        ASSERT_EQ(f()->C_Initialize(&args), CKR_OK);
    }
    CK_FUNCTION_LIST* f() { return mod_.fns(); }
    void TearDown() override { f()->C_Finalize(nullptr); }

    LoadedModule mod_;
    std::string config_;
};

TEST_F(Pkcs11Faults, TenThousandSignsOverSixteenThreadsUnderMixedFaults) {
    constexpr int kThreads = 16;
    constexpr int kSigns = 10000;
    // Twice the default budget. Each back-off schedule counts only the failures of its own
    // kind, so only a run of 6 throttles without Retry-After in one call (1+2+4+8+16+16 s, about
    // 1e-6 per sign here) comes near 60 s; the 10-attempt limit leaves about
    // 0.27^10 * 10,000 = 0.02 expected failures per run.
    constexpr long kBudgetMs = 60000;
    FaultEnv env;
    PKey pub =
        emu_test::pkey_from_jwk(env.CreateKey("mixed", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    env.WriteConfig({{"retry_budget_ms", kBudgetMs}, {"max_connections", kThreads}});
    Initialize(env);
    env.emu().SetFaults(MixedSignFaults());
    env.emu().ResetStats();

    std::atomic<CK_RV> first_error{CKR_OK};
    LoadResult run = RunLoad(kThreads, kSigns, [&](int) -> std::function<Outcome()> {
        CK_SESSION_HANDLE s = p11_test::OpenSession(f());
        CK_OBJECT_HANDLE key = p11_test::FindPrivateKey(f(), s, "mixed");
        return [&, s, key] {
            Bytes data = emu_test::random_bytes(48), sig;
            CK_RV rv = p11_test::Sign(f(), s, key, kMech, data, &sig);
            if (rv != CKR_OK) {
                CK_RV ok = CKR_OK;
                first_error.compare_exchange_strong(ok, rv);
                return Outcome::kFailed;
            }
            return p11_test::VerifiesWithOpenssl(pub, kMech, data, sig) ? Outcome::kOk
                                                                        : Outcome::kWrong;
        };
    });
    auto stats = env.emu().Stats();
    std::printf(
        "pkcs11 mixed faults: %d signs in %.1f s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
        "vault statuses %s\n",
        kSigns, run.wall_ms / 1000, run.latency.p50, run.latency.p99, run.latency.max,
        stats["statuses"].dump().c_str());

    EXPECT_EQ(run.failures, 0) << "first CK_RV 0x" << std::hex << first_error.load();
    EXPECT_EQ(run.wrong_answers, 0);
    EXPECT_LT(run.latency.p99, kBudgetMs);
    EXPECT_GT(stats["operations"].value("sign", 0L), kSigns) << "faults were injected and retried";
    EXPECT_GT(stats["statuses"].value("429", 0L), 0) << stats.dump();
}

TEST_F(Pkcs11Faults, VaultDownFailsWithinBudgetWithDeviceErrorAndRecoversWithoutRestart) {
    constexpr long kBudgetMs = 1500;
    FaultEnv env;
    env.CreateKey("down", {{"kty", "EC-HSM"}, {"crv", "P-256"}});
    env.WriteConfig({{"retry_budget_ms", kBudgetMs}});
    Initialize(env);
    CK_SESSION_HANDLE s = p11_test::OpenSession(f());
    CK_OBJECT_HANDLE key = p11_test::FindPrivateKey(f(), s, "down");
    Bytes data = emu_test::random_bytes(32), sig;
    ASSERT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK);

    env.emu().SetFaults({{"vault_down", true}});
    for (int i = 0; i < 3; ++i) {
        auto begin = std::chrono::steady_clock::now();
        CK_RV rv = p11_test::Sign(f(), s, key, kMech, data, &sig);
        double ms = MsSince(begin);
        EXPECT_EQ(rv, CKR_DEVICE_ERROR)
            << "docs/pkcs11.md: an unreachable vault is CKR_DEVICE_ERROR";
        EXPECT_LT(ms, kBudgetMs + 2000) << "bounded by http.retry_budget_ms";
    }
    std::string log = env.ReadLog();
    EXPECT_THAT(log, HasSubstr(env.VaultUrl())) << log;
    EXPECT_THAT(log, HasSubstr("down")) << "the log line names the key: " << log;
    EXPECT_THAT(log, HasSubstr("503")) << "and the cause: " << log;

    env.emu().ClearFaults();
    EXPECT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK) << "recovered, no restart";
}

TEST_F(Pkcs11Faults, TokenEndpointDownWhileTheCachedTokenIsValidCausesNoFailure) {
    FaultEnv env;
    env.CreateKey("tok", {{"kty", "EC-HSM"}, {"crv", "P-256"}});
    Initialize(env);
    CK_SESSION_HANDLE s = p11_test::OpenSession(f());
    CK_OBJECT_HANDLE key = p11_test::FindPrivateKey(f(), s, "tok");
    Bytes data = emu_test::random_bytes(32), sig;
    ASSERT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK);
    env.emu().SetFaults({{"token_endpoint_down", true}});
    env.emu().ResetStats();
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK) << i;
    EXPECT_EQ(env.emu().Stats().value("token_requests", 0L), 0);
}

// A key disabled, then deleted, while a session uses it: a clear error naming the key each
// time; re-enabling it works again without re-initialising.
TEST_F(Pkcs11Faults, KeyDisabledOrDeletedMidRunGivesAnErrorNamingTheKey) {
    FaultEnv env;
    env.CreateKey("victim", {{"kty", "EC-HSM"}, {"crv", "P-256"}});
    Initialize(env);
    CK_SESSION_HANDLE s = p11_test::OpenSession(f());
    CK_OBJECT_HANDLE key = p11_test::FindPrivateKey(f(), s, "victim");
    Bytes data = emu_test::random_bytes(32), sig;
    ASSERT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK);

    env.UpdateKey("victim", {{"enabled", false}});
    EXPECT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_KEY_FUNCTION_NOT_PERMITTED);
    std::string log = env.ReadLog();
    EXPECT_THAT(log, HasSubstr("victim")) << log;
    EXPECT_THAT(log, HasSubstr("disabled")) << log;

    env.UpdateKey("victim", {{"enabled", true}});
    EXPECT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK);

    env.DeleteKey("victim");
    CK_RV rv = p11_test::Sign(f(), s, key, kMech, data, &sig);
    EXPECT_TRUE(rv == CKR_KEY_HANDLE_INVALID || rv == CKR_KEY_FUNCTION_NOT_PERMITTED)
        << "0x" << std::hex << rv;
    EXPECT_THAT(env.ReadLog(), HasSubstr("victim"));
}

// A new version of the key: after cache.key_ttl_s the module signs with it (verified with the
// new public key), without re-initialising.
TEST_F(Pkcs11Faults, RotationIsPickedUpAfterTheKeyTtl) {
    constexpr int kTtlS = 2;
    FaultEnv env;
    PKey v1 = emu_test::pkey_from_jwk(env.CreateKey("rot", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    env.WriteConfig(nlohmann::json::object(), {{"key_ttl_s", kTtlS}});
    Initialize(env);
    CK_SESSION_HANDLE s = p11_test::OpenSession(f());
    CK_OBJECT_HANDLE key = p11_test::FindPrivateKey(f(), s, "rot");
    Bytes data = emu_test::random_bytes(32), sig;
    ASSERT_EQ(p11_test::Sign(f(), s, key, kMech, data, &sig), CKR_OK);
    ASSERT_TRUE(p11_test::VerifiesWithOpenssl(v1, kMech, data, sig));

    PKey v2 = emu_test::pkey_from_jwk(env.CreateKey("rot", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    std::this_thread::sleep_for(std::chrono::seconds(kTtlS + 1));
    CK_SESSION_HANDLE s2 = p11_test::OpenSession(f());
    CK_OBJECT_HANDLE key2 = p11_test::FindPrivateKey(f(), s2, "rot");
    ASSERT_EQ(p11_test::Sign(f(), s2, key2, kMech, data, &sig), CKR_OK);
    EXPECT_TRUE(p11_test::VerifiesWithOpenssl(v2, kMech, data, sig))
        << "after the TTL the new version signs";
}

}  // namespace
}  // namespace azkv::faults
