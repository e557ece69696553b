// ParseTokenResponse: one parser for every token endpoint azkv speaks, because each of them
// spells the expiry differently (doc §4.7, §5 item 10).

#include "azkv/identity/access_token.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "identity/token_time.h"

namespace azkv::identity {
namespace {

using nlohmann::json;
using std::chrono::seconds;

Status Bad(const std::string& source, const std::string& what) {
    return {ErrorCode::kBadResponse, source + ": token response: " + what};
}

// A JSON number that is a non-negative count no larger than `max` (a fraction is dropped).
std::optional<long long> WholeNumber(const json& v, long long max) {
    if (v.is_number_unsigned()) {
        auto u = v.get<unsigned long long>();
        if (u > static_cast<unsigned long long>(max))
            return std::nullopt;
        return static_cast<long long>(u);
    }
    if (v.is_number_integer()) {
        auto i = v.get<long long>();
        if (i < 0 || i > max)
            return std::nullopt;
        return i;
    }
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (!std::isfinite(d) || d < 0 || d > static_cast<double>(max))
            return std::nullopt;
        return static_cast<long long>(d);
    }
    return std::nullopt;
}

// A count of seconds given as a number or a numeric string. Absent or null gives nullopt;
// anything else that is not such a count is an error naming the field.
StatusOr<std::optional<long long>> Seconds(const json& doc, const char* field,
                                           const std::string& source) {
    auto it = doc.find(field);
    if (it == doc.end() || it->is_null())
        return std::optional<long long>();
    std::optional<long long> n;
    if (it->is_string()) {
        n = ParseNumericString(it->get_ref<const std::string&>());
        if (n && *n > kMaxDurationSeconds)
            n.reset();
    } else {
        n = WholeNumber(*it, kMaxDurationSeconds);
    }
    if (!n) {
        return Bad(source, std::string("\"") + field +
                               "\" is not a number of seconds between 0 and 2147483647");
    }
    return n;
}

StatusOr<std::optional<SystemClock::time_point>> ExpiresOn(const json& doc,
                                                           const std::string& source) {
    auto it = doc.find("expires_on");
    if (it == doc.end() || it->is_null())
        return std::optional<SystemClock::time_point>();
    std::optional<long long> epoch;
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        epoch = ParseNumericString(s);
        if (!epoch) {
            if (auto date = ParseDate(s))
                return std::optional<SystemClock::time_point>(date);
        }
    } else {
        epoch = WholeNumber(*it, kMaxEpochSeconds);
    }
    if (!epoch || *epoch > kMaxEpochSeconds) {
        return Bad(source,
                   "\"expires_on\" is neither epoch seconds (at most 253402300799) nor an "
                   "RFC 3339 or RFC 1123 date");
    }
    return std::optional<SystemClock::time_point>(FromEpochSeconds(*epoch));
}

}  // namespace

StatusOr<AccessToken> ParseTokenResponse(std::string_view body, SystemClock::time_point now,
                                         const std::string& source) {
    json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object())
        return Bad(source, "not a JSON object");

    auto tok = doc.find("access_token");
    if (tok == doc.end() || !tok->is_string() || tok->get_ref<const std::string&>().empty()) {
        return Bad(source, "\"access_token\" is missing or not a non-empty string");
    }
    std::string& raw = tok->get_ref<std::string&>();
    AccessToken out;
    out.token = SecretString(raw);
    // The parsed document holds a plain copy of the token: wipe it before it is freed.
    SecureWipe(raw.data(), raw.size());

    AZKV_ASSIGN_OR_RETURN(std::optional<long long> refresh_in, Seconds(doc, "refresh_in", source));
    AZKV_ASSIGN_OR_RETURN(std::optional<long long> expires_in, Seconds(doc, "expires_in", source));
    if (expires_in) {
        out.expires_on = now + seconds(*expires_in);
    } else {
        AZKV_ASSIGN_OR_RETURN(std::optional<SystemClock::time_point> on, ExpiresOn(doc, source));
        if (!on)
            return Bad(source, "neither \"expires_in\" nor \"expires_on\" is present");
        out.expires_on = *on;
    }
    if (out.expires_on <= now)
        return Bad(source, "the token has already expired");

    std::optional<seconds> refresh;
    if (refresh_in)
        refresh = seconds(*refresh_in);
    out.refresh_on = RefreshOn(now, out.expires_on, refresh);
    return out;
}

}  // namespace azkv::identity
