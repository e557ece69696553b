// ParseTokenResponse and the time rules behind it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "azkv/identity/access_token.h"
#include "identity/token_time.h"
#include "identity_fakes.h"

namespace azkv::identity {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr long long kNow = 1700000000;  // 2023-11-14T22:13:20Z
const SystemClock::time_point kNowTp{seconds(kNow)};
constexpr const char* kSecret = "tok-SECRET-abc";

SystemClock::time_point At(long long epoch) {
    return SystemClock::time_point(seconds(epoch));
}

StatusOr<AccessToken> Parse(const std::string& fields) {
    std::string body = std::string(R"({"access_token":")") + kSecret + "\"" +
                       (fields.empty() ? "" : "," + fields) + "}";
    return ParseTokenResponse(body, kNowTp, "imds (http://x/token)");
}

void ExpectError(const StatusOr<AccessToken>& r, const std::string& field) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kBadResponse);
    EXPECT_THAT(r.status().message(), HasSubstr("imds (http://x/token)"));
    EXPECT_THAT(r.status().message(), HasSubstr(field));
    EXPECT_THAT(r.status().message(), Not(HasSubstr(kSecret)));
}

TEST(TokenResponse, ImdsAllStrings) {
    auto r = Parse(R"("expires_in":"3599","expires_on":"1700003599","token_type":"Bearer")");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->token.reveal(), kSecret);
    EXPECT_EQ(r->expires_on, kNowTp + seconds(3599));
}

struct ExpiryCase {
    const char* what;
    const char* fields;
    long long expires_on;  // epoch seconds
};

class Expiry : public ::testing::TestWithParam<ExpiryCase> {};

TEST_P(Expiry, EveryShapeGivesTheSameInstant) {
    auto r = Parse(GetParam().fields);
    ASSERT_TRUE(r.ok()) << GetParam().what << ": " << r.status().message();
    EXPECT_EQ(r->token.reveal(), kSecret);
    EXPECT_EQ(r->expires_on, At(GetParam().expires_on)) << GetParam().what;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Expiry,
    ::testing::Values(
        ExpiryCase{"entra numbers", R"("expires_in":3599,"ext_expires_in":3599)", kNow + 3599},
        ExpiryCase{"expires_in wins", R"("expires_in":100,"expires_on":1800000000)", kNow + 100},
        ExpiryCase{"app service string", R"("expires_on":"1700086400")", 1700086400},
        ExpiryCase{"service fabric number", R"("expires_on":1700086400)", 1700086400},
        ExpiryCase{"fractional number", R"("expires_on":1700086400.75)", 1700086400},
        ExpiryCase{"fractional string", R"("expires_on":"1700086400.5")", 1700086400},
        ExpiryCase{"rfc3339 Z", R"("expires_on":"2023-11-15T22:13:20Z")", kNow + 86400},
        ExpiryCase{"rfc3339 fraction", R"("expires_on":"2023-11-15T22:13:20.1234567Z")",
                   kNow + 86400},
        ExpiryCase{"rfc3339 +02:00", R"("expires_on":"2023-11-16T00:13:20+02:00")", kNow + 86400},
        ExpiryCase{"rfc3339 -02:00", R"("expires_on":"2023-11-15T20:13:20-02:00")", kNow + 86400},
        ExpiryCase{"rfc1123", R"("expires_on":"Wed, 15 Nov 2023 22:13:20 GMT")", kNow + 86400},
        ExpiryCase{"rfc1123 no weekday", R"("expires_on":"15 Nov 2023 22:13:20 GMT")",
                   kNow + 86400},
        ExpiryCase{"nulls are absent",
                   R"("expires_in":null,"expires_on":"1700003600","refresh_in":null)",
                   1700003600}));

TEST(TokenResponse, MissingOrBadAccessToken) {
    ExpectError(ParseTokenResponse(R"({"expires_in":10})", kNowTp, "imds (http://x/token)"),
                "access_token");
    ExpectError(ParseTokenResponse(R"({"access_token":42,"expires_in":10})", kNowTp,
                                   "imds (http://x/token)"),
                "access_token");
    ExpectError(ParseTokenResponse(R"({"access_token":"","expires_in":10})", kNowTp,
                                   "imds (http://x/token)"),
                "access_token");
}

TEST(TokenResponse, NotJson) {
    for (const char* body : {"", "null", "[]", "<html>bad gateway</html>", "{\"access_token\":"}) {
        auto r = ParseTokenResponse(body, kNowTp, "imds (http://x/token)");
        ExpectError(r, "not a JSON object");
    }
}

TEST(TokenResponse, NoExpiry) {
    ExpectError(Parse(R"("token_type":"Bearer")"), "expires_on");
}

