// The properties that make azkv fast and dull to operate: pooled keep-alive connections,
// single-flight tokens, retries within a budget, one refresh on a 401, fork safety, and logs
// that never carry a secret. Counted by the emulator, not by the code under test.
#include <gmock/gmock.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "azkv/log/log.h"
#include "core_fixture.h"

namespace azkv::itest {
namespace {

using ::testing::HasSubstr;

class TransportTest : public CoreSuite {
protected:
    void SetUp() override { emu().ClearFaults(); }
    void TearDown() override { emu().ClearFaults(); }

    // A fresh runtime and a key made through it; stats reset afterwards.
    std::shared_ptr<const keys::RemoteKey> MakeKey(const std::shared_ptr<Runtime>& rt,
                                                   const std::string& kty = "EC-HSM") {
        auto c = rt->Vault(VaultUrl());
        EXPECT_TRUE(c.ok());
        std::string name = UniqueName("t");
        keyvault::CreateKeyParams p{.kty = kty};
        if (kty == "EC-HSM")
            p.crv = "P-256";
        else
            p.key_size = 2048;
        EXPECT_TRUE((*c)->CreateKey(name, p).ok());
        auto k = rt->Key(VaultUrl(), name, "");
        EXPECT_TRUE(k.ok()) << k.status().ToString();
        return *k;
    }

    static Status SignOnce(const keys::RemoteKey& key) {
        std::vector<uint8_t> digest(32, 0x11);
        auto plan = key.PlanEcdsaSign(digest);
        if (!plan.ok())
            return plan.status();
        auto sig = key.Sign(*plan);
        return sig.ok() ? Status::Ok() : sig.status();
    }

    static long Stat(const nlohmann::json& s, const char* name) { return s.value(name, 0L); }
    static long Ops(const nlohmann::json& s, const char* op) {
        return s["operations"].value(op, 0L);
    }
};

TEST_F(TransportTest, SixtyFourThreadsFromColdStartMakeOneTokenRequest) {
    constexpr int kThreads = 64;
    constexpr int kMaxConnections = 8;
    // Create the key with another runtime so that this one starts cold.
    auto setup_rt = MakeRuntime();
    auto key_name = MakeKey(setup_rt)->name();
    auto rt = MakeRuntime(MakeConfig(10000, kMaxConnections));
    emu().ResetStats();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            auto key = rt->Key(VaultUrl(), key_name, "");
            if (!key.ok() || !SignOnce(**key).ok())
                failures++;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    auto s = emu().Stats();
    EXPECT_EQ(Stat(s, "token_requests"), 1) << s.dump();
    EXPECT_LE(Stat(s, "tls_connections"), kMaxConnections) << s.dump();
    EXPECT_EQ(Ops(s, "sign"), kThreads) << s.dump();
}

TEST_F(TransportTest, WarmSignsReuseOneConnectionAndOneRequestEach) {
    auto rt = MakeRuntime(MakeConfig(10000, 4));
    auto key = MakeKey(rt);
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().ResetStats();
    for (int i = 0; i < 50; ++i)
        ASSERT_TRUE(SignOnce(*key).ok());
    auto s = emu().Stats();
    EXPECT_EQ(Stat(s, "tls_connections"), 0) << "a warm connection is reused: " << s.dump();
    EXPECT_EQ(Stat(s, "token_requests"), 0) << s.dump();
    EXPECT_EQ(Stat(s, "requests"), 50) << "exactly one request per sign, no GET: " << s.dump();
}

TEST_F(TransportTest, RevokedTokenCausesExactlyOneRefreshAndRetry) {
    auto rt = MakeRuntime();
    auto key = MakeKey(rt);
    emu().RevokeTokens();
    emu().ResetStats();
    ASSERT_TRUE(SignOnce(*key).ok());
    auto s = emu().Stats();
    EXPECT_EQ(Stat(s, "token_requests"), 1) << s.dump();
    EXPECT_EQ(Stat(s, "requests"), 2) << "the refused attempt and the retry: " << s.dump();
    EXPECT_EQ(s["statuses"].value("401", 0L), 1) << s.dump();
    ASSERT_TRUE(SignOnce(*key).ok());
    EXPECT_EQ(Stat(emu().Stats(), "token_requests"), 1);
}

TEST_F(TransportTest, ThrottlingAndServerErrorsAreRetriedWithinTheBudget) {
    auto rt = MakeRuntime(MakeConfig(20000));
    auto key = MakeKey(rt);
    emu().SetFaults({{"rate_429", 0.2},
                     {"rate_503", 0.1},
                     {"rate_reset", 0.05},
                     {"retry_after_s", 0},
                     {"operations", {"sign"}},
                     {"seed", 7}});
    int failures = 0;
    for (int i = 0; i < 60; ++i)
        failures += !SignOnce(*key).ok();
    EXPECT_EQ(failures, 0);
    auto s = emu().Stats();
    EXPECT_GT(Ops(s, "sign"), 60) << "some attempts were retried: " << s.dump();
}

TEST_F(TransportTest, ThrottlingBeyondTheBudgetFailsInTimeWithAClearError) {
    auto rt = MakeRuntime(MakeConfig(/*retry_budget_ms=*/1500));
    auto key = MakeKey(rt);
    emu().SetFaults({{"rate_429_no_retry_after", 1.0}, {"operations", {"sign"}}});
    auto start = std::chrono::steady_clock::now();
    Status st = SignOnce(*key);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), ErrorCode::kThrottled);
    EXPECT_THAT(st.message(), HasSubstr(key->name()));
    EXPECT_THAT(st.message(), HasSubstr("sign"));
    EXPECT_THAT(st.message(), HasSubstr("retry_budget_ms"));
    EXPECT_LT(ms, 3000) << "the budget bounds the wait";
}

