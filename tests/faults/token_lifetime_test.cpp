// Tokens that live 60 s, over a 5-minute run through the PKCS#11 module: no sign fails, and no
// request ever reaches the vault with an expired token (the emulator would answer 401), so
// every token was refreshed before it expired.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fault_env.h"
#include "module_harness.h"

namespace azkv::faults {
namespace {

TEST(TokenLifetime, SixtySecondTokensOverFiveMinutesNeverFail) {
    constexpr int kTokenTtlS = 60;
    constexpr auto kRun = std::chrono::minutes(5);
    constexpr int kThreads = 4;
    FaultEnv env({"--token-ttl", std::to_string(kTokenTtlS)});
    p11_test::PKey pub =
        emu_test::pkey_from_jwk(env.CreateKey("ttl", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    p11_test::LoadedModule mod;
    CK_FUNCTION_LIST* f = mod.fns();
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    std::string config = env.ConfigPath();
    args.pReserved = config.data();
    ASSERT_EQ(f->C_Initialize(&args), CKR_OK);
    {
        // Warm up: the unauthenticated challenge probe (a 401 by design) happens here, so that
        // any 401 counted below is a token used after it expired.
        CK_SESSION_HANDLE s = p11_test::OpenSession(f);
        p11_test::Bytes data = emu_test::random_bytes(32), sig;
        ASSERT_EQ(p11_test::Sign(f, s, p11_test::FindPrivateKey(f, s, "ttl"), CKM_ECDSA_SHA256,
                                 data, &sig),
                  CKR_OK);
        f->C_CloseSession(s);
    }
    env.emu().ResetStats();

    std::atomic<int> signs{0}, failures{0}, bad{0};
    auto end = std::chrono::steady_clock::now() + kRun;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            CK_SESSION_HANDLE s = p11_test::OpenSession(f);
            CK_OBJECT_HANDLE key = p11_test::FindPrivateKey(f, s, "ttl");
            while (std::chrono::steady_clock::now() < end) {
                p11_test::Bytes data = emu_test::random_bytes(32), sig;
                if (p11_test::Sign(f, s, key, CKM_ECDSA_SHA256, data, &sig) != CKR_OK)
                    failures++;
                else if (!p11_test::VerifiesWithOpenssl(pub, CKM_ECDSA_SHA256, data, sig))
                    bad++;
                signs++;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            f->C_CloseSession(s);
        });
    }
    for (auto& th : threads)
        th.join();
    auto stats = env.emu().Stats();
    std::printf("token lifetime: %d signs, %ld token requests, statuses %s\n", signs.load(),
                stats.value("token_requests", 0L), stats["statuses"].dump().c_str());
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(stats["statuses"].value("401", 0L), 0) << "a token was used after it expired";
    // Refreshed at half-life: about 10 tokens in 5 minutes, not one per request.
    EXPECT_GE(stats.value("token_requests", 0L), 5);
    EXPECT_LE(stats.value("token_requests", 0L), 20);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

}  // namespace
}  // namespace azkv::faults
