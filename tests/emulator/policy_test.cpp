// RBAC (--rbac) and the throttling model (--throttle).
#include <fstream>

#include "emu_test_util.h"

namespace emu_test {
namespace {

TEST(Rbac, PerKeyAssignmentWithoutList) {
    std::string dir = ::testing::TempDir();
    std::string file = dir + "/rbac-" + std::to_string(getpid()) + ".json";
    {
        std::ofstream out(file);
        out << R"({"assignments":[
            {"identity":"system","vault":"*","key":"*","actions":["get","list","create","sign","delete"]},
            {"identity":"uai","vault":"demo","key":"signer","actions":["get","sign"]}]})";
    }
    EmulatorOptions o;
    o.extra_args = {"--rbac", file};
    EmulatorProcess emu(o);
    std::string base = emu.Vault("demo").url;
    std::string admin = emu.GetToken(base), uai = emu.GetToken(base, "uai");
    ASSERT_EQ(
        emu.Request("POST", base + "/keys/signer/create?api-version=7.5", R"({"kty":"EC"})", admin)
            .status,
        200);
    ASSERT_EQ(
        emu.Request("POST", base + "/keys/other/create?api-version=7.5", R"({"kty":"EC"})", admin)
            .status,
        200);
    EXPECT_EQ(emu.Request("GET", base + "/keys/signer?api-version=7.5", "", uai).status, 200);
    EXPECT_EQ(
        emu.Request("POST", base + "/keys/signer/sign?api-version=7.5",
                    R"({"alg":"ES256","value":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})", uai)
            .status,
        200);
    auto list = emu.Request("GET", base + "/keys?api-version=7.5", "", uai);
    EXPECT_EQ(list.status, 403);
    EXPECT_EQ(list.Json()["error"]["code"], "Forbidden");
    EXPECT_EQ(list.Json()["error"]["innererror"]["code"], "ForbiddenByRbac");
    auto other = emu.Request(
        "POST", base + "/keys/other/sign?api-version=7.5",
        R"({"alg":"ES256","value":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})", uai);
    ASSERT_EQ(other.status, 403);
    std::string msg = other.Json()["error"]["message"];
    EXPECT_EQ(msg.rfind("Caller is not authorized to perform action on resource.\r\n", 0), 0u);
    EXPECT_NE(msg.find("Caller: oid=" + emu.Info().identities[1].object_id + ";\r\n"),
              std::string::npos);
    EXPECT_NE(msg.find("Action: 'Microsoft.KeyVault/vaults/keys/sign/action'\r\n"),
              std::string::npos);
    EXPECT_NE(msg.find("Assignment: (not found)\r\n"), std::string::npos);
    EXPECT_NE(msg.find("Vault: demo;location=local\r\n"), std::string::npos);
    EXPECT_EQ(emu.Request("DELETE", base + "/keys/signer?api-version=7.5", "", uai).status, 403);
    EXPECT_EQ(
        emu.Request("POST", base + "/keys/x/create?api-version=7.5", R"({"kty":"EC"})", uai).status,
        403);
    std::remove(file.c_str());
}

TEST(Rbac, MalformedFileStopsStartup) {
    std::string file = ::testing::TempDir() + "/rbac-bad-" + std::to_string(getpid()) + ".json";
    {
        std::ofstream out(file);
        out << R"({"assignments":[{"identity":"x","actions":["fly"]}]})";
    }
    EmulatorOptions o;
    o.extra_args = {"--rbac", file};
    EXPECT_THROW(EmulatorProcess emu(o), std::runtime_error);
    std::remove(file.c_str());
}

TEST(Throttle, WeightedWindowAndCreateBucket) {
    EmulatorOptions o;
    o.vaults = {"demo:vault", "hsm:mhsm"};
    o.extra_args = {"--throttle"};
    EmulatorProcess emu(o);
    std::string base = emu.Vault("demo").url;
    std::string t = emu.GetToken(base);
    // CREATE bucket: 10 HSM creates per 10 s. EC keys only, which generate quickly, so that all
    // 12 requests fall in one window even on a loaded machine (an RSA-4096 generation alone can
    // take seconds there).
    int created = 0, throttled = 0;
    for (int i = 0; i < 12; ++i) {
        auto r =
            emu.Request("POST", base + "/keys/c" + std::to_string(i) + "/create?api-version=7.5",
                        R"({"kty":"EC-HSM"})", t);
        if (r.status == 200)
            ++created;
        if (r.status == 429) {
            ++throttled;
            EXPECT_FALSE(r.HasHeader("retry-after"));
            EXPECT_EQ(r.Json()["error"]["code"], "Throttled");
            EXPECT_NE(r.body.find("VaultRequestTypeLimitReached"), std::string::npos);
        }
    }
    EXPECT_EQ(created, 10);
    EXPECT_EQ(throttled, 2);
    // RSA-4096 HSM ops weigh 8: 2000/8 = 250 fit in the window. On a second emulator, whose
    // create bucket is still empty; creates cost nothing in the weighted window.
    EmulatorProcess weighted(o);
    std::string wbase = weighted.Vault("demo").url;
    std::string wt = weighted.GetToken(wbase);
    ASSERT_EQ(weighted
                  .Request("POST", wbase + "/keys/t0/create?api-version=7.5",
                           R"({"kty":"RSA-HSM","key_size":4096})", wt)
                  .status,
              200);
    azkv::testing::HttpSession s(weighted.Info().ca_file);
    int ok = 0;
    for (int i = 0; i < 260; ++i) {
        auto r = s.Request("GET", wbase + "/keys/t0?api-version=7.5", "", wt);
        if (r.status == 200)
            ++ok;
        else
            EXPECT_EQ(r.status, 429);
    }
    EXPECT_EQ(ok, 250);
    // Managed HSM does not throttle.
    std::string ht = emu.GetToken(emu.Vault("hsm").url);
    for (int i = 0; i < 12; ++i)
        EXPECT_EQ(emu.Request("POST",
                              emu.Vault("hsm").url + "/keys/h" + std::to_string(i) +
                                  "/create?api-version=7.5",
                              R"({"kty":"EC-HSM"})", ht)
                      .status,
                  200);
}

}  // namespace
}  // namespace emu_test
