// The properties that make azkv fast and dull to operate: pooled keep-alive connections,
// single-flight tokens, retries within a budget, one refresh on a 401, fork safety, and logs
// that never carry a secret. Counted by the emulator, not by the code under test.
#include <gmock/gmock.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <thread>

#include "azkv/identity/token_source.h"
#include "azkv/log/log.h"
#include "core_fixture.h"

namespace azkv::itest {
namespace {

using ::testing::HasSubstr;

// Collects every log line while it lives, then restores the log's configured target.
class LogCapture {
public:
    LogCapture() {
        log::SetSinkForTesting([this](const std::string& l) {
            std::lock_guard<std::mutex> g(mu_);
            lines_.push_back(l);
        });
    }
    ~LogCapture() { Stop(); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<std::string> Stop() {
        log::SetSinkForTesting(nullptr);
        log::Configure({});
        std::lock_guard<std::mutex> g(mu_);
        return lines_;
    }

private:
    std::mutex mu_;
    std::vector<std::string> lines_;
};

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

    // `threads` threads start at once, each loading the key through `rt` and signing once.
    // Returns how many failed.
    int SignFromThreads(Runtime& rt, const std::string& key_name, int threads) {
        std::latch start(threads);
        std::vector<std::thread> workers;
        std::atomic<int> failures{0};
        for (int i = 0; i < threads; ++i) {
            workers.emplace_back([&] {
                start.arrive_and_wait();
                auto key = rt.Key(VaultUrl(), key_name, "");
                if (!key.ok() || !SignOnce(**key).ok())
                    failures++;
            });
        }
        for (auto& t : workers)
            t.join();
        return failures.load();
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
    EXPECT_EQ(SignFromThreads(*rt, key_name, kThreads), 0);
    auto s = emu().Stats();
    EXPECT_EQ(Stat(s, "token_requests"), 1) << s.dump();
    EXPECT_LE(Stat(s, "tls_connections"), kMaxConnections) << s.dump();
    EXPECT_EQ(Ops(s, "sign"), kThreads) << s.dump();
}

TEST_F(TransportTest, SixteenThreadsFromColdStartSendOneChallengeProbe) {
    constexpr int kThreads = 16;
    auto setup_rt = MakeRuntime();
    auto key_name = MakeKey(setup_rt)->name();
    auto rt = MakeRuntime();  // cold: it has not met the vault's challenge yet
    emu().ResetStats();
    EXPECT_EQ(SignFromThreads(*rt, key_name, kThreads), 0);
    auto s = emu().Stats();
    // Every token this runtime sends is fresh and valid, so each 401 the vault answered was an
    // unauthenticated challenge probe.
    EXPECT_EQ(s["statuses"].value("401", 0L), 1) << "one probe, not one per thread: " << s.dump();
    EXPECT_EQ(Stat(s, "token_requests"), 1) << s.dump();
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

// Hands out tokens the vault never accepts (as from the wrong tenant, or for an identity
// removed from it), and counts how often it is asked.
class RefusedTokenSource : public identity::TokenSource {
public:
    explicit RefusedTokenSource(std::atomic<int>& fetches) : fetches_(fetches) {}
    std::string Name() const override { return "refused"; }
    StatusOr<identity::AccessToken> Fetch(const std::string&) override {
        ++fetches_;
        auto now = identity::SystemClock::now();
        // Well formed, but not signed by the emulator's token service.
        return identity::AccessToken{
            SecretString("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.bm90LXNpZ25lZA"),
            now + std::chrono::hours(1), now + std::chrono::minutes(30)};
    }

private:
    std::atomic<int>& fetches_;
};

TEST_F(TransportTest, TokenRefusedAgainAfterTheRefreshFailsAfterOneRetryWithAClearError) {
    auto rt = MakeRuntime();
    auto good_key = MakeKey(rt);  // created with a good token
    std::atomic<int> fetches{0};
    auto tokens =
        std::make_shared<identity::TokenCache>(std::make_unique<RefusedTokenSource>(fetches));
    auto vault = keyvault::VaultUrl::Parse(VaultUrl());
    ASSERT_TRUE(vault.ok());
    auto client = std::make_shared<keyvault::Client>(*vault, rt->http(), tokens);
    auto key = keys::RemoteKey::Create(client, good_key->bundle());
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    emu().ResetStats();

    Status st = SignOnce(**key);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), ErrorCode::kUnauthenticated) << st.ToString();
    EXPECT_EQ(fetches.load(), 2) << "the first token and exactly one refresh";
    auto s = emu().Stats();
    // The unauthenticated challenge probe (this client has not met the vault yet), the refused
    // attempt and the one retry with the refreshed token.
    EXPECT_EQ(s["statuses"].value("401", 0L), 3) << s.dump();
    EXPECT_EQ(Stat(s, "requests"), 3) << s.dump();
    EXPECT_EQ(Ops(s, "sign"), 0) << "nothing was signed: " << s.dump();
    EXPECT_THAT(st.message(), HasSubstr(VaultUrl())) << "names the vault";
    EXPECT_THAT(st.message(), HasSubstr(good_key->name())) << "names the key";
    EXPECT_THAT(st.message(), HasSubstr(" sign: ")) << "names the operation";
    EXPECT_THAT(st.message(), HasSubstr("HTTP 401")) << "names the cause";
    EXPECT_THAT(st.message(), HasSubstr("even after a refresh")) << "says what happened";
    EXPECT_THAT(st.message(), HasSubstr("azkv doctor")) << "says what to do";
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

TEST_F(TransportTest, ManagedHsmAesSizeProbeLogsItsExpected400sAtDebugOnly) {
    LogCapture capture;
    Config cfg = MakeConfig();
    cfg.log.level = LogLevel::kDebug;
    auto rt = MakeRuntime(cfg);
    auto hsm = rt->Vault(VaultUrl("hsm"));
    ASSERT_TRUE(hsm.ok());
    std::string name = UniqueName("aes");
    ASSERT_TRUE(
        (*hsm)
            ->CreateKey(name,
                        {.kty = "oct-HSM", .key_size = 128, .key_ops = {"wrapKey", "unwrapKey"}})
            .ok());
    emu().ResetStats();
    auto key = rt->KeyOfAnyKind(VaultUrl("hsm"), name, "");
    std::vector<std::string> lines = capture.Stop();
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    ASSERT_NE(key->aes, nullptr);
    EXPECT_EQ(key->aes->bits(), 128);
    // The probe tries 256 bits first: the HSM refuses that size with a 400, which is the
    // answer the probe is looking for.
    auto s = emu().Stats();
    EXPECT_EQ(s["statuses"].value("400", 0L), 1) << s.dump();
    int debug_400 = 0;
    for (const auto& l : lines) {
        EXPECT_EQ(l.find("ERROR"), std::string::npos) << "an expected 400 is not an error: " << l;
        debug_400 += l.find("DEBUG") != std::string::npos && l.find("400") != std::string::npos;
    }
    EXPECT_GE(debug_400, 1) << "the refused size is still visible at debug";
}

TEST_F(TransportTest, LogsAtTraceLevelNeverContainTokensOrSecrets) {
    LogCapture capture;
    Config cfg = MakeConfig(2000);
    cfg.log.level = LogLevel::kTrace;
    auto rt = MakeRuntime(cfg);
    auto key = MakeKey(rt);
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().RevokeTokens();
    ASSERT_TRUE(SignOnce(*key).ok());
    emu().SetFaults({{"rate_503", 1.0}, {"operations", {"sign"}}});
    EXPECT_FALSE(SignOnce(*key).ok());
    std::vector<std::string> lines = capture.Stop();
    ASSERT_FALSE(lines.empty());
    for (const auto& l : lines) {
        EXPECT_EQ(l.find("AzKvEmUtOkEn"), std::string::npos) << l;
        EXPECT_EQ(l.find("AzKvEmUsEcReT"), std::string::npos) << l;
        EXPECT_EQ(l.find("eyJ"), std::string::npos) << l;
    }
}

}  // namespace
}  // namespace azkv::itest
