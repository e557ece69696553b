#pragma once
// An access token and when it stops being usable.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "azkv/util/secret.h"
#include "azkv/util/status.h"

namespace azkv::identity {

using SystemClock = std::chrono::system_clock;

struct AccessToken {
    SecretString token;
    SystemClock::time_point expires_on;
    // When to start refreshing: from refresh_in when the issuer gave it, else half-life for
    // tokens living 2 h or more, else 5 minutes before expiry.
    SystemClock::time_point refresh_on;
};

// Parses every token response shape seen in practice (IMDS all-string fields, App Service
// expires_on as a string, Entra v2 numbers, refresh_in, RFC 3339 / RFC 1123 dates).
// `source` names the endpoint in error messages. Never includes the token in an error.
StatusOr<AccessToken> ParseTokenResponse(std::string_view body, SystemClock::time_point now,
                                         const std::string& source);

}  // namespace azkv::identity