TEST_F(TransportTest, VaultDownFailsWithinBudgetAndRecoversWithoutRestart) {
    auto rt = MakeRuntime(MakeConfig(/*retry_budget_ms=*/1000));
    auto key = MakeKey(rt);
    emu().SetFaults({{"vault_down", true}});
    auto start = std::chrono::steady_clock::now();
    Status st = SignOnce(*key);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), ErrorCode::kUnavailable) << st.ToString();
    EXPECT_THAT(st.message(), HasSubstr(VaultUrl()));
    EXPECT_LT(ms, 2500);
    emu().ClearFaults();
    EXPECT_TRUE(SignOnce(*key).ok());
}

TEST_F(TransportTest, StalledAnswerTimesOutAndTheConnectionIsNotReused) {
    Config cfg = MakeConfig(/*retry_budget_ms=*/0);
    cfg.http.timeout_ms = 500;
    auto rt = MakeRuntime(cfg);
    auto key = MakeKey(rt);
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().SetFaults({{"stall_ms", 2000}, {"operations", {"sign"}}});
    Status st = SignOnce(*key);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), ErrorCode::kDeadlineExceeded) << st.ToString();
    emu().ClearFaults();
    emu().ResetStats();
    ASSERT_TRUE(SignOnce(*key).ok());
    EXPECT_EQ(Stat(emu().Stats(), "tls_connections"), 1) << "the timed-out connection was dropped";
}

TEST_F(TransportTest, ForkedChildUsesItsOwnConnectionsAndParentKeepsItsOwn) {
    auto rt = MakeRuntime(MakeConfig(10000, 1));
    auto key = MakeKey(rt);
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().ResetStats();
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // The child signs with the key loaded before the fork.
        _exit(SignOnce(*key).ok() && SignOnce(*key).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    auto child = emu().Stats();
    EXPECT_EQ(Stat(child, "tls_connections"), 1) << "the child opened its own: " << child.dump();
    ASSERT_TRUE(SignOnce(*key).ok());
    auto after = emu().Stats();
    EXPECT_EQ(Stat(after, "tls_connections"), 1)
        << "the parent's connection survived the child: " << after.dump();
    EXPECT_EQ(Ops(after, "sign"), 3);
}

TEST_F(TransportTest, LogsAtTraceLevelNeverContainTokensOrSecrets) {
    std::vector<std::string> lines;
    std::mutex mu;
    log::SetSinkForTesting([&](const std::string& l) {
        std::lock_guard<std::mutex> g(mu);
        lines.push_back(l);
    });
    Config cfg = MakeConfig(2000);
    cfg.log.level = LogLevel::kTrace;
    auto rt = MakeRuntime(cfg);
    auto key = MakeKey(rt);
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().RevokeTokens();
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().SetFaults({{"rate_503", 1.0}, {"operations", {"sign"}}});
    EXPECT_FALSE(SignOnce(*key).ok());
    log::SetSinkForTesting(nullptr);
    log::Configure({});
    ASSERT_FALSE(lines.empty());
    for (const auto& l : lines) {
        EXPECT_EQ(l.find("AzKvEmUtOkEn"), std::string::npos) << l;
        EXPECT_EQ(l.find("AzKvEmUsEcReT"), std::string::npos) << l;
        EXPECT_EQ(l.find("eyJ"), std::string::npos) << l;
    }
}

}  // namespace
}  // namespace azkv::itest
