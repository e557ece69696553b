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
    EXPECT_EQ(p.NextDelay(1, &r, milliseconds(0)), milliseconds(3000));
    Response ms = WithStatus(429, {{"retry-after-ms", "250"}});
    EXPECT_EQ(p.NextDelay(1, &ms, milliseconds(0)), milliseconds(250));
}

TEST(RetryPolicy, ThrottlingWithoutRetryAfterFollowsTheServiceSchedule) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(600000));
    Response r = WithStatus(429);
    const long expected[] = {1000, 2000, 4000, 8000, 16000, 16000};
    for (int attempt = 1; attempt <= 6; ++attempt) {
        auto d = p.NextDelay(attempt, &r, milliseconds(0));
        ASSERT_TRUE(d.has_value());
        // Jitter of +-20% around the documented 1, 2, 4, 8, 16 s.
        EXPECT_GE(d->count(), expected[attempt - 1] * 8 / 10) << attempt;
        EXPECT_LE(d->count(), std::min(expected[attempt - 1] * 12 / 10, 16000L)) << attempt;
    }
}

TEST(RetryPolicy, NeverExceedsTheBudget) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(1500));
    Response r = WithStatus(429, {{"Retry-After", "2"}});
    EXPECT_FALSE(p.NextDelay(1, &r, milliseconds(0)).has_value());
    Response s = WithStatus(503);
    EXPECT_TRUE(p.NextDelay(1, &s, milliseconds(0)).has_value());
    EXPECT_FALSE(p.NextDelay(1, &s, milliseconds(1400)).has_value());
}

TEST(RetryPolicy, TransportFailuresRetryQuicklyFirst) {
    auto p = RetryPolicy::ForKeyVault(milliseconds(10000));
    auto d = p.NextDelay(1, nullptr, milliseconds(0));
    ASSERT_TRUE(d.has_value());
    EXPECT_LT(d->count(), 100);
}

TEST(RetryPolicy, StopsAfterMaxAttempts) {
    auto p = RetryPolicy::None();
    Response s = WithStatus(503);
    EXPECT_FALSE(p.NextDelay(1, &s, milliseconds(0)).has_value());
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
