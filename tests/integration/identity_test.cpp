// Every real token source against azkv-emulator's identity endpoints; each token is then shown
// to a vault, which must accept it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "azkv/http/http_client.h"
#include "azkv/identity/token_cache.h"
#include "azkv/identity/token_source.h"
#include "emulator_process.h"

namespace azkv::itest {
namespace {

using azkv::testing::EmulatorOptions;
using azkv::testing::EmulatorProcess;
using identity::EnvLookup;
using identity::MakeTokenSource;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::chrono::milliseconds kBudget{3000};

EnvLookup Env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

class IdentitySuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        emu_ = std::make_unique<EmulatorProcess>(EmulatorOptions{.vaults = {"demo:vault"}});
        http::ClientOptions opts;
        opts.ca_file = emu_->Info().ca_file;
        opts.timeout_ms = 5000;
        client_ = std::make_shared<http::Client>(opts);
    }
    static void TearDownTestSuite() {
        client_.reset();
        emu_.reset();
    }
    static const azkv::testing::ReadyInfo& info() { return emu_->Info(); }
    static std::string Resource() { return emu_->Vault("demo").resource; }

    static std::unique_ptr<identity::TokenSource> Make(const IdentityConfig& cfg, EnvLookup env) {
        auto src = MakeTokenSource(cfg, client_, std::move(env), kBudget);
        EXPECT_TRUE(src.ok()) << src.status().ToString();
        return src.ok() ? std::move(src).value() : nullptr;
    }

    // The vault accepts the token: list keys with it.
    static void ExpectVaultAccepts(const SecretString& token) {
        auto r = emu_->Request("GET", emu_->Vault("demo").url + "/keys?api-version=7.5", "",
                               std::string(token.reveal()));
        EXPECT_EQ(r.status, 200) << r.body;
    }

    // What the workload identity webhook injects, pointed at the emulator's STS.
    static EnvLookup WorkloadEnv(const std::string& client_id) {
        return Env({{"AZURE_FEDERATED_TOKEN_FILE", info().workload_token_file},
                    {"AZURE_TENANT_ID", info().tenant},
                    {"AZURE_CLIENT_ID", client_id},
                    {"AZURE_AUTHORITY_HOST", info().workload_authority_host}});
    }

    static std::string FetchOk(identity::TokenSource& src) {
        auto tok = src.Fetch(Resource());
        EXPECT_TRUE(tok.ok()) << tok.status().ToString();
        if (!tok.ok())
            return "";
        EXPECT_GT(tok->expires_on, identity::SystemClock::now());
        EXPECT_LE(tok->refresh_on, tok->expires_on);
        ExpectVaultAccepts(tok->token);
        return std::string(tok->token.reveal());
    }

    static inline std::unique_ptr<EmulatorProcess> emu_;
    static inline std::shared_ptr<http::Client> client_;
};

TEST_F(IdentitySuite, ImdsThroughConfiguredEndpoint) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kImds;
    cfg.endpoint = info().imds_endpoint;
    auto src = Make(cfg, Env({}));
    ASSERT_TRUE(src);
    FetchOk(*src);
}

TEST_F(IdentitySuite, ImdsThroughPodIdentityVariable) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kImds;
    auto src = Make(cfg, Env({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", info().imds_endpoint}}));
    ASSERT_TRUE(src);
    FetchOk(*src);
}

TEST_F(IdentitySuite, ImdsUserAssignedSelectors) {
    ASSERT_GE(info().identities.size(), 2u);
    const auto& uai = info().identities[1];
    std::string system_token;
    {
        IdentityConfig cfg;
        cfg.type = IdentityType::kImds;
        cfg.endpoint = info().imds_endpoint;
        system_token = FetchOk(*Make(cfg, Env({})));
    }
    for (int which = 0; which < 3; ++which) {
        IdentityConfig cfg;
        cfg.type = IdentityType::kImds;
        cfg.endpoint = info().imds_endpoint;
        if (which == 0)
            cfg.client_id = uai.client_id;
        if (which == 1)
            cfg.object_id = uai.object_id;
        if (which == 2)
            cfg.resource_id = uai.resource_id;
        auto src = Make(cfg, Env({}));
        ASSERT_TRUE(src);
        EXPECT_NE(FetchOk(*src), system_token) << which;
    }
}

TEST_F(IdentitySuite, ImdsUnknownIdentityIsReported) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kImds;
    cfg.endpoint = info().imds_endpoint;
    cfg.client_id = "00000000-0000-0000-0000-000000000000";
    auto src = Make(cfg, Env({}));
    auto tok = src->Fetch(Resource());
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().http_status(), 400);
    EXPECT_THAT(tok.status().message(), HasSubstr("imds"));
    EXPECT_THAT(tok.status().message(), HasSubstr(info().imds_endpoint));
}

