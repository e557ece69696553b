// The auto chain and MakeTokenSource.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "identity_fakes.h"

namespace azkv::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing;  // NOLINT(google-build-using-namespace): the fakes

constexpr const char* kVault = "https://vault.azure.net";

class AutoSourceTest : public ::testing::Test {
protected:
    std::string FakeAzPrinting(const std::string& token) {
        dir_.Write(
            "az",
            "#!/bin/sh\necho '{\"accessToken\": \"" + token + "\", \"expires_on\": 4102444800}'\n",
            0755);
        return dir_.path();
    }
    TempDir dir_;
    FakeHttp http_;
};

TEST_F(AutoSourceTest, ImdsIsProbedThenUsedWithFullRetries) {
    http_.Push(Answer(200, ImdsBody()));
    http_.Push(Answer(200, ImdsBody()));
    auto src = MakeAutoSource(IdentityConfig{}, Context(http_, {{"PATH", dir_.path()}}));
    ASSERT_TRUE(src.ok());
    EXPECT_EQ((*src)->Name(), "auto");
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    EXPECT_EQ((*src)->Name(), "imds");
    ASSERT_TRUE((*src)->Fetch("https://managedhsm.azure.net").ok());
    auto reqs = http_.requests();
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].connect_timeout_ms, 1000);  // the probe: short and not retried
    EXPECT_EQ(reqs[1].connect_timeout_ms, 0);
    EXPECT_THAT(http_.retries_404(), ElementsAre(false, true));
}

TEST_F(AutoSourceTest, ProbeAnsweredWithARetryableStatusGetsTheFullPolicy) {
    http_.Push(Answer(410, "updating"));
    http_.Push(Answer(200, ImdsBody()));
    auto src = MakeAutoSource(IdentityConfig{}, Context(http_, {{"PATH", dir_.path()}}));
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    EXPECT_THAT(http_.retries_404(), ElementsAre(false, true));
    EXPECT_EQ(http_.requests().at(1).connect_timeout_ms, 0);
}

TEST_F(AutoSourceTest, FallsBackToTheCliWhenImdsIsAbsent) {
    // No scripted answers: the IMDS probe gets "connection refused".
    auto src =
        MakeAutoSource(IdentityConfig{}, Context(http_, {{"PATH", FakeAzPrinting("cli-tok")}}));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), "cli-tok");
    EXPECT_EQ((*src)->Name(), "cli");
    // It remembers: IMDS is not probed again.
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(AutoSourceTest, WorkloadComesFirstWhenConfigured) {
    std::string file = dir_.Write("fed", "ASSERTION");
    http_.Push(Answer(200, R"({"expires_in":3600,"access_token":"wl"})"));
    auto src = MakeAutoSource(IdentityConfig{},
                              Context(http_, {{"AZURE_FEDERATED_TOKEN_FILE", file},
                                              {"AZURE_TENANT_ID", "tenant1"},
                                              {"AZURE_CLIENT_ID", "cid"},
                                              {"AZURE_AUTHORITY_HOST", "https://sts.example.test/"},
                                              {"PATH", FakeAzPrinting("cli-tok")}}));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), "wl");
    EXPECT_EQ((*src)->Name(), "workload");
    EXPECT_EQ(http_.requests().at(0).url, "https://sts.example.test/tenant1/oauth2/v2.0/token");
}

TEST_F(AutoSourceTest, AppServiceAndArcAreDetected) {
    http_.Push(Answer(200, R"({"access_token":"as","expires_on":"4102444800"})"));
    auto app = MakeAutoSource(IdentityConfig{},
                              Context(http_, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token"},
                                              {"IDENTITY_HEADER", "h"}}));
    ASSERT_TRUE((*app)->Fetch(kVault).ok());
    EXPECT_EQ((*app)->Name(), "appservice");

    http_.Push(Answer(503, ""));  // Arc fails: the error says it was Arc that was tried
    auto arc = MakeAutoSource(IdentityConfig{},
                              Context(http_, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/arc/token"},
                                              {"IMDS_ENDPOINT", "http://127.0.0.1:1"}}));
    auto tok = (*arc)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("arc: failed"));
    EXPECT_EQ(http_.requests().back().url.rfind("http://127.0.0.1:1/arc/token?", 0), 0u);
}

TEST_F(AutoSourceTest, NothingWorksListsEverySource) {
    std::string file = dir_.Write("fed", "ASSERTION");
    auto src = MakeAutoSource(
        IdentityConfig{},
        Context(http_, {{"AZURE_FEDERATED_TOKEN_FILE", file}, {"PATH", "/nonexistent"}}));
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    const std::string& m = tok.status().message();
    EXPECT_EQ(tok.status().code(), ErrorCode::kUnauthenticated);
    EXPECT_THAT(m, HasSubstr("workload: skipped"));
    EXPECT_THAT(m, HasSubstr("AZURE_TENANT_ID"));
    EXPECT_THAT(m, HasSubstr("imds: failed"));
    EXPECT_THAT(m, HasSubstr("connection refused"));
    EXPECT_THAT(m, HasSubstr("cli: skipped"));
    EXPECT_THAT(m, HasSubstr("az login"));
    EXPECT_EQ((*src)->Name(), "auto");
}

TEST_F(AutoSourceTest, AChosenSourceIsNotAbandonedOnFailure) {
    http_.Push(Answer(200, ImdsBody()));
    http_.Push(Answer(400, R"({"error":"invalid_request"})"));
    auto src =
        MakeAutoSource(IdentityConfig{}, Context(http_, {{"PATH", FakeAzPrinting("cli-tok")}}));
    ASSERT_TRUE((*src)->Fetch(kVault).ok());
    auto tok = (*src)->Fetch(kVault);
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().service_code(), "invalid_request");
    EXPECT_EQ((*src)->Name(), "imds");
}

TEST(MakeTokenSource, BuildsTheConfiguredType) {
    TempDir dir;
    dir.Write("az", "#!/bin/sh\nexit 1\n", 0755);
    std::string fed = dir.Write("fed", "A");
    auto client = std::make_shared<http::Client>(http::ClientOptions{});
    EnvLookup env = Env({{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/t"},
                         {"IDENTITY_HEADER", "h"},
                         {"AZURE_FEDERATED_TOKEN_FILE", fed},
                         {"AZURE_TENANT_ID", "t"},
                         {"AZURE_CLIENT_ID", "c"},
                         {"PATH", dir.path()}});
    const std::vector<std::pair<IdentityType, std::string>> cases = {
        {IdentityType::kAuto, "auto"},
        {IdentityType::kImds, "imds"},
        {IdentityType::kAppService, "appservice"},
        {IdentityType::kArc, "arc"},
        {IdentityType::kWorkload, "workload"},
        {IdentityType::kCli, "cli"}};
    for (const auto& [type, name] : cases) {
        IdentityConfig cfg;
        cfg.type = type;
        auto src = MakeTokenSource(cfg, client, env, std::chrono::milliseconds(100));
        ASSERT_TRUE(src.ok()) << name << ": " << src.status().message();
        EXPECT_EQ((*src)->Name(), name);
    }
}

TEST(MakeTokenSource, ConfigErrorsSurface) {
    auto client = std::make_shared<http::Client>(http::ClientOptions{});
    IdentityConfig cfg;
    cfg.type = IdentityType::kImds;
    cfg.client_id = "a";
    cfg.resource_id = "b";
    auto src = MakeTokenSource(cfg, client, Env({}), std::chrono::milliseconds(100));
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.status().code(), ErrorCode::kConfig);
}

}  // namespace
}  // namespace azkv::identity
