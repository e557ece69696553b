// Identity endpoints: IMDS, App Service, Azure Arc, workload identity (contract §Identity).
#include <fstream>
#include <sstream>

#include "emu_test_util.h"

namespace emu_test {
namespace {

class IdentityTest : public EmulatorSuite {
protected:
    std::string imds(const std::string& query) {
        return emu().Info().identity_url +
               "/metadata/identity/oauth2/token?api-version=2018-02-01&" + query;
    }
};

TEST_F(IdentityTest, ImdsReturnsStringFields) {
    auto r =
        emu().Request("GET", imds("resource=https://vault.azure.net"), "", "", {"Metadata: true"});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    for (auto f : {"access_token", "refresh_token", "expires_in", "expires_on", "not_before",
                   "resource", "token_type", "client_id"})
        EXPECT_TRUE(j.at(f).is_string()) << f;
    EXPECT_EQ(j["token_type"], "Bearer");
    EXPECT_EQ(j["refresh_token"], "");
    EXPECT_EQ(j["client_id"], emu().Info().identities[0].client_id);
    std::string tok = j["access_token"];
    EXPECT_EQ(std::count(tok.begin(), tok.end(), '.'), 2);
    EXPECT_NE(tok.find(".AzKvEmUtOkEn"), std::string::npos);
}

TEST_F(IdentityTest, ImdsRequiresMetadataHeader) {
    auto r = emu().Request("GET", imds("resource=https://vault.azure.net"));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("bad_request_102"), std::string::npos);
    r = emu().Request("GET", imds("resource=https://vault.azure.net"), "", "", {"Metadata: false"});
    EXPECT_EQ(r.status, 400);
}

TEST_F(IdentityTest, ImdsRejectsXForwardedFor) {
    auto r = emu().Request("GET", imds("resource=https://vault.azure.net"), "", "",
                           {"Metadata: true", "X-Forwarded-For: 10.0.0.1"});
    EXPECT_EQ(r.status, 400);
}

TEST_F(IdentityTest, ImdsSelectors) {
    const auto& uai = emu().Info().identities[1];
    for (auto q : {"client_id=" + uai.client_id, "object_id=" + uai.object_id,
                   "msi_res_id=" + uai.resource_id}) {
        auto r = emu().Request("GET", imds("resource=https://vault.azure.net&" + q), "", "",
                               {"Metadata: true"});
        ASSERT_EQ(r.status, 200) << q << r.body;
        EXPECT_EQ(r.Json()["client_id"], uai.client_id);
    }
    auto two = emu().Request(
        "GET", imds("resource=r&client_id=" + uai.client_id + "&object_id=" + uai.object_id), "",
        "", {"Metadata: true"});
    EXPECT_EQ(two.status, 400);
    auto unknown =
        emu().Request("GET", imds("resource=r&client_id=00000000-0000-0000-0000-000000000000"), "",
                      "", {"Metadata: true"});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.Json()["error"], "invalid_request");
    EXPECT_NE(unknown.body.find("Identity not found"), std::string::npos);
    auto no_resource = emu().Request("GET", imds("x=1"), "", "", {"Metadata: true"});
    EXPECT_EQ(no_resource.status, 400);
}

TEST_F(IdentityTest, AppServiceHeaderRules) {
    const auto& info = emu().Info();
    std::string u =
        info.app_service_endpoint + "?api-version=2019-08-01&resource=https://vault.azure.net";
    EXPECT_EQ(emu().Request("GET", u).status, 401);
    EXPECT_EQ(emu().Request("GET", u, "", "", {"X-IDENTITY-HEADER: wrong"}).status, 403);
    auto ok = emu().Request("GET", u, "", "", {"X-IDENTITY-HEADER: " + info.app_service_header});
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto j = ok.Json();
    EXPECT_TRUE(j["expires_on"].is_string());
    EXPECT_FALSE(j.contains("expires_in"));
    EXPECT_EQ(j["token_type"], "Bearer");
    EXPECT_EQ(j["resource"], "https://vault.azure.net");
    auto uai = emu().Request("GET", u + "&principal_id=" + info.identities[1].object_id, "", "",
                             {"X-IDENTITY-HEADER: " + info.app_service_header});
    EXPECT_EQ(uai.Json()["client_id"], info.identities[1].client_id);
    EXPECT_NE(info.app_service_header.find("AzKvEmUsEcReT"), std::string::npos);
}

