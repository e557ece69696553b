// Challenge, token validation and api-version rules on the vault listeners.
#include <thread>

#include "emu_test_util.h"

namespace emu_test {
namespace {

class AuthTest : public EmulatorSuite {};

TEST_F(AuthTest, VaultChallengeHasJsonBodyBeforeBodyParsing) {
    auto r = emu().Request("POST", url("demo", "/keys/x/create"), "not json at all");
    ASSERT_EQ(r.status, 401);
    EXPECT_EQ(r.Json()["error"]["code"], "Unauthorized");
    EXPECT_NE(r.body.find("AKV10000"), std::string::npos);
    std::string expect = "Bearer authorization=\"" + emu().Info().sts_url + "/" +
                         emu().Info().tenant + "\", resource=\"" + emu().Vault("demo").url + "\"";
    EXPECT_EQ(r.Header("www-authenticate"), expect);
    EXPECT_FALSE(r.Header("x-ms-request-id").empty());
}

TEST_F(AuthTest, MhsmChallengeHasEmptyBody) {
    auto r = emu().Request("POST", url("hsm", "/keys/x/create"), "");
    ASSERT_EQ(r.status, 401);
    EXPECT_TRUE(r.body.empty());
    EXPECT_NE(r.Header("www-authenticate").find("resource=\"" + emu().Vault("hsm").url + "\""),
              std::string::npos);
}

TEST_F(AuthTest, WrongAudienceIsRejected) {
    std::string t = emu().GetToken("https://management.azure.com");
    auto r = emu().Request("GET", url("demo", "/keys"), "", t);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("AKV10022"), std::string::npos);
    EXPECT_FALSE(r.Header("www-authenticate").empty());
    // A vault token does not open the Managed HSM.
    EXPECT_EQ(
        emu()
            .Request("GET", url("hsm", "/keys"), "", emu().GetToken("https://vault.azure.net"))
            .status,
        401);
}

TEST_F(AuthTest, AcceptedAudiences) {
    for (std::string aud :
         {emu().Vault("demo").url, emu().Vault("demo").url + "/",
          std::string("https://vault.azure.net/"), std::string("https://vault.azure.net/.default")})
        EXPECT_EQ(emu().Request("GET", url("demo", "/keys"), "", emu().GetToken(aud)).status, 200)
            << aud;
    EXPECT_EQ(
        emu()
            .Request("GET", url("hsm", "/keys"), "", emu().GetToken("https://managedhsm.azure.net"))
            .status,
        200);
}

TEST_F(AuthTest, TamperedTokenIsRejected) {
    std::string t = token("demo");
    t[t.size() - 3] = t[t.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_EQ(emu().Request("GET", url("demo", "/keys"), "", t).status, 401);
    EXPECT_EQ(
        emu().Request("GET", url("demo", "/keys"), "", "", {"Authorization: Basic abc"}).status,
        401);
}

TEST_F(AuthTest, ApiVersionChecks) {
    for (std::string v : {"7.0", "7.4", "7.5", "7.6", "2025-07-01"})
        EXPECT_EQ(emu().Request("GET", url("demo", "/keys", v), "", token("demo")).status, 200)
            << v;
    for (std::string v : {"7.9", "2016-10-01", "8.0"}) {
        auto r = emu().Request("GET", url("demo", "/keys", v), "", token("demo"));
        EXPECT_EQ(r.status, 400) << v;
        EXPECT_EQ(r.Json()["error"]["code"], "BadParameter");
    }
    EXPECT_EQ(emu().Request("GET", url("demo", "/keys", ""), "", token("demo")).status, 400);
}

TEST_F(AuthTest, RevokedTokensAreRejected) {
    std::string t = emu().GetToken("https://vault.azure.net");
    EXPECT_EQ(emu().Request("GET", url("demo", "/keys"), "", t).status, 200);
    emu().RevokeTokens();
    tokens_.clear();
    EXPECT_EQ(emu().Request("GET", url("demo", "/keys"), "", t).status, 401);
    EXPECT_EQ(
        emu()
            .Request("GET", url("demo", "/keys"), "", emu().GetToken("https://vault.azure.net"))
            .status,
        200);
}

TEST(AuthTtl, ExpiredTokenIsRejected) {
    EmulatorOptions o;
    o.extra_args = {"--token-ttl", "1"};
    EmulatorProcess emu(o);
    std::string t = emu.GetToken(emu.Vault("demo").resource);
    std::string u = emu.Vault("demo").url + "/keys?api-version=7.5";
    EXPECT_EQ(emu.Request("GET", u, "", t).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    auto r = emu.Request("GET", u, "", t);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("expired"), std::string::npos);
}

TEST_F(AuthTest, ControlEndpointsNeedNoAuth) {
    auto r = emu().Request("GET", emu().Vault("demo").url + "/_emulator/health");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Json()["status"], "ok");
    EXPECT_EQ(emu().Request("GET", emu().Info().sts_url + "/_emulator/health").status, 200);
}

}  // namespace
}  // namespace emu_test
