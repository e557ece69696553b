#include "azkv/keyvault/vault_url.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace azkv::keyvault {
namespace {

struct Cloud {
    const char* vault_suffix;
    const char* vault_resource;
    const char* hsm_suffix;
    const char* hsm_resource;
};

constexpr std::array<Cloud, 4> kClouds = {{
    {".vault.azure.net", "https://vault.azure.net", ".managedhsm.azure.net",
     "https://managedhsm.azure.net"},
    {".vault.azure.cn", "https://vault.azure.cn", ".managedhsm.azure.cn",
     "https://managedhsm.azure.cn"},
    {".vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net", ".managedhsm.usgovcloudapi.net",
     "https://managedhsm.usgovcloudapi.net"},
    {".vault.microsoftazure.de", "https://vault.microsoftazure.de", nullptr, nullptr},
}};

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool IsHostChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

Status Bad(std::string_view url, const std::string& why) {
    return Status(ErrorCode::kInvalidArgument,
                  "\"" + std::string(url.substr(0, 200)) + "\" is not a usable vault URL: " + why);
}

}  // namespace

StatusOr<VaultUrl> VaultUrl::Parse(std::string_view url) {
    constexpr std::string_view kHttps = "https://";
    if (Lower(url.substr(0, kHttps.size())) != kHttps) {
        if (Lower(url.substr(0, 7)) == "http://") {
            return Bad(url, "it uses http://; Key Vault is reached only over https://");
        }
        return Bad(url, "it must start with https://");
    }
    std::string_view rest = url.substr(kHttps.size());
    size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    std::string_view tail = end == std::string_view::npos ? "" : rest.substr(end);
    if (!tail.empty() && tail != "/") {
        return Bad(url,
                   "a vault URL has no path, query or fragment (use https://NAME.vault.azure.net)");
    }
    if (authority.find('@') != std::string_view::npos) {
        return Bad(url, "it must not carry user information");
    }
    VaultUrl v;
    std::string_view host = authority;
    if (size_t colon = authority.rfind(':');
        colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        host = authority.substr(0, colon);
        std::string_view port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return Bad(url, "the port is not a number");
        }
        v.port_ = std::stoi(std::string(port));
        if (v.port_ < 1 || v.port_ > 65535)
            return Bad(url, "the port is out of range");
    }
    if (host.empty())
        return Bad(url, "the host is missing");
    bool bracketed = host.front() == '[' && host.back() == ']';
    if (!bracketed && !std::all_of(host.begin(), host.end(), IsHostChar)) {
        return Bad(url, "the host has characters a DNS name cannot have");
    }
    v.host_ = Lower(host);
    v.origin_ = "https://" + v.host_ + (v.port_ == 443 ? "" : ":" + std::to_string(v.port_));
    for (const Cloud& c : kClouds) {
        if (EndsWith(v.host_, c.vault_suffix)) {
            v.known_resource_ = c.vault_resource;
        } else if (c.hsm_suffix != nullptr && EndsWith(v.host_, c.hsm_suffix)) {
            v.known_resource_ = c.hsm_resource;
            v.kind_ = ServiceKind::kManagedHsm;
        }
    }
    return v;
}

bool ChallengeResourceAcceptable(const VaultUrl& vault, std::string_view resource) {
    std::string r = Lower(resource);
    while (!r.empty() && r.back() == '/')
        r.pop_back();
    constexpr std::string_view kDefault = "/.default";
    if (EndsWith(r, kDefault))
        r.resize(r.size() - kDefault.size());
    if (r == vault.origin() || r == "https://" + vault.host())
        return true;
    for (const Cloud& c : kClouds) {
        if (r == c.vault_resource || (c.hsm_resource != nullptr && r == c.hsm_resource)) {
            return true;
        }
    }
    return false;
}

bool IsValidObjectName(std::string_view name) {
    return !name.empty() && name.size() <= 127 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    });
}

bool IsValidVersion(std::string_view version) {
    return version.size() == 32 && std::all_of(version.begin(), version.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c));
           });
}

StatusOr<ObjectId> ObjectId::Parse(std::string_view url) {
    auto bad = [&](const std::string& why) {
        return Status(
            ErrorCode::kInvalidArgument,
            "\"" + std::string(url.substr(0, 300)) +
                "\" is not a Key Vault object identifier (https://VAULT/keys/NAME[/VERSION]): " +
                why);
    };
    constexpr std::string_view kHttps = "https://";
    if (Lower(url.substr(0, kHttps.size())) != kHttps)
        return bad("it must start with https://");
    size_t path_start = url.find('/', kHttps.size());
    if (path_start == std::string_view::npos)
        return bad("the path is missing");
    if (url.find_first_of("?#") != std::string_view::npos)
        return bad("it has a query or fragment");
    auto vault = VaultUrl::Parse(url.substr(0, path_start));
    if (!vault.ok())
        return vault.status();
    std::string_view path = url.substr(path_start + 1);
    if (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    std::string_view parts[4];
    size_t n = 0;
    while (!path.empty()) {
        if (n == 3)
            return bad("too many path segments");
        size_t slash = path.find('/');
        parts[n++] = path.substr(0, slash);
        path = slash == std::string_view::npos ? "" : path.substr(slash + 1);
    }
    if (n < 2)
        return bad("expected /keys/NAME or /keys/NAME/VERSION");
    ObjectId id{*vault, Lower(parts[0]), std::string(parts[1]),
                n == 3 ? std::string(parts[2]) : ""};
    if (id.collection != "keys" && id.collection != "certificates" && id.collection != "secrets") {
        return bad("the collection must be keys, certificates or secrets");
    }
    if (!IsValidObjectName(id.name))
        return bad("the name must be 1-127 of 0-9 a-z A-Z -");
    if (!id.version.empty() && !IsValidVersion(id.version)) {
        return bad("the version must be 32 hexadecimal digits");
    }
    id.version = Lower(id.version);
    return id;
}

std::string ObjectId::ToString() const {
    std::string s = vault.origin() + "/" + collection + "/" + name;
    if (!version.empty())
        s += "/" + version;
    return s;
}

}  // namespace azkv::keyvault
