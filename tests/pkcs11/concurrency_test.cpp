// 32 threads, each with its own session, sign concurrently with an EC and an RSA key; every
// signature is checked by OpenSSL and the emulator served exactly one sign per C_Sign.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "module_harness.h"

namespace p11_test {
namespace {

constexpr int kThreads = 32;
constexpr int kSignsPerKey = 3;

struct ThreadResult {
    int signed_ok = 0, verified = 0;
    CK_RV first_error = CKR_OK;
};

TEST(Pkcs11Concurrency, ThirtyTwoThreadsSignOnTheirOwnSessions) {
    VaultEnv env;
    PKey ec =
        emu_test::pkey_from_jwk(env.CreateKey("conc-ec", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    PKey rsa = emu_test::pkey_from_jwk(
        env.CreateKey("conc-rsa", {{"kty", "RSA-HSM"}, {"key_size", 2048}}));
    LoadedModule mod;
    CK_FUNCTION_LIST* f = mod.fns();
    CK_C_INITIALIZE_ARGS args = env.InitArgs();
    ASSERT_EQ(f->C_Initialize(&args), CKR_OK);
    env.emu().ResetStats();

    std::vector<ThreadResult> results(kThreads);
    std::barrier start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            ThreadResult& r = results[t];
            CK_SESSION_HANDLE s = OpenSession(f);
            CK_OBJECT_HANDLE keys[2] = {FindPrivateKey(f, s, "conc-ec"),
                                        FindPrivateKey(f, s, "conc-rsa")};
            const CK_MECHANISM_TYPE mechs[2] = {CKM_ECDSA_SHA256, CKM_SHA256_RSA_PKCS};
            const PKey* pubs[2] = {&ec, &rsa};
            start.arrive_and_wait();
            for (int i = 0; i < kSignsPerKey * 2; ++i) {
                int k = (i + t) % 2;
                Bytes data = emu_test::random_bytes(32 + t), sig;
                CK_RV rv = Sign(f, s, keys[k], mechs[k], data, &sig);
                if (rv != CKR_OK) {
                    r.first_error = r.first_error == CKR_OK ? rv : r.first_error;
                    continue;
                }
                r.signed_ok++;
                r.verified += VerifiesWithOpenssl(*pubs[k], mechs[k], data, sig) ? 1 : 0;
            }
            f->C_CloseSession(s);
        });
    for (auto& th : threads)
        th.join();

    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(results[t].first_error, CKR_OK) << "thread " << t;
        EXPECT_EQ(results[t].signed_ok, kSignsPerKey * 2) << "thread " << t;
        EXPECT_EQ(results[t].verified, kSignsPerKey * 2) << "thread " << t;
    }
    EXPECT_EQ(env.OperationCount("sign"), kThreads * kSignsPerKey * 2);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

}  // namespace
}  // namespace p11_test