TEST_F(IdentityTest, ArcChallengeAndSecretFile) {
    const auto& info = emu().Info();
    std::string u = info.arc_endpoint + "?api-version=2019-11-01&resource=https://vault.azure.net";
    auto first = emu().Request("GET", u, "", "", {"Metadata: true"});
    ASSERT_EQ(first.status, 401);
    std::string www = first.Header("www-authenticate");
    ASSERT_EQ(www.rfind("Basic realm=", 0), 0u) << www;
    std::string file = www.substr(std::string("Basic realm=").size());
    EXPECT_EQ(file.rfind(info.arc_token_dir + "/", 0), 0u);
    EXPECT_EQ(file.substr(file.size() - 4), ".key");
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string secret = ss.str();
    EXPECT_NE(secret.find("AzKvEmUsEcReT"), std::string::npos);
    auto second =
        emu().Request("GET", u, "", "", {"Metadata: true", "Authorization: Basic " + secret});
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_TRUE(second.Json()["expires_in"].is_string());
    // Single use.
    EXPECT_EQ(emu()
                  .Request("GET", u, "", "", {"Metadata: true", "Authorization: Basic " + secret})
                  .status,
              401);
    EXPECT_EQ(
        emu().Request("GET", u, "", "", {"Metadata: true", "Authorization: Basic nope"}).status,
        401);
}

TEST_F(IdentityTest, ArcNeedsMetadataAndApiVersion) {
    const auto& info = emu().Info();
    EXPECT_EQ(emu().Request("GET", info.arc_endpoint + "?api-version=2019-11-01&resource=r").status,
              400);
    EXPECT_EQ(emu()
                  .Request("GET", info.arc_endpoint + "?api-version=2018-02-01&resource=r", "", "",
                           {"Metadata: true"})
                  .status,
              400);
}

TEST_F(IdentityTest, WorkloadClientAssertion) {
    const auto& info = emu().Info();
    std::ifstream in(info.workload_token_file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string assertion = ss.str();
    std::string u = info.workload_authority_host + info.tenant + "/oauth2/v2.0/token";
    EXPECT_EQ(u.rfind("https://", 0), 0u);
    auto form = [&](const std::string& client_id, const std::string& a) {
        return "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%"
               "3Aclient-assertion-type%3Ajwt-bearer"
               "&client_id=" +
               client_id + "&scope=https%3A%2F%2Fvault.azure.net%2F.default&client_assertion=" + a;
    };
    std::vector<std::string> hdr = {"Content-Type: application/x-www-form-urlencoded"};
    auto ok = emu().Request("POST", u, form(info.workload_client_id, assertion), "", hdr);
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto j = ok.Json();
    EXPECT_TRUE(j["expires_in"].is_number());
    EXPECT_TRUE(j["ext_expires_in"].is_number());
    EXPECT_EQ(j["token_type"], "Bearer");
    // The token works against a vault (aud = scope without /.default).
    auto r = emu().Request("GET", url("demo", "/keys"), "", j["access_token"]);
    EXPECT_EQ(r.status, 200) << r.body;

    auto bad = emu().Request("POST", u, form(info.workload_client_id, "wrong"), "", hdr);
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(bad.Json()["error"], "invalid_client");
    EXPECT_EQ(bad.Json()["error_codes"][0], 70021);
    auto bad_tenant =
        emu().Request("POST", info.workload_authority_host + "other/oauth2/v2.0/token",
                      form(info.workload_client_id, assertion), "", hdr);
    EXPECT_EQ(bad_tenant.status, 400);
}

TEST_F(IdentityTest, StsServesImdsOverTls) {
    auto r = emu().Request(
        "GET",
        emu().Info().sts_url + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r",
        "", "", {"Metadata: true"});
    EXPECT_EQ(r.status, 200) << r.error;
}

TEST_F(IdentityTest, TokenEndpointDownCountsRequests) {
    emu().ResetStats();
    emu().SetFaults({{"token_endpoint_down", true}});
    auto r = emu().Request("GET", imds("resource=r"), "", "", {"Metadata: true"});
    emu().ClearFaults();
    EXPECT_EQ(r.status, 503);
    auto s = emu().Stats();
    EXPECT_EQ(s["token_requests"], 1);
    EXPECT_EQ(s["token_requests_by_endpoint"]["imds"], 1);
    EXPECT_EQ(emu().Request("GET", imds("resource=r"), "", "", {"Metadata: true"}).status, 200);
}

}  // namespace
}  // namespace emu_test
