#include "azkv/http/retry_policy.h"

#include <gtest/gtest.h>

namespace azkv::http {
namespace {

using std::chrono::milliseconds;

Response WithStatus(long status, std::vector<Header> headers = {}) {
    Response r;
    r.status = status;
    r.headers = std::move(headers);
    return r;
}

// The delay after one failure that starts a fresh logical request.
std::optional<milliseconds> FirstDelay(const RetryPolicy& p, const Response* r,
                                       milliseconds elapsed) {
    RetryPolicy::Progress fresh;
    return p.NextDelay(fresh, r, elapsed);
}

void ExpectAboutSeconds(std::optional<milliseconds> d, long seconds) {
    ASSERT_TRUE(d.has_value());
    // Jitter of +-20% around the schedule.
    EXPECT_GE(d->count(), seconds * 800) << "expected about " << seconds << " s";
    EXPECT_LT(d->count(), seconds * 1200) << "expected about " << seconds << " s";
}

TEST(RetryPolicy, KeyVaultRetriesTheTransientStatusesOnly) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(60000));
    for (long s : {408, 429, 500, 502, 503, 504})
        EXPECT_TRUE(p.RetryableStatus(s)) << s;
    for (long s : {200, 400, 401, 403, 404, 409, 501})
        EXPECT_FALSE(p.RetryableStatus(s)) << s;
}

TEST(RetryPolicy, IdentityAlsoRetries404And410) {
    auto p = RetryPolicy::ForIdentity(milliseconds(60000));
    for (long s : {404, 410, 429, 500, 503})
        EXPECT_TRUE(p.RetryableStatus(s)) << s;
    for (long s : {400, 401, 403})
        EXPECT_FALSE(p.RetryableStatus(s)) << s;
}

TEST(RetryPolicy, HonoursRetryAfterSeconds) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(60000));
    Response r = WithStatus(429, {{"Retry-After", "3"}});
    EXPECT_EQ(FirstDelay(p, &r, milliseconds(0)), milliseconds(3000));
    Response ms = WithStatus(429, {{"retry-after-ms", "250"}});
    EXPECT_EQ(FirstDelay(p, &ms, milliseconds(0)), milliseconds(250));
}

TEST(RetryPolicy, ThrottlingWithoutRetryAfterFollowsTheServiceSchedule) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(600000));
    Response r = WithStatus(429);
    const long expected[] = {1000, 2000, 4000, 8000, 16000, 16000};
    RetryPolicy::Progress progress;
    for (int attempt = 1; attempt <= 6; ++attempt) {
        auto d = p.NextDelay(progress, &r, milliseconds(0));
        ASSERT_TRUE(d.has_value());
        // Jitter of +-20% around the documented 1, 2, 4, 8, 16 s.
        EXPECT_GE(d->count(), expected[attempt - 1] * 8 / 10) << attempt;
        EXPECT_LE(d->count(), std::min(expected[attempt - 1] * 12 / 10, 16000L)) << attempt;
    }
}

TEST(RetryPolicy, ThrottleScheduleCountsOnlyThrottlesWithoutServerDelay) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(600000));
    Response unavailable = WithStatus(503);
    Response retry_now = WithStatus(429, {{"Retry-After", "0"}});
    Response throttled = WithStatus(429);
    RetryPolicy::Progress progress;
    ASSERT_TRUE(p.NextDelay(progress, &unavailable, milliseconds(0)).has_value());
    ASSERT_TRUE(p.NextDelay(progress, &unavailable, milliseconds(0)).has_value());
    EXPECT_EQ(p.NextDelay(progress, &retry_now, milliseconds(0)), milliseconds(0));
    ASSERT_TRUE(p.NextDelay(progress, nullptr, milliseconds(0)).has_value());
    // Four failed attempts before it, but this is the first throttle of the schedule: 1 s.
    ExpectAboutSeconds(p.NextDelay(progress, &throttled, milliseconds(0)), 1);
    EXPECT_EQ(p.NextDelay(progress, &retry_now, milliseconds(0)), milliseconds(0));
    ExpectAboutSeconds(p.NextDelay(progress, &throttled, milliseconds(0)), 2);
    EXPECT_EQ(progress.attempts, 7);
    EXPECT_EQ(progress.throttled, 2);
}

TEST(RetryPolicy, ServerErrorScheduleIsNotPushedByThrottles) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(600000));
    Response throttled = WithStatus(429);
    Response unavailable = WithStatus(503);
    RetryPolicy::Progress progress;
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(p.NextDelay(progress, &throttled, milliseconds(0)).has_value());
    // The first 503 of the call waits the base delay (500 ms), not 500 ms * 2^4.
    auto d = p.NextDelay(progress, &unavailable, milliseconds(0));
    ASSERT_TRUE(d.has_value());
    EXPECT_GE(d->count(), 400);
    EXPECT_LT(d->count(), 600);
}

TEST(RetryPolicy, MaxAttemptsCountsEveryKindOfFailure) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(600000));
    Response retry_now = WithStatus(429, {{"Retry-After", "0"}});
    RetryPolicy::Progress progress;
    for (int i = 1; i < 10; ++i)
        EXPECT_TRUE(p.NextDelay(progress, &retry_now, milliseconds(0)).has_value()) << i;
    EXPECT_FALSE(p.NextDelay(progress, &retry_now, milliseconds(0)).has_value())
        << "ForKeyVault makes at most 10 attempts";
}

TEST(RetryPolicy, NeverExceedsTheBudget) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(1500));
    Response r = WithStatus(429, {{"Retry-After", "2"}});
    EXPECT_FALSE(FirstDelay(p, &r, milliseconds(0)).has_value());
    Response s = WithStatus(503);
    EXPECT_TRUE(FirstDelay(p, &s, milliseconds(0)).has_value());
    EXPECT_FALSE(FirstDelay(p, &s, milliseconds(1400)).has_value());
}

TEST(RetryPolicy, TransportFailuresRetryQuicklyFirst) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(10000));
    auto d = FirstDelay(p, nullptr, milliseconds(0));
    ASSERT_TRUE(d.has_value());
    EXPECT_LT(d->count(), 100);
}

TEST(RetryPolicy, StopsAfterMaxAttempts) {
    auto p = RetryPolicy::None();
    Response s = WithStatus(503);
    EXPECT_FALSE(FirstDelay(p, &s, milliseconds(0)).has_value());
    EXPECT_FALSE(p.RetryableStatus(503));
}

TEST(RetryPolicy, IgnoresMalformedRetryAfter) {
    Response r = WithStatus(429, {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}});
    EXPECT_FALSE(RetryPolicy::ServerDelay(r).has_value());
    Response neg = WithStatus(429, {{"Retry-After", "-5"}});
    EXPECT_FALSE(RetryPolicy::ServerDelay(neg).has_value());
}

}  // namespace
}  // namespace azkv::http
