#pragma once
// The Bearer challenge a vault sends with a 401 (WWW-Authenticate), which names the token
// resource (or scope) and the authority.

#include <optional>
#include <string>
#include <string_view>

namespace azkv::keyvault {

struct Challenge {
    std::string authorization;   // authority URL with the tenant: https://login.../{tenant}
    std::string resource;        // v1 resource, or the v2 scope without "/.default"
    std::string tenant() const;  // first path segment of `authorization`
};

// Parses `Bearer authorization="...", resource="..."` (also authorization_uri and scope).
// Returns nullopt for other schemes or a challenge with neither resource nor scope.
std::optional<Challenge> ParseChallenge(std::string_view www_authenticate);

}  // namespace azkv::keyvault
