#pragma once
// What the HTTP token sources share: URL building, selector checks, turning an answer into a
// token or into an error that names the source, the endpoint and the cause (never a secret).

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "azkv/http/retry_policy.h"
#include "azkv/identity/sources.h"

namespace azkv::identity {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// url + "?" or "&" + k=v&..., every key and value encoded.
std::string AppendQuery(const std::string& url, const QueryParams& params);

// Managed-identity endpoints take a v1 resource: no trailing "/.default".
std::string AsV1Resource(const std::string& resource);
// Entra v2 wants a scope: the resource without trailing "/" plus "/.default".
std::string AsV2Scope(const std::string& resource);

// A user-assigned identity selector as the endpoint spells its query parameter.
struct Selector {
    std::string param;
    std::string value;
};

// The one selector that is set among `candidates` (parameter name, configured value), nullopt for
// the system-assigned identity, or a config error when more than one is set.
StatusOr<std::optional<Selector>> PickSelector(
    const std::string& source,
    std::initializer_list<std::pair<const char*, std::string>> candidates);

// The environment value, or "" when unset.
std::string EnvOr(const EnvLookup& env, const std::string& name);

// An environment variable that holds a secret; the plain copy the lookup made is wiped.
SecretString SecretEnv(const EnvLookup& env, const std::string& name);

// An endpoint URL for error messages: the query string is cut off.
std::string EndpointForMessage(const std::string& url);

// The error for an HTTP answer that is not a token: status, the identity error code ("error"),
// and its description, bounded and stripped of control characters.
Status HttpAnswerError(const std::string& source, const std::string& endpoint,
                       const http::Response& response);

// Sends `request`, and parses a 2xx answer as a token response. Transport failures and error
// answers come back as Status naming `source` and the endpoint.
StatusOr<AccessToken> RequestToken(const HttpSend& send, const http::Request& request,
                                   const http::RetryPolicy& policy, const std::string& source);

// The first checks of every HTTP source: the endpoint obeys the transport rules for identity
// endpoints (https, or http to loopback / link-local).
Status CheckIdentityUrl(const std::string& source, const std::string& url, bool allow_plain);

}  // namespace azkv::identity
