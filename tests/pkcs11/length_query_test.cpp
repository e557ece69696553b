// C_Sign's length query (NULL output) and CKR_BUFFER_TOO_SMALL make no remote call, and the
// successful call signs exactly once: one logical signature = one remote sign.
#include <gtest/gtest.h>

#include "module_harness.h"

namespace p11_test {
namespace {

struct Case {
    const char* label;
    nlohmann::json params;
    CK_MECHANISM_TYPE mech;
    CK_ULONG expected_len;
};

class Pkcs11LengthQuery : public testing::TestWithParam<Case> {};

TEST_P(Pkcs11LengthQuery, NullThenTooSmallThenRightBufferSignsOnce) {
    const Case& c = GetParam();
    VaultEnv env;
    PKey pub = emu_test::pkey_from_jwk(env.CreateKey(c.label, c.params));
    LoadedModule mod;
    CK_FUNCTION_LIST* f = mod.fns();
    CK_C_INITIALIZE_ARGS args = env.InitArgs();
    ASSERT_EQ(f->C_Initialize(&args), CKR_OK);
    CK_SESSION_HANDLE s = OpenSession(f);
    CK_OBJECT_HANDLE key = FindPrivateKey(f, s, c.label);
    env.emu().ResetStats();

    Bytes data = emu_test::random_bytes(300);
    CK_MECHANISM m = {c.mech, nullptr, 0};
    ASSERT_EQ(f->C_SignInit(s, &m, key), CKR_OK);
    CK_ULONG len = 0;
    ASSERT_EQ(f->C_Sign(s, data.data(), data.size(), nullptr, &len), CKR_OK);
    EXPECT_EQ(len, c.expected_len);
    EXPECT_EQ(env.OperationCount("sign"), 0) << "the length query went to the vault";

    Bytes sig(len);
    CK_ULONG small = len - 1;
    ASSERT_EQ(f->C_Sign(s, data.data(), data.size(), sig.data(), &small), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(small, c.expected_len);
    ASSERT_EQ(f->C_Sign(s, data.data(), data.size(), sig.data(), &len), CKR_OK);
    sig.resize(len);
    EXPECT_TRUE(VerifiesWithOpenssl(pub, c.mech, data, sig));
    EXPECT_EQ(env.OperationCount("sign"), 1);
    // The operation ended with the signature.
    EXPECT_EQ(f->C_Sign(s, data.data(), data.size(), sig.data(), &len),
              CKR_OPERATION_NOT_INITIALIZED);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

INSTANTIATE_TEST_SUITE_P(
    Keys, Pkcs11LengthQuery,
    testing::Values(
        Case{"lq-ec", {{"kty", "EC-HSM"}, {"crv", "P-256"}}, CKM_ECDSA_SHA256, 64},
        Case{"lq-rsa", {{"kty", "RSA-HSM"}, {"key_size", 2048}}, CKM_SHA256_RSA_PKCS, 256}),
    [](const testing::TestParamInfo<Case>& i) { return std::string(i.param.label).substr(3); });

}  // namespace
}  // namespace p11_test
