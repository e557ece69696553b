// Fault injection and concurrency: latency is slept in the connection's own thread.
#include <chrono>
#include <cstdio>
#include <thread>

#include "emu_test_util.h"

namespace emu_test {
namespace {

using Clock = std::chrono::steady_clock;

class FaultsTest : public EmulatorSuite {
protected:
    void TearDown() override { emu().ClearFaults(); }
};

TEST_F(FaultsTest, Throttle429WithAndWithoutRetryAfter) {
    emu().SetFaults({{"rate_429", 1.0}, {"retry_after_s", 7}});
    auto r = call("GET", "demo", "/keys");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.Header("retry-after"), "7");
    EXPECT_EQ(r.Json()["error"]["code"], "Throttled");
    emu().ClearFaults();
    emu().SetFaults({{"rate_429_no_retry_after", 1.0}});
    r = call("GET", "demo", "/keys");
    EXPECT_EQ(r.status, 429);
    EXPECT_FALSE(r.HasHeader("retry-after"));
    EXPECT_NE(r.body.find("VaultRequestTypeLimitReached"), std::string::npos);
}

TEST_F(FaultsTest, ServerErrorsAndFilters) {
    auto key = create_key("demo", {{"kty", "EC"}});
    std::string kid = key["key"]["kid"];
    std::string path = kid.substr(kid.find("/keys/"));
    emu().SetFaults({{"rate_503", 1.0}, {"operations", {"sign"}}});
    EXPECT_EQ(
        call("POST", "demo", path + "/sign", {{"alg", "ES256"}, {"value", b64url(sha("256", "a"))}})
            .status,
        503);
    EXPECT_EQ(call("GET", "demo", path).status, 200);  // filtered out
    emu().ClearFaults();
    emu().SetFaults({{"rate_500", 1.0}, {"vault", "hsm"}});
    EXPECT_EQ(call("GET", "demo", "/keys").status, 200);
    EXPECT_EQ(call("GET", "hsm", "/keys").status, 500);
    emu().ClearFaults();
    emu().SetFaults({{"vault_down", true}});
    EXPECT_EQ(call("GET", "demo", "/keys").status, 503);
}

TEST_F(FaultsTest, DeterministicWithSeed) {
    auto run = [&] {
        emu().SetFaults({{"rate_503", 0.5}, {"seed", 42}});
        std::string pattern;
        for (int i = 0; i < 20; ++i)
            pattern += call("GET", "demo", "/keys").status == 503 ? 'X' : '.';
        emu().ClearFaults();
        return pattern;
    };
    std::string a = run(), b = run();
    EXPECT_EQ(a, b);
    EXPECT_NE(a.find('X'), std::string::npos);
    EXPECT_NE(a.find('.'), std::string::npos);
}

TEST_F(FaultsTest, ConnectionReset) {
    emu().SetFaults({{"rate_reset", 1.0}});
    auto r = call("GET", "demo", "/keys");
    EXPECT_EQ(r.status, 0) << r.body;
    EXPECT_FALSE(r.error.empty());
    emu().ClearFaults();
    EXPECT_EQ(call("GET", "demo", "/keys").status, 200);  // the emulator is fine afterwards
}

TEST_F(FaultsTest, MalformedJsonAndSlowBody) {
    emu().SetFaults({{"rate_malformed_json", 1.0}});
    auto r = call("GET", "demo", "/keys");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.Json().is_discarded());
    emu().ClearFaults();
    emu().SetFaults({{"rate_slow_body", 1.0}, {"slow_body_ms", 300}});
    auto t0 = Clock::now();
    r = call("GET", "demo", "/keys");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.Json().is_discarded());
    EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(290));
}

TEST_F(FaultsTest, BadFaultsJsonIsRejected) {
    std::string u = emu().Info().identity_url + "/_emulator/faults";
    EXPECT_EQ(emu().Request("POST", u, R"({"rate_429": 2})").status, 400);
    EXPECT_EQ(emu().Request("POST", u, R"({"nonsense": 1})").status, 400);
    EXPECT_EQ(emu().Request("POST", u, R"({"operations": "sign"})").status, 400);
    EXPECT_EQ(emu().Request("POST", u, "{").status, 400);
    auto merged = emu().Request("POST", u, R"({"latency_ms": 1})");
    EXPECT_EQ(merged.Json()["latency_ms"], 1);
    merged = emu().Request("POST", u, R"({"jitter_ms": 2})");
    EXPECT_EQ(merged.Json()["latency_ms"], 1);  // POST merges
    EXPECT_EQ(emu().Request("DELETE", u).Json()["latency_ms"], 0);
}

TEST_F(FaultsTest, LatencyDoesNotBlockOtherConnections) {
    emu().SetFaults({{"latency_ms", 600}, {"operations", {"sign"}}});
    auto key = create_key("demo", {{"kty", "EC"}});
    std::string kid = key["key"]["kid"];
    std::string path = kid.substr(kid.find("/keys/"));
    std::string tok = token("demo");
    std::thread slow([&] {
        azkv::testing::HttpSession s(emu().Info().ca_file);
        s.Request("POST", url("demo", path + "/sign"),
                  nlohmann::json{{"alg", "ES256"}, {"value", b64url(sha("256", "a"))}}.dump(), tok);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto t0 = Clock::now();
    EXPECT_EQ(call("GET", "demo", path).status, 200);
    EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(300));
    slow.join();
}

// 128 concurrent keep-alive connections, 200 ms injected latency each: a round takes about
// 200 ms in total, which proves there is no worker-pool cap.
TEST_F(FaultsTest, ManyConcurrentKeepAliveConnections) {
    constexpr int kConns = 128, kRounds = 3;
    std::string tok = token("demo");
    std::string u = url("demo", "/keys?maxresults=1");
    std::vector<std::unique_ptr<azkv::testing::HttpSession>> sessions;
    for (int i = 0; i < kConns; ++i)
        sessions.push_back(std::make_unique<azkv::testing::HttpSession>(emu().Info().ca_file));
    // Warm up: establish every TLS connection first.
    {
        std::vector<std::thread> ts;
        for (int i = 0; i < kConns; ++i)
            ts.emplace_back(
                [&, i] { EXPECT_EQ(sessions[i]->Request("GET", u, "", tok).status, 200); });
        for (auto& t : ts)
            t.join();
    }
    emu().ResetStats();
    emu().SetFaults({{"latency_ms", 200}});
    std::atomic<int> ok{0};
    auto t0 = Clock::now();
    for (int round = 0; round < kRounds; ++round) {
        std::vector<std::thread> ts;
        for (int i = 0; i < kConns; ++i)
            ts.emplace_back(
                [&, i] { ok += sessions[i]->Request("GET", u, "", tok).status == 200; });
        for (auto& t : ts)
            t.join();
    }
    auto per_round = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / kRounds;
    std::printf("128 keep-alive connections, 200 ms injected latency: %.0f ms per round\n",
                per_round);
    EXPECT_EQ(ok, kConns * kRounds);
    EXPECT_LT(per_round, 600.0) << "a pool cap would serialise the 200 ms requests";
    EXPECT_GE(per_round, 195.0);
    auto stats = emu().Stats();
    EXPECT_EQ(stats["vaults"]["demo"]["tls_connections"], 0)
        << "keep-alive connections must be reused";
    EXPECT_EQ(stats["vaults"]["demo"]["requests"], kConns * kRounds);
}

}  // namespace
}  // namespace emu_test
