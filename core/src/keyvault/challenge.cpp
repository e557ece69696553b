#include "azkv/keyvault/challenge.h"

#include <strings.h>

#include <cctype>

namespace azkv::keyvault {

std::string Challenge::tenant() const {
    size_t scheme = authorization.find("://");
    if (scheme == std::string::npos)
        return "";
    size_t slash = authorization.find('/', scheme + 3);
    if (slash == std::string::npos)
        return "";
    size_t end = authorization.find_first_of("/?#", slash + 1);
    return authorization.substr(slash + 1, end == std::string::npos ? end : end - slash - 1);
}

std::optional<Challenge> ParseChallenge(std::string_view h) {
    while (!h.empty() && h.front() == ' ')
        h.remove_prefix(1);
    if (h.size() < 7 || strncasecmp(h.data(), "Bearer ", 7) != 0)
        return std::nullopt;
    h.remove_prefix(7);
    Challenge c;
    std::string scope;
    // key="value" or key=value pairs, separated by commas and/or spaces.
    while (!h.empty()) {
        while (!h.empty() && (h.front() == ' ' || h.front() == ','))
            h.remove_prefix(1);
        size_t eq = h.find('=');
        if (eq == std::string_view::npos)
            break;
        std::string key(h.substr(0, eq));
        for (char& ch : key)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        h.remove_prefix(eq + 1);
        std::string value;
        if (!h.empty() && h.front() == '"') {
            size_t close = h.find('"', 1);
            if (close == std::string_view::npos)
                return std::nullopt;  // unterminated
            value = std::string(h.substr(1, close - 1));
            h.remove_prefix(close + 1);
        } else {
            size_t end = h.find_first_of(", ");
            value = std::string(h.substr(0, end));
            h.remove_prefix(end == std::string_view::npos ? h.size() : end);
        }
        if (key == "authorization" || key == "authorization_uri")
            c.authorization = value;
        if (key == "resource")
            c.resource = value;
        if (key == "scope")
            scope = value;
    }
    if (c.resource.empty() && !scope.empty()) {
        constexpr std::string_view kDefault = "/.default";
        if (scope.size() > kDefault.size() &&
            scope.compare(scope.size() - kDefault.size(), kDefault.size(), kDefault) == 0) {
            scope.resize(scope.size() - kDefault.size());
        }
        c.resource = scope;
    }
    while (!c.resource.empty() && c.resource.back() == '/')
        c.resource.pop_back();
    if (c.resource.empty())
        return std::nullopt;
    return c;
}

}  // namespace azkv::keyvault
