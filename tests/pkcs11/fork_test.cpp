// After fork() the child sees CKR_CRYPTOKI_NOT_INITIALIZED until its own C_Initialize, then
// signs over its own TLS connection, while the parent keeps signing over its connection.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "module_harness.h"

namespace p11_test {
namespace {

constexpr int kParentSignsDuringChild = 5;

// Runs in the child; returns 0 or the number of the first failed step (its exit status).
int ChildSteps(CK_FUNCTION_LIST* f, CK_C_INITIALIZE_ARGS args, CK_SESSION_HANDLE parent_session,
               const PKey& pub) {
    CK_INFO info;
    CK_ULONG count = 0;
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_MECHANISM m = {CKM_ECDSA_SHA256, nullptr, 0};
    CK_BYTE in[4] = {1, 2, 3, 4}, out[256];
    CK_ULONG out_len = sizeof out;
    if (f->C_GetInfo(&info) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 1;
    if (f->C_GetSlotList(CK_FALSE, nullptr, &count) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 2;
    if (f->C_OpenSession(0, CKF_SERIAL_SESSION, nullptr, nullptr, &s) !=
        CKR_CRYPTOKI_NOT_INITIALIZED)
        return 3;
    if (f->C_SignInit(parent_session, &m, 1) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 4;
    if (f->C_Sign(parent_session, in, sizeof in, out, &out_len) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 5;
    if (f->C_Finalize(nullptr) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 6;
    if (f->C_Initialize(&args) != CKR_OK)
        return 7;
    s = OpenSession(f);
    CK_OBJECT_HANDLE key = FindPrivateKey(f, s, "forked");
    Bytes data = emu_test::random_bytes(100), sig;
    if (Sign(f, s, key, CKM_ECDSA_SHA256, data, &sig) != CKR_OK)
        return 8;
    if (!VerifiesWithOpenssl(pub, CKM_ECDSA_SHA256, data, sig))
        return 9;
    if (f->C_Finalize(nullptr) != CKR_OK)
        return 10;
    return 0;
}

TEST(Pkcs11Fork, ChildReinitializesWithFreshStateWhileParentKeepsSigning) {
    VaultEnv env;
    PKey pub =
        emu_test::pkey_from_jwk(env.CreateKey("forked", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    LoadedModule mod;
    CK_FUNCTION_LIST* f = mod.fns();
    CK_C_INITIALIZE_ARGS args = env.InitArgs();
    ASSERT_EQ(f->C_Initialize(&args), CKR_OK);
    CK_SESSION_HANDLE s = OpenSession(f);
    CK_OBJECT_HANDLE key = FindPrivateKey(f, s, "forked");
    Bytes data = emu_test::random_bytes(100), sig;
    ASSERT_EQ(Sign(f, s, key, CKM_ECDSA_SHA256, data, &sig), CKR_OK);
    ASSERT_TRUE(VerifiesWithOpenssl(pub, CKM_ECDSA_SHA256, data, sig));
    env.emu().ResetStats();

    fflush(nullptr);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0)
        _exit(ChildSteps(f, args, s, pub));

    for (int i = 0; i < kParentSignsDuringChild; ++i) {
        data = emu_test::random_bytes(50 + i);
        ASSERT_EQ(Sign(f, s, key, CKM_ECDSA_SHA256, data, &sig), CKR_OK) << "parent sign " << i;
        EXPECT_TRUE(VerifiesWithOpenssl(pub, CKM_ECDSA_SHA256, data, sig)) << "parent sign " << i;
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "child died with signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "first failed step in the child";
    EXPECT_EQ(env.OperationCount("sign"), kParentSignsDuringChild + 1);
    // The parent reused its keep-alive connection; the only new one is the child's own.
    EXPECT_EQ(env.TlsConnections(), 1);

    // The child's exit left the parent's connection and state intact.
    env.emu().ResetStats();
    data = emu_test::random_bytes(64);
    ASSERT_EQ(Sign(f, s, key, CKM_ECDSA_SHA256, data, &sig), CKR_OK);
    EXPECT_TRUE(VerifiesWithOpenssl(pub, CKM_ECDSA_SHA256, data, sig));
    EXPECT_EQ(env.TlsConnections(), 0);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

}  // namespace
}  // namespace p11_test
