// TokenCache: single flight, refresh before expiry, failure handling, Invalidate, fork.

#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>

#include "azkv/identity/token_cache.h"

namespace azkv::identity {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

// A gate a fake fetch can be held at until the test opens it.
class Gate {
public:
    void Open() {
        std::lock_guard<std::mutex> lock(mu_);
        open_ = true;
        cv_.notify_all();
    }
    void Close() {
        std::lock_guard<std::mutex> lock(mu_);
        open_ = false;
    }
    void Pass() {
        std::unique_lock<std::mutex> lock(mu_);
        ++waiting_;
        cv_.notify_all();
        cv_.wait(lock, [&] { return open_; });
        --waiting_;
    }
    // Blocks until someone waits at the gate.
    bool AwaitWaiter(milliseconds within = milliseconds(2000)) {
        std::unique_lock<std::mutex> lock(mu_);
        return cv_.wait_for(lock, within, [&] { return waiting_ > 0; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool open_ = true;
    int waiting_ = 0;
};

// State shared between a test and its FakeSource (which the cache owns and may outlive the test
// body in a background thread).
struct Script {
    std::atomic<long long> now{1000000};  // the fake clock, epoch seconds
    std::atomic<int> calls{0};
    std::atomic<bool> fail{false};
    std::atomic<long long> lifetime{3600};
    std::atomic<int> delay_ms{0};
    Gate gate;
    SystemClock::time_point Now() const { return SystemClock::time_point(seconds(now.load())); }
};

class FakeSource : public TokenSource {
public:
    explicit FakeSource(std::shared_ptr<Script> s) : s_(std::move(s)) {}
    std::string Name() const override { return "fake"; }
    StatusOr<AccessToken> Fetch(const std::string& resource) override {
        int n = ++s_->calls;
        s_->gate.Pass();
        if (int d = s_->delay_ms.load())
            std::this_thread::sleep_for(milliseconds(d));
        if (s_->fail)
            return Status(ErrorCode::kUnavailable, "fake: boom " + std::to_string(n));
        AccessToken t;
        t.token = SecretString(resource + "#" + std::to_string(n));
        auto now = s_->Now();
        t.expires_on = now + seconds(s_->lifetime.load());
        t.refresh_on = now + seconds(s_->lifetime.load() / 2);
        return t;
    }

private:
    std::shared_ptr<Script> s_;
};

class TokenCacheTest : public ::testing::Test {
protected:
    std::unique_ptr<TokenCache> MakeCache(bool threads) {
        TokenCacheOptions opts;
        opts.allow_threads = threads;
        opts.clock = [s = script_] { return s->Now(); };
        return std::make_unique<TokenCache>(std::make_unique<FakeSource>(script_), opts);
    }
    static std::string Value(const StatusOr<SecretString>& v) {
        return v.ok() ? std::string(v->reveal()) : "error: " + v.status().message();
    }
    // Waits (bounded) until the cache has made `n` fetches.
    static bool AwaitFetches(TokenCache& cache, long n) {
        for (int i = 0; i < 400; ++i) {
            if (cache.stats().fetches >= n)
                return true;
            std::this_thread::sleep_for(milliseconds(5));
        }
        return false;
    }
    std::shared_ptr<Script> script_ = std::make_shared<Script>();
};

constexpr const char* kR = "https://vault.azure.net";

TEST_F(TokenCacheTest, ReturnsTheCachedTokenWhileValid) {
    auto cache = MakeCache(true);
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->now += 100;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    EXPECT_EQ(script_->calls, 1);
    EXPECT_EQ(cache->stats().fetches, 1);
    EXPECT_EQ(cache->SourceName(), "fake");
}

TEST_F(TokenCacheTest, TokensArePerResource) {
    auto cache = MakeCache(true);
    EXPECT_EQ(Value(cache->Get("a")), "a#1");
    EXPECT_EQ(Value(cache->Get("b")), "b#2");
    EXPECT_EQ(Value(cache->Get("a")), "a#1");
}

TEST_F(TokenCacheTest, SixtyFourThreadsAtAColdStartMakeOneFetch) {
    auto cache = MakeCache(true);
    script_->delay_ms = 300;
    std::latch start(64);
    std::vector<std::string> got(64);
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            got[static_cast<size_t>(i)] = Value(cache->Get(kR));
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(script_->calls, 1);
    EXPECT_EQ(cache->stats().fetches, 1);
    for (const auto& g : got)
        EXPECT_EQ(g, std::string(kR) + "#1");
}

TEST_F(TokenCacheTest, WaitersGetTheFetchError) {
    auto cache = MakeCache(true);
    script_->delay_ms = 300;
    script_->fail = true;
    std::latch start(64);
    std::vector<StatusOr<SecretString>> got(64, Status(ErrorCode::kInternal, "unset"));
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            got[static_cast<size_t>(i)] = cache->Get(kR);
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(script_->calls, 1);
    for (const auto& g : got) {
        ASSERT_FALSE(g.ok());
        EXPECT_EQ(g.status().code(), ErrorCode::kUnavailable);
        EXPECT_THAT(g.status().message(), HasSubstr("boom 1"));
    }
    EXPECT_EQ(cache->stats().failed_fetches, 1);
    // With no token at all, the next caller tries again at once.
    script_->fail = false;
    script_->delay_ms = 0;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#2");
}

TEST_F(TokenCacheTest, BackgroundRefreshBeforeExpiryNeverMakesCallersWait) {
    auto cache = MakeCache(true);
    ASSERT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->gate.Close();
    script_->now += 1801;  // past refresh_on (half of 3600), well before expiry
    // The refresh is held at the gate, yet callers get the current token at once.
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    ASSERT_TRUE(script_->gate.AwaitWaiter());
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    EXPECT_EQ(script_->calls, 2);  // one refresher, not one per caller
    script_->gate.Open();
    ASSERT_TRUE(AwaitFetches(*cache, 2));
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#2");
}

TEST_F(TokenCacheTest, WithoutThreadsTheFirstCallerRefreshesAndOthersKeepTheOldToken) {
    auto cache = MakeCache(false);
    ASSERT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->now += 1801;
    script_->gate.Close();
    std::string refresher;
    std::thread t([&] { refresher = Value(cache->Get(kR)); });
    ASSERT_TRUE(script_->gate.AwaitWaiter());
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");  // does not wait
    script_->gate.Open();
    t.join();
    EXPECT_EQ(refresher, std::string(kR) + "#2");
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#2");
    EXPECT_EQ(script_->calls, 2);
}

TEST_F(TokenCacheTest, FailedRefreshKeepsTheTokenAndIsRateLimited) {
    auto cache = MakeCache(false);
    ASSERT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->fail = true;
    script_->now += 1801;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    EXPECT_EQ(script_->calls, 2);
    EXPECT_EQ(cache->stats().failed_fetches, 1);
    script_->now += 29;  // too soon for another attempt
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    EXPECT_EQ(script_->calls, 2);
    script_->now += 1;  // 30 s after the failed attempt
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    EXPECT_EQ(script_->calls, 3);
    // Expired: the caller gets the error, and each call may try again.
    script_->now += 1800;
    auto expired = cache->Get(kR);
    ASSERT_FALSE(expired.ok());
    EXPECT_THAT(expired.status().message(), HasSubstr("boom 4"));
    script_->fail = false;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#5");
}

TEST_F(TokenCacheTest, FailedBackgroundRefreshKeepsTheToken) {
    auto cache = MakeCache(true);
    ASSERT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->fail = true;
    script_->now += 1801;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    ASSERT_TRUE(AwaitFetches(*cache, 2));
    EXPECT_EQ(cache->stats().failed_fetches, 1);
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->now += 10;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    EXPECT_EQ(script_->calls, 2);  // rate-limited
}

TEST_F(TokenCacheTest, AnExpiredTokenForcesAFetchDespiteTheRateLimit) {
    script_->lifetime = 100;
    auto cache = MakeCache(false);
    ASSERT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->now += 99;  // past refresh_on, 1 s before expiry; the refresh fails
    script_->fail = true;
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    script_->fail = false;
    script_->now += 2;  // expired, only 2 s after the failed attempt
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#3");
}

TEST_F(TokenCacheTest, InvalidateByManyThreadsCausesOneRefetch) {
    auto cache = MakeCache(true);
    auto first = cache->Get(kR);
    ASSERT_TRUE(first.ok());
    script_->delay_ms = 100;
    std::latch start(32);
    std::vector<std::string> got(32);
    std::vector<std::thread> threads;
    for (int i = 0; i < 32; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            cache->Invalidate(kR, *first);  // all saw the same 401
            got[static_cast<size_t>(i)] = Value(cache->Get(kR));
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(script_->calls, 2);
    for (const auto& g : got)
        EXPECT_EQ(g, std::string(kR) + "#2");
}

TEST_F(TokenCacheTest, RequestsShareOneImmutableTokenThatOutlivesItsReplacement) {
    auto cache = MakeCache(true);
    auto a = cache->GetShared(kR);
    auto b = cache->GetShared(kR);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->get(), b->get()) << "one shared token, not a copy per request";
    EXPECT_EQ((*a)->reveal(), std::string(kR) + "#1");
    // A 401 drops the cache's reference; a request still in flight keeps its token intact.
    cache->Invalidate(kR, **a);
    auto c = cache->GetShared(kR);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ((*c)->reveal(), std::string(kR) + "#2");
    EXPECT_NE(c->get(), a->get());
    EXPECT_EQ((*a)->reveal(), std::string(kR) + "#1");
    EXPECT_EQ(a->use_count(), 2) << "only the two requests hold the old token now";
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#2") << "Get still hands out a copy";
    EXPECT_EQ(script_->calls, 2);
}

TEST_F(TokenCacheTest, InvalidateLeavesAReplacedTokenAlone) {
    auto cache = MakeCache(true);
    auto first = cache->Get(kR);
    cache->Invalidate(kR, *first);
    auto second = cache->Get(kR);
    EXPECT_EQ(Value(second), std::string(kR) + "#2");
    cache->Invalidate(kR, *first);                          // stale: ignored
    cache->Invalidate(kR, SecretString("something else"));  // not ours: ignored
    cache->Invalidate("other-resource", *second);           // other resource: ignored
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#2");
    EXPECT_EQ(script_->calls, 2);
}

TEST_F(TokenCacheTest, DestructionDoesNotWaitForARefresh) {
    auto cache = MakeCache(true);
    ASSERT_TRUE(cache->Get(kR).ok());
    script_->gate.Close();
    script_->now += 1801;
    ASSERT_TRUE(cache->Get(kR).ok());
    ASSERT_TRUE(script_->gate.AwaitWaiter());
    auto start = std::chrono::steady_clock::now();
    cache.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(200));
    // The refresher finishes on its own with state that is still alive.
    script_->gate.Open();
    for (int i = 0; i < 200 && script_.use_count() > 1; ++i)
        std::this_thread::sleep_for(milliseconds(5));
    EXPECT_EQ(script_.use_count(), 1);  // the source (and the cache state) were freed
}

TEST_F(TokenCacheTest, ForkedChildGetsAFreshCache) {
    auto cache = MakeCache(true);
    ASSERT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
    // A fetch in flight in the parent at the moment of the fork: the child must not wait for it.
    script_->gate.Close();
    std::thread inflight([&] { (void)cache->Get("https://managedhsm.azure.net"); });
    ASSERT_TRUE(script_->gate.AwaitWaiter());

    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        alarm(5);              // a hang in the child fails the test instead of blocking it
        script_->gate.Open();  // the child's own copy of the gate
        auto hsm = cache->Get("https://managedhsm.azure.net");
        auto vault = cache->Get(kR);
        TokenCacheStats st = cache->stats();
        // Fresh state: both fetched anew, counted from zero.
        bool ok = hsm.ok() && vault.ok() && st.fetches == 2 &&
                  std::string(vault->reveal()) != std::string(kR) + "#1";
        _exit(ok ? 0 : 3);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    script_->gate.Open();
    inflight.join();
    ASSERT_TRUE(WIFEXITED(status)) << "child died of signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0);
    // The parent is unaffected.
    EXPECT_EQ(Value(cache->Get(kR)), std::string(kR) + "#1");
}

TEST_F(TokenCacheTest, NullSourceIsAnError) {
    TokenCache cache(nullptr);
    auto v = cache.Get(kR);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), ErrorCode::kConfig);
    EXPECT_EQ(cache.SourceName(), "none");
}

}  // namespace
}  // namespace azkv::identity
