#include "identity/identity_http.h"

#include <cctype>
#include <nlohmann/json.hpp>

namespace azkv::identity {
namespace {

constexpr size_t kMaxDescription = 300;

// Text from the server goes into messages that reach logs and users: keep it short and on one line.
std::string Sanitize(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, kMaxDescription)) {
        out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (s.size() > kMaxDescription)
        out += "...";
    return out;
}

// Endpoints spell errors three ways: Entra/IMDS {"error":"code","error_description":"..."},
// App Service {"error":{"code":"...","message":"..."}}, and a bare {"message":"..."}.
std::pair<std::string, std::string> ErrorFields(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object())
        return {};
    auto str = [](const nlohmann::json& o, const char* k) {
        auto it = o.find(k);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto err = doc.find("error");
    if (err != doc.end() && err->is_object())
        return {str(*err, "code"), str(*err, "message")};
    std::string description = str(doc, "error_description");
    if (description.empty())
        description = str(doc, "message");
    return {str(doc, "error"), description};
}

ErrorCode CodeForStatus(long status) {
    if (status == 429)
        return ErrorCode::kThrottled;
    if (status == 404 || status == 410 || status == 408 || status >= 500) {
        return ErrorCode::kUnavailable;
    }
    return ErrorCode::kUnauthenticated;
}

}  // namespace

std::string UrlEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
        }
    }
    return out;
}

std::string AppendQuery(const std::string& url, const QueryParams& params) {
    std::string out = url;
    char sep = url.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [k, v] : params) {
        out += sep;
        out += UrlEncode(k) + "=" + UrlEncode(v);
        sep = '&';
    }
    return out;
}

std::string AsV1Resource(const std::string& resource) {
    static const std::string kSuffix = "/.default";
    if (resource.size() >= kSuffix.size() &&
        resource.compare(resource.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
        return resource.substr(0, resource.size() - kSuffix.size());
    }
    return resource;
}

std::string AsV2Scope(const std::string& resource) {
    std::string base = AsV1Resource(resource);
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/.default";
}

StatusOr<std::optional<Selector>> PickSelector(
    const std::string& source,
    std::initializer_list<std::pair<const char*, std::string>> candidates) {
    std::optional<Selector> chosen;
    for (const auto& [param, value] : candidates) {
        if (value.empty())
            continue;
        if (chosen) {
            return Status(ErrorCode::kConfig,
                          source +
                              ": set at most one of identity client_id, object_id and "
                              "resource_id (both " +
                              chosen->param + " and " + param + " are set)");
        }
        chosen = Selector{param, value};
    }
    return chosen;
}

std::string EnvOr(const EnvLookup& env, const std::string& name) {
    if (!env)
        return {};
    return env(name).value_or(std::string());
}

SecretString SecretEnv(const EnvLookup& env, const std::string& name) {
    std::string plain = EnvOr(env, name);
    SecretString secret(plain);
    SecureWipe(plain.data(), plain.size());
    return secret;
}

std::string EndpointForMessage(const std::string& url) {
    return url.substr(0, url.find('?'));
}

Status HttpAnswerError(const std::string& source, const std::string& endpoint,
                       const http::Response& response) {
    auto [code, description] = ErrorFields(response.body);
    std::string msg =
        source + ": " + endpoint + " answered HTTP " + std::to_string(response.status);
    if (!code.empty())
        msg += " " + Sanitize(code);
    if (!description.empty())
        msg += ": " + Sanitize(description);
    Status st(CodeForStatus(response.status), msg);
    st.set_http_status(static_cast<int>(response.status));
    if (!code.empty())
        st.set_service_code(Sanitize(code));
    std::string_view rid = response.request_id();
    if (!rid.empty())
        st.set_request_id(Sanitize(rid));
    return st;
}

StatusOr<AccessToken> RequestToken(const HttpSend& send, const http::Request& request,
                                   const http::RetryPolicy& policy, const std::string& source) {
    std::string endpoint = EndpointForMessage(request.url);
    StatusOr<http::Response> resp = send(request, policy);
    if (!resp.ok()) {
        Status st = resp.status();
        st.Prepend(source + ": token request to " + endpoint + " failed: ");
        return st;
    }
    if (resp->status < 200 || resp->status >= 300)
        return HttpAnswerError(source, endpoint, *resp);
    StatusOr<AccessToken> token =
        ParseTokenResponse(resp->body, SystemClock::now(), source + " (" + endpoint + ")");
    // The body held the token in plain text.
    SecureWipe(resp->body.data(), resp->body.size());
    return token;
}

Status CheckIdentityUrl(const std::string& source, const std::string& url, bool allow_plain) {
    Status st = http::Client::CheckUrl(url, allow_plain);
    if (!st.ok()) {
        return Status(ErrorCode::kConfig, source + ": endpoint " + EndpointForMessage(url) +
                                              " refused: " + st.message());
    }
    return st;
}

}  // namespace azkv::identity
