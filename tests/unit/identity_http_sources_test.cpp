// IMDS, App Service and workload identity: what goes on the wire, and what comes back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "identity/identity_http.h"
#include "identity_fakes.h"

namespace azkv::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing;  // NOLINT(google-build-using-namespace): the fakes

constexpr const char* kVault = "https://vault.azure.net";

void ExpectNoSecrets(const Status& st, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) {
        EXPECT_THAT(st.message(), Not(HasSubstr(s)));
        EXPECT_THAT(st.ToString(), Not(HasSubstr(s)));
    }
}

// ---- IMDS ----

TEST(ImdsSource, DefaultRequest) {
    FakeHttp http;
    http.Push(Answer(200, ImdsBody()));
    auto src = MakeImdsSource(IdentityConfig{}, Context(http));
    ASSERT_TRUE(src.ok()) << src.status().message();
    EXPECT_EQ((*src)->Name(), "imds");
    auto tok = (*src)->Fetch(std::string(kVault) + "/.default");
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), kToken);

    auto reqs = http.requests();
    ASSERT_EQ(reqs.size(), 1u);
    const auto& r = reqs[0];
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.url.substr(0, r.url.find('?')),
              "http://169.254.169.254/metadata/identity/oauth2/token");
    EXPECT_EQ(QueryOf(r.url, "api-version"), "2018-02-01");
    // v1 resource: no "/.default", URL-encoded.
    EXPECT_EQ(QueryOf(r.url, "resource"), "https%3A%2F%2Fvault.azure.net");
    EXPECT_EQ(HeaderOf(r, "Metadata"), "true");
    EXPECT_EQ(HeaderOf(r, "X-Forwarded-For"), "");
    EXPECT_EQ(QueryOf(r.url, "client_id"), "<absent>");
    // IMDS's own retry rules: 404/410/429/5xx are retried.
    EXPECT_THAT(http.retries_404(), ElementsAre(true));
}