TEST_F(IdentitySuite, AppService) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kAppService;
    auto src = Make(cfg, Env({{"IDENTITY_ENDPOINT", info().app_service_endpoint},
                              {"IDENTITY_HEADER", info().app_service_header}}));
    ASSERT_TRUE(src);
    FetchOk(*src);
}

TEST_F(IdentitySuite, AppServiceWrongHeaderIsRefusedWithoutLeakingIt) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kAppService;
    auto src = Make(cfg, Env({{"IDENTITY_ENDPOINT", info().app_service_endpoint},
                              {"IDENTITY_HEADER", "wrong-AzKvEmUsEcReT-guess"}}));
    auto tok = src->Fetch(Resource());
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().http_status(), ::testing::AnyOf(401, 403));
    EXPECT_THAT(tok.status().ToString(), Not(HasSubstr("AzKvEmUsEcReT")));
}

TEST_F(IdentitySuite, Arc) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kArc;
    cfg.arc_token_dir = info().arc_token_dir;
    auto src = Make(cfg, Env({{"IDENTITY_ENDPOINT", info().arc_endpoint},
                              {"IMDS_ENDPOINT", info().arc_imds_endpoint}}));
    ASSERT_TRUE(src);
    FetchOk(*src);
    FetchOk(*src);  // a fresh challenge each time
}

TEST_F(IdentitySuite, ArcRefusesASecretOutsideTheAgentDirectory) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kArc;  // default directory: the emulator's is not it
    auto src = Make(cfg, Env({{"IDENTITY_ENDPOINT", info().arc_endpoint},
                              {"IMDS_ENDPOINT", info().arc_imds_endpoint}}));
    auto tok = src->Fetch(Resource());
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("not directly inside /var/opt/azcmagent/tokens"));
}

TEST_F(IdentitySuite, WorkloadIdentityOverHttps) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kWorkload;
    auto src = Make(cfg, WorkloadEnv(info().workload_client_id));
    ASSERT_TRUE(src);
    FetchOk(*src);
}

TEST_F(IdentitySuite, WorkloadWrongClientIsAnEntraError) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kWorkload;
    auto src = Make(cfg, WorkloadEnv("11111111-1111-1111-1111-111111111111"));
    auto tok = src->Fetch(Resource());
    ASSERT_FALSE(tok.ok());
    EXPECT_GE(tok.status().http_status(), 400);
    EXPECT_FALSE(tok.status().service_code().empty());
    EXPECT_THAT(tok.status().message(), HasSubstr("workload"));
}

TEST_F(IdentitySuite, AutoFindsImds) {
    IdentityConfig cfg;  // kAuto
    auto src = Make(cfg, Env({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", info().imds_endpoint},
                              {"PATH", "/nonexistent"}}));
    ASSERT_TRUE(src);
    FetchOk(*src);
    EXPECT_EQ(src->Name(), "imds");
}

TEST_F(IdentitySuite, CacheSendsOneTokenRequestForManyThreads) {
    IdentityConfig cfg;
    cfg.type = IdentityType::kImds;
    cfg.endpoint = info().imds_endpoint;
    identity::TokenCache cache(Make(cfg, Env({})));
    emu_->ResetStats();
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 32; ++i) {
        threads.emplace_back([&] {
            if (cache.Get(Resource()).ok())
                ++ok;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(ok.load(), 32);
    EXPECT_EQ(emu_->Stats().value("token_requests", -1), 1);
    EXPECT_EQ(cache.stats().fetches, 1);
}

}  // namespace
}  // namespace azkv::itest
