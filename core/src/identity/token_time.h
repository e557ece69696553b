#pragma once
// Time fields of token responses: the many spellings of "when it expires", and when to refresh.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "azkv/identity/access_token.h"

namespace azkv::identity {

// Largest accepted expires_in / refresh_in (2^31-1 s) and expires_on (9999-12-31T23:59:59Z).
inline constexpr long long kMaxDurationSeconds = 2147483647LL;
inline constexpr long long kMaxEpochSeconds = 253402300799LL;

// Epoch seconds as a time point. system_clock counts nanoseconds and ends in 2262, before the
// accepted maximum (9999): later instants are clamped to a year before its end, which leaves room
// for arithmetic and is "never" for a token.
SystemClock::time_point FromEpochSeconds(long long epoch);

// "1586984735" (optionally with a fraction). Rejects signs, spaces and anything else.
std::optional<long long> ParseNumericString(std::string_view s);

// RFC 3339 ("2024-01-02T03:04:05.5+01:00", "...Z") or RFC 1123 ("Tue, 02 Jan 2024 03:04:05 GMT").
std::optional<SystemClock::time_point> ParseDate(std::string_view s);

// The Azure CLI's expiresOn: "2024-01-02 03:04:05.123456" in the machine's local time zone.
std::optional<SystemClock::time_point> ParseCliLocalTime(std::string_view s);

// When to start refreshing a token that expires at `expires_on`: after refresh_in when the issuer
// gave it, else at half-life for tokens living 2 h or more, else 5 minutes before expiry. Never
// later than 5 minutes before expiry, except that a token living under 10 minutes refreshes at
// half-life (5 minutes before expiry would come before it), and never before `now`.
SystemClock::time_point RefreshOn(SystemClock::time_point now, SystemClock::time_point expires_on,
                                  std::optional<std::chrono::seconds> refresh_in);

}  // namespace azkv::identity
