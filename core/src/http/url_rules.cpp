// The transport rules for every URL azkv talks to.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "azkv/http/http_client.h"

namespace azkv::http {
namespace {

std::string Lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Loopback (127/8, ::1, localhost) or link-local (169.254/16, where IMDS lives; fe80::/10).
bool IsLoopbackOrLinkLocal(const std::string& host) {
    if (host == "localhost")
        return true;
    in_addr a4{};
    if (inet_pton(AF_INET, host.c_str(), &a4) == 1) {
        uint32_t ip = ntohl(a4.s_addr);
        return (ip >> 24) == 127 || (ip >> 16) == 0xA9FE;
    }
    std::string h = host;
    if (h.size() > 2 && h.front() == '[' && h.back() == ']')
        h = h.substr(1, h.size() - 2);
    in6_addr a6{};
    if (inet_pton(AF_INET6, h.c_str(), &a6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&a6) || IN6_IS_ADDR_LINKLOCAL(&a6))
            return true;
    }
    return false;
}

}  // namespace

Status Client::CheckUrl(const std::string& url, bool allow_plain_loopback) {
    std::string lower = Lower(url.substr(0, 8));
    if (lower.rfind("https://", 0) == 0)
        return Status::Ok();
    if (lower.rfind("http://", 0) == 0) {
        std::string rest = url.substr(7);
        size_t end = rest.find_first_of("/?#");
        std::string authority = rest.substr(0, end);
        std::string host = authority;
        if (size_t at = host.rfind('@'); at != std::string::npos)
            host = host.substr(at + 1);
        if (!host.empty() && host.front() == '[') {
            host = host.substr(0, host.find(']') + 1);
        } else if (size_t colon = host.rfind(':'); colon != std::string::npos) {
            host = host.substr(0, colon);
        }
        if (allow_plain_loopback && IsLoopbackOrLinkLocal(Lower(host)))
            return Status::Ok();
        return Status(ErrorCode::kInvalidArgument,
                      "refusing plain http:// to " + authority +
                          ": azkv sends tokens and key operations only over https (plain http "
                          "is allowed only for identity endpoints on loopback or link-local "
                          "addresses)");
    }
    return Status(ErrorCode::kInvalidArgument,
                  "\"" + url.substr(0, 200) + "\" is not an https:// URL");
}

}  // namespace azkv::http