TEST(TokenResponse, GarbageExpiry) {
    ExpectError(Parse(R"("expires_in":"soon")"), "expires_in");
    ExpectError(Parse(R"("expires_in":"-5")"), "expires_in");
    ExpectError(Parse(R"("expires_in":-5)"), "expires_in");
    ExpectError(Parse(R"("expires_in":" 60")"), "expires_in");
    ExpectError(Parse(R"("expires_in":true)"), "expires_in");
    ExpectError(Parse(R"("expires_in":{})"), "expires_in");
    ExpectError(Parse(R"("expires_on":"tomorrow")"), "expires_on");
    ExpectError(Parse(R"("expires_on":"2023-13-15T22:13:20Z")"), "expires_on");
    ExpectError(Parse(R"("expires_on":"2023-11-15T22:13:20")"), "expires_on");  // no zone
    ExpectError(Parse(R"("expires_on":"Wed, 15 Foo 2023 22:13:20 GMT")"), "expires_on");
    ExpectError(Parse(R"("expires_on":[1])"), "expires_on");
    ExpectError(Parse(R"("expires_in":60,"refresh_in":"x")"), "refresh_in");
}

TEST(TokenResponse, HugeValues) {
    ExpectError(Parse(R"("expires_in":2147483648)"), "expires_in");
    ExpectError(Parse(R"("expires_in":"99999999999999999999999")"), "expires_in");
    ExpectError(Parse(R"("expires_in":1e300)"), "expires_in");
    ExpectError(Parse(R"("expires_on":253402300800)"), "expires_on");
    ExpectError(Parse(R"("expires_on":"253402300800")"), "expires_on");
    ExpectError(Parse(R"("expires_on":18446744073709551615)"), "expires_on");
    ExpectError(Parse(R"("refresh_in":2147483648,"expires_in":60)"), "refresh_in");
    // The limits themselves are accepted.
    auto max_in = Parse(R"("expires_in":2147483647)");
    ASSERT_TRUE(max_in.ok());
    EXPECT_EQ(max_in->expires_on, kNowTp + seconds(2147483647LL));
    auto max_on = Parse(R"("expires_on":253402300799)");
    ASSERT_TRUE(max_on.ok());
    // Past system_clock's range (2262): clamped, still far in the future, no overflow.
    EXPECT_GT(max_on->expires_on, At(9000000000LL));
    EXPECT_EQ(max_on->refresh_on, kNowTp + (max_on->expires_on - kNowTp) / 2);
}

TEST(TokenResponse, AlreadyExpired) {
    ExpectError(Parse(R"("expires_on":1600000000)"), "expired");
    ExpectError(Parse(R"("expires_in":0)"), "expired");
}

TEST(TokenResponse, RefreshInIsHonoured) {
    auto r = Parse(R"("expires_in":86399,"refresh_in":43199)");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->refresh_on, kNowTp + seconds(43199));
    auto s = Parse(R"("expires_in":3600,"refresh_in":"600")");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->refresh_on, kNowTp + seconds(600));
}

TEST(TokenResponse, RefreshInNeverPastFiveMinutesBeforeExpiry) {
    auto r = Parse(R"("expires_in":3600,"refresh_in":3590)");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->refresh_on, kNowTp + seconds(3300));
}

TEST(RefreshOn, LongLivedTokensRefreshAtHalfLife) {
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + hours(24), std::nullopt), kNowTp + hours(12));
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + hours(2), std::nullopt), kNowTp + hours(1));
}

TEST(RefreshOn, ShorterTokensRefreshFiveMinutesBeforeExpiry) {
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + hours(1), std::nullopt), kNowTp + minutes(55));
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + minutes(119), std::nullopt), kNowTp + minutes(114));
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + minutes(10), std::nullopt), kNowTp + minutes(5));
}

TEST(RefreshOn, VeryShortTokensRefreshAtHalfLife) {
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + minutes(4), std::nullopt), kNowTp + minutes(2));
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + seconds(61), std::nullopt),
              kNowTp + seconds(30) + std::chrono::milliseconds(500));
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + seconds(8), std::nullopt), kNowTp + seconds(4));
}

TEST(RefreshOn, NeverBeforeNow) {
    EXPECT_EQ(RefreshOn(kNowTp, kNowTp + hours(1), seconds(0)), kNowTp);
    EXPECT_GE(RefreshOn(kNowTp, kNowTp + seconds(1), std::nullopt), kNowTp);
}

TEST(TokenTime, NumericString) {
    EXPECT_EQ(ParseNumericString("0"), 0);
    EXPECT_EQ(ParseNumericString("1586984735"), 1586984735);
    EXPECT_EQ(ParseNumericString("12.50"), 12);
    EXPECT_FALSE(ParseNumericString(""));
    EXPECT_FALSE(ParseNumericString("12."));
    EXPECT_FALSE(ParseNumericString(".5"));
    EXPECT_FALSE(ParseNumericString("+12"));
    EXPECT_FALSE(ParseNumericString("1e5"));
    EXPECT_FALSE(ParseNumericString("1234567890123456789"));  // 19 digits: could overflow
}

TEST(TokenTime, CliLocalTime) {
    auto expected = testing::LocalTime(2024, 7, 1, 13, 14, 15);
    EXPECT_EQ(ParseCliLocalTime("2024-07-01 13:14:15.123456"), expected);
    EXPECT_EQ(ParseCliLocalTime("2024-07-01 13:14:15"), expected);
    EXPECT_FALSE(ParseCliLocalTime("2024-07-01T13:14:15"));
    EXPECT_FALSE(ParseCliLocalTime("2024-07-01 13:14"));
    EXPECT_FALSE(ParseCliLocalTime("2024-07-01 25:14:15"));
}

}  // namespace
}  // namespace azkv::identity
