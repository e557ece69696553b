// An identity allowed only get+sign on one key (no list on the vault) still finds that key by
// CKA_LABEL and signs with it: the search resolves the key with one direct GET.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "module_harness.h"

namespace p11_test {
namespace {

std::string RbacFile() {
    std::string path = testing::TempDir() + "azkv-p11-rbac-" + std::to_string(getpid()) + ".json";
    std::ofstream(path) << R"({"assignments":[
      {"identity":"system","vault":"*","key":"*","actions":["get","list","create","sign"]},
      {"identity":"uai","vault":"demo","key":"signer","actions":["get","sign"]}]})";
    return path;
}

TEST(Pkcs11Rbac, GetAndSignOnlyIdentityFindsKeyByLabelAndSigns) {
    std::string rbac = RbacFile();
    VaultEnv env({"--rbac", rbac}, "uai");
    PKey pub =
        emu_test::pkey_from_jwk(env.CreateKey("signer", {{"kty", "EC-HSM"}, {"crv", "P-256"}}));
    env.CreateKey("other", {{"kty", "EC-HSM"}, {"crv", "P-256"}});

    // The identity really cannot list the vault.
    const auto& vault = env.emu().Vault("demo");
    auto listing = env.emu().Request("GET", vault.url + "/keys?api-version=7.5", "",
                                     env.emu().GetToken(vault.resource, "uai"));
    ASSERT_EQ(listing.status, 403) << listing.body;

    LoadedModule mod;
    CK_FUNCTION_LIST* f = mod.fns();
    CK_C_INITIALIZE_ARGS args = env.InitArgs();
    ASSERT_EQ(f->C_Initialize(&args), CKR_OK);
    env.emu().ResetStats();
    CK_SESSION_HANDLE s = OpenSession(f);
    CK_OBJECT_HANDLE key = FindPrivateKey(f, s, "signer");
    ASSERT_NE(key, CK_INVALID_HANDLE);
    Bytes data = emu_test::random_bytes(200), sig;
    ASSERT_EQ(Sign(f, s, key, CKM_ECDSA_SHA256, data, &sig), CKR_OK);
    EXPECT_TRUE(VerifiesWithOpenssl(pub, CKM_ECDSA_SHA256, data, sig));
    EXPECT_EQ(env.OperationCount("list"), 0);
    EXPECT_EQ(env.OperationCount("sign"), 1);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
    std::filesystem::remove(rbac);
}

}  // namespace
}  // namespace p11_test