TEST(ImdsSource, EndpointPrecedence) {
    FakeHttp http;
    http.Push(Answer(200, ImdsBody()));
    http.Push(Answer(200, ImdsBody()));
    auto pod = MakeImdsSource(
        IdentityConfig{},
        Context(http, {{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:8080/"}}));
    ASSERT_TRUE(pod.ok());
    ASSERT_TRUE((*pod)->Fetch(kVault).ok());
    IdentityConfig cfg;
    cfg.endpoint = "http://127.0.0.2:9";
    auto configured = MakeImdsSource(
        cfg, Context(http, {{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:8080"}}));
    ASSERT_TRUE(configured.ok());
    ASSERT_TRUE((*configured)->Fetch(kVault).ok());
    auto reqs = http.requests();
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].url.rfind("http://127.0.0.1:8080/metadata/identity/oauth2/token?", 0), 0u);
    EXPECT_EQ(reqs[1].url.rfind("http://127.0.0.2:9/metadata/identity/oauth2/token?", 0), 0u);
}

TEST(ImdsSource, RefusesPlainHttpToARemoteHost) {
    FakeHttp http;
    auto src = MakeImdsSource(
        IdentityConfig{},
        Context(http, {{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://evil.example"}}));
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.status().code(), ErrorCode::kConfig);
    EXPECT_THAT(src.status().message(), HasSubstr("imds"));
}

struct SelectorCase {
    std::string client_id, object_id, resource_id;
    std::string imds_param, appservice_param;
};

class Selectors : public ::testing::TestWithParam<SelectorCase> {};

TEST_P(Selectors, EachSourceSpellsItsOwnParameter) {
    const auto& c = GetParam();
    IdentityConfig cfg;
    cfg.client_id = c.client_id;
    cfg.object_id = c.object_id;
    cfg.resource_id = c.resource_id;
    std::string value = c.client_id + c.object_id + c.resource_id;
    FakeHttp http;
    http.Push(Answer(200, ImdsBody()));
    http.Push(Answer(200, R"({"access_token":"t","expires_on":"4102444800"})"));
    auto imds = MakeImdsSource(cfg, Context(http));
    auto app = MakeAppServiceSource(
        cfg, Context(http, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:41564/msi/token"},
                            {"IDENTITY_HEADER", "hdr"}}));
    ASSERT_TRUE(imds.ok() && app.ok());
    ASSERT_TRUE((*imds)->Fetch(kVault).ok());
    ASSERT_TRUE((*app)->Fetch(kVault).ok());
    auto reqs = http.requests();
    EXPECT_EQ(QueryOf(reqs[0].url, c.imds_param), UrlEncode(value));
    EXPECT_EQ(QueryOf(reqs[1].url, c.appservice_param), UrlEncode(value));
    // Only that one selector.
    for (const char* p : {"client_id", "object_id", "msi_res_id", "principal_id", "mi_res_id"}) {
        if (p != c.imds_param) {
            EXPECT_EQ(QueryOf(reqs[0].url, p), "<absent>") << p;
        }
        if (p != c.appservice_param) {
            EXPECT_EQ(QueryOf(reqs[1].url, p), "<absent>") << p;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Identity, Selectors,
    ::testing::Values(SelectorCase{"11111111-2222-3333-4444-555555555555", "", "", "client_id",
                                   "client_id"},
                      SelectorCase{"", "oid-1", "", "object_id", "principal_id"},
                      SelectorCase{"", "", "/subscriptions/s/resourceGroups/g/providers/x/uai",
                                   "msi_res_id", "mi_res_id"}));

TEST(Selectors, MoreThanOneIsAConfigError) {
    FakeHttp http;
    auto env = Context(
        http, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token"}, {"IDENTITY_HEADER", "h"}});
    for (auto [a, b, c] : {std::tuple{"c", "o", ""}, std::tuple{"c", "", "r"},
                           std::tuple{"", "o", "r"}, std::tuple{"c", "o", "r"}}) {
        IdentityConfig cfg;
        cfg.client_id = a;
        cfg.object_id = b;
        cfg.resource_id = c;
        auto imds = MakeImdsSource(cfg, env);
        ASSERT_FALSE(imds.ok());
        EXPECT_EQ(imds.status().code(), ErrorCode::kConfig);
        EXPECT_THAT(imds.status().message(), HasSubstr("at most one"));
        auto app = MakeAppServiceSource(cfg, env);
        ASSERT_FALSE(app.ok());
        EXPECT_EQ(app.status().code(), ErrorCode::kConfig);
    }
}

TEST(ImdsSource, HttpErrorNamesSourceEndpointStatusAndCode) {
    FakeHttp http;
    http.Push(
        Answer(400, R"({"error":"invalid_request","error_description":"Identity not found"})"));
    auto src = MakeImdsSource(IdentityConfig{}, Context(http));
    ASSERT_TRUE(src.ok());
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    const Status& st = tok.status();
    EXPECT_EQ(st.code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(st.http_status(), 400);
    EXPECT_EQ(st.service_code(), "invalid_request");
    EXPECT_THAT(st.message(), HasSubstr("imds"));
    EXPECT_THAT(st.message(), HasSubstr("http://169.254.169.254/metadata/identity/oauth2/token"));
    EXPECT_THAT(st.message(), HasSubstr("400"));
    EXPECT_THAT(st.message(), HasSubstr("Identity not found"));
}

TEST(ImdsSource, ErrorCodesByStatus) {
    const std::vector<std::pair<long, ErrorCode>> cases = {{429, ErrorCode::kThrottled},
                                                           {503, ErrorCode::kUnavailable},
                                                           {410, ErrorCode::kUnavailable},
                                                           {404, ErrorCode::kUnavailable},
                                                           {403, ErrorCode::kUnauthenticated}};
    for (auto [status, code] : cases) {
        FakeHttp http;
        http.Push(Answer(status, "not json\r\nat all"));
        auto src = MakeImdsSource(IdentityConfig{}, Context(http));
        auto tok = (*src)->Fetch(kVault);
        ASSERT_FALSE(tok.ok());
        EXPECT_EQ(tok.status().code(), code) << status;
        EXPECT_EQ(tok.status().http_status(), status);
    }
}

TEST(ImdsSource, TransportErrorNamesTheEndpoint) {
    FakeHttp http;  // no answers: "connection refused"
    auto src = MakeImdsSource(IdentityConfig{}, Context(http));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().code(), ErrorCode::kUnavailable);
    EXPECT_THAT(tok.status().message(), HasSubstr("imds: token request to http://169.254.169.254"));
    EXPECT_THAT(tok.status().message(), HasSubstr("connection refused"));
}

TEST(ImdsSource, MalformedSuccessNamesTheSource) {
    FakeHttp http;
    http.Push(Answer(200, std::string(R"({"access_token":")") + kToken + R"(","expires_in":"x"})"));
    auto src = MakeImdsSource(IdentityConfig{}, Context(http));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().code(), ErrorCode::kBadResponse);
    EXPECT_THAT(tok.status().message(), HasSubstr("imds"));
    EXPECT_THAT(tok.status().message(), HasSubstr("expires_in"));
    ExpectNoSecrets(tok.status(), {kToken});
}

// ---- App Service ----

TEST(AppServiceSource, Request) {
    FakeHttp http;
    http.Push(
        Answer(200, std::string(R"({"access_token":")") + kToken +
                        R"(","expires_on":"4102444800","resource":"https://vault.azure.net"})"));
    auto src = MakeAppServiceSource(
        IdentityConfig{}, Context(http, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:41564/msi/token"},
                                         {"IDENTITY_HEADER", "HDR-secret-value"}}));
    ASSERT_TRUE(src.ok()) << src.status().message();
    EXPECT_EQ((*src)->Name(), "appservice");
    auto tok = (*src)->Fetch(kVault);
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), kToken);
    auto r = http.requests().at(0);
    EXPECT_EQ(r.url.substr(0, r.url.find('?')), "http://127.0.0.1:41564/msi/token");
    EXPECT_EQ(QueryOf(r.url, "api-version"), "2019-08-01");
    EXPECT_EQ(QueryOf(r.url, "resource"), "https%3A%2F%2Fvault.azure.net");
    EXPECT_EQ(HeaderOf(r, "X-IDENTITY-HEADER"), "HDR-secret-value");
    EXPECT_TRUE(IsSecretHeader(r, "X-IDENTITY-HEADER"));
    for (const auto& h : r.headers)
        EXPECT_THAT(h.value, Not(HasSubstr("HDR-secret")));
}

TEST(AppServiceSource, NeedsEndpointAndHeader) {
    FakeHttp http;
    auto no_endpoint =
        MakeAppServiceSource(IdentityConfig{}, Context(http, {{"IDENTITY_HEADER", "h"}}));
    ASSERT_FALSE(no_endpoint.ok());
    EXPECT_THAT(no_endpoint.status().message(), HasSubstr("IDENTITY_ENDPOINT"));
    auto no_header = MakeAppServiceSource(
        IdentityConfig{}, Context(http, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token"}}));
    ASSERT_FALSE(no_header.ok());
    EXPECT_THAT(no_header.status().message(), HasSubstr("IDENTITY_HEADER"));
}

TEST(AppServiceSource, ErrorsNeverCarryTheHeader) {
    FakeHttp http;
    http.Push(Answer(403, R"({"error":{"code":"Forbidden","message":"bad header"}})"));
    auto src = MakeAppServiceSource(
        IdentityConfig{}, Context(http, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token"},
                                         {"IDENTITY_HEADER", "HDR-secret-value"}}));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().service_code(), "Forbidden");
    EXPECT_THAT(tok.status().message(), HasSubstr("appservice"));
    EXPECT_THAT(tok.status().message(), HasSubstr("bad header"));
    ExpectNoSecrets(tok.status(), {"HDR-secret-value"});
}

// ---- Workload identity ----

class WorkloadSourceTest : public ::testing::Test {
protected:
    std::map<std::string, std::string> Env() {
        return {{"AZURE_FEDERATED_TOKEN_FILE", token_file_},
                {"AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
                {"AZURE_CLIENT_ID", "env-client"},
                {"AZURE_AUTHORITY_HOST", "https://login.example.test/"}};
    }
    TempDir dir_;
    std::string token_file_ = dir_.Write("azure-identity-token", "ASSERTION+one/=&\n");
    FakeHttp http_;
};

TEST_F(WorkloadSourceTest, PostsTheClientAssertionForm) {
    http_.Push(Answer(
        200,
        std::string(
            R"({"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":")") +
            kToken + "\"}"));
    auto src = MakeWorkloadSource(IdentityConfig{}, Context(http_, Env()));
    ASSERT_TRUE(src.ok()) << src.status().message();
    EXPECT_EQ((*src)->Name(), "workload");
    auto tok = (*src)->Fetch(kVault);
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), kToken);

    auto r = http_.requests().at(0);
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url,
              "https://login.example.test/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
    EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_TRUE(r.body_is_secret);
    EXPECT_EQ(
        r.body,
        "grant_type=client_credentials"
        "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        "&client_id=env-client"
        "&scope=https%3A%2F%2Fvault.azure.net%2F.default"
        "&client_assertion=ASSERTION%2Bone%2F%3D%26");
}

TEST_F(WorkloadSourceTest, RereadsTheTokenFileEveryFetch) {
    for (int i = 0; i < 2; ++i)
        http_.Push(Answer(200, std::string(R"({"expires_in":60,"access_token":"t"})")));
    auto src = MakeWorkloadSource(IdentityConfig{}, Context(http_, Env()));
    ASSERT_TRUE(src.ok());
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    dir_.Write("azure-identity-token", "ROTATED");  // kubelet rotated it
    ASSERT_TRUE((*src)->Fetch("https://managedhsm.azure.net/").ok());
    auto reqs = http_.requests();
    EXPECT_THAT(reqs[1].body, HasSubstr("client_assertion=ROTATED"));
    EXPECT_THAT(reqs[1].body, HasSubstr("scope=https%3A%2F%2Fmanagedhsm.azure.net%2F.default"));
}

TEST_F(WorkloadSourceTest, ConfigOverridesClientIdAndAuthority) {
    http_.Push(Answer(200, R"({"expires_in":60,"access_token":"t"})"));
    IdentityConfig cfg;
    cfg.client_id = "cfg-client";
    cfg.endpoint = "https://127.0.0.1:8444";
    auto src = MakeWorkloadSource(cfg, Context(http_, Env()));
    ASSERT_TRUE(src.ok());
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    auto r = http_.requests().at(0);
    EXPECT_EQ(r.url,
              "https://127.0.0.1:8444/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
    EXPECT_THAT(r.body, HasSubstr("client_id=cfg-client"));
}

TEST_F(WorkloadSourceTest, DefaultAuthority) {
    http_.Push(Answer(200, R"({"expires_in":60,"access_token":"t"})"));
    auto env = Env();
    env.erase("AZURE_AUTHORITY_HOST");
    auto src = MakeWorkloadSource(IdentityConfig{}, Context(http_, env));
    ASSERT_TRUE(src.ok());
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    EXPECT_EQ(http_.requests().at(0).url.rfind("https://login.microsoftonline.com/72f988bf", 0),
              0u);
}

TEST_F(WorkloadSourceTest, RefusesPlainHttpAuthorityEvenOnLoopback) {
    auto env = Env();
    env["AZURE_AUTHORITY_HOST"] = "http://127.0.0.1:8080/";
    auto src = MakeWorkloadSource(IdentityConfig{}, Context(http_, env));
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.status().code(), ErrorCode::kConfig);
    EXPECT_THAT(src.status().message(), HasSubstr("workload"));
}

TEST_F(WorkloadSourceTest, MissingVariablesAreNamed) {
    auto src = MakeWorkloadSource(IdentityConfig{},
                                  Context(http_, {{"AZURE_FEDERATED_TOKEN_FILE", "/x"}}));
    ASSERT_FALSE(src.ok());
    EXPECT_THAT(src.status().message(), HasSubstr("AZURE_TENANT_ID"));
    EXPECT_THAT(src.status().message(), HasSubstr("AZURE_CLIENT_ID"));
    auto env = Env();
    env["AZURE_TENANT_ID"] = "../evil";
    auto bad_tenant = MakeWorkloadSource(IdentityConfig{}, Context(http_, env));
    ASSERT_FALSE(bad_tenant.ok());
    EXPECT_THAT(bad_tenant.status().message(), HasSubstr("AZURE_TENANT_ID"));
}

TEST_F(WorkloadSourceTest, UnreadableTokenFile) {
    auto env = Env();
    env["AZURE_FEDERATED_TOKEN_FILE"] = dir_.path() + "/missing";
    auto src = MakeWorkloadSource(IdentityConfig{}, Context(http_, env));
    ASSERT_TRUE(src.ok());
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("missing"));
    EXPECT_TRUE(http_.requests().empty());
    dir_.Write("empty", "");
    env["AZURE_FEDERATED_TOKEN_FILE"] = dir_.path() + "/empty";
    auto empty = MakeWorkloadSource(IdentityConfig{}, Context(http_, env));
    auto t2 = (*empty)->Fetch(kVault);
    ASSERT_FALSE(t2.ok());
    EXPECT_THAT(t2.status().message(), HasSubstr("empty"));
}

TEST_F(WorkloadSourceTest, EntraErrorIsReportedWithoutTheAssertion) {
    http_.Push(Answer(
        400,
        R"({"error":"invalid_client","error_description":"AADSTS70021: No matching federated identity record found","error_codes":[70021]})"));
    auto src = MakeWorkloadSource(IdentityConfig{}, Context(http_, Env()));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().service_code(), "invalid_client");
    EXPECT_EQ(tok.status().http_status(), 400);
    EXPECT_THAT(tok.status().message(), HasSubstr("AADSTS70021"));
    EXPECT_THAT(tok.status().message(), HasSubstr("https://login.example.test/"));
    ExpectNoSecrets(tok.status(), {"ASSERTION"});
}

}  // namespace
}  // namespace azkv::identity
