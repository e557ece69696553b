// azkv doctor: a token for each vault, its claims (never the token), and one authenticated call.
#include <ctime>

#include "azkv/keyvault/vault_url.h"
#include "azkv/util/base64.h"
#include "doctor.h"

namespace azkv::cli {
namespace {

// The payload of a JWT; nullopt for tokens that are not JWTs (some issuers use opaque tokens).
std::optional<nlohmann::json> Claims(std::string_view token) {
    size_t a = token.find('.');
    size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
    if (b == std::string_view::npos)
        return std::nullopt;
    auto payload = Base64UrlDecode(token.substr(a + 1, b - a - 1));
    if (!payload)
        return std::nullopt;
    auto j = nlohmann::json::parse(payload->begin(), payload->end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    return j;
}

std::string Str(const nlohmann::json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "-";
}

bool AudienceFits(const std::string& aud, const std::string& resource, const std::string& origin) {
    auto trim = [](std::string s) {
        while (!s.empty() && s.back() == '/')
            s.pop_back();
        return s;
    };
    return trim(aud) == trim(resource) || trim(aud) == trim(origin);
}

}  // namespace

bool CheckToken(Runtime& rt, const VaultConfig& vault, const VaultProbe& probe, Checklist& out) {
    std::string label = "vault " + (vault.label.empty() ? vault.url : vault.label);
    auto url = keyvault::VaultUrl::Parse(vault.url);
    if (!url.ok())
        return false;
    std::string resource =
        probe.challenge ? probe.challenge->resource : url->known_resource().value_or("");
    if (resource.empty()) {
        out.Skip(label + " token", "the token resource is unknown (no challenge from the vault)");
        return false;
    }
    const VaultConfig* entry = rt.VaultEntry(url->origin());
    IdentityConfig id =
        entry != nullptr && entry->identity ? *entry->identity : rt.config().identity;
    auto tokens = rt.Tokens(id);
    if (!tokens.ok()) {
        out.Fail(label + " token", tokens.status().message(),
                 "fix the identity settings in the config", ErrorCode::kConfig);
        return false;
    }
    auto token = (*tokens)->Get(resource);
    if (!token.ok()) {
        out.Fail(label + " token", token.status().message(),
                 "make the identity source work on this host (see the identity check above), or "
                 "choose another identity.type",
                 ErrorCode::kUnauthenticated);
        return false;
    }
    auto claims = Claims(token->reveal());
    if (!claims) {
        out.Warn(
            label + " token",
            "obtained from " + (*tokens)->SourceName() + ", but it is not a JWT: claims unknown",
            "");
    } else {
        std::string aud = Str(*claims, "aud");
        long long exp = claims->value("exp", 0LL);
        long long left = exp - static_cast<long long>(std::time(nullptr));
        std::string detail = "from " + (*tokens)->SourceName() + ": tenant " + Str(*claims, "tid") +
                             ", object id " + Str(*claims, "oid") + ", app id " +
                             Str(*claims, "appid") + ", audience " + aud + ", expires in " +
                             std::to_string(left / 60) + " min";
        if (!AudienceFits(aud, resource, url->origin())) {
            out.Fail(label + " token",
                     detail + ": the audience is wrong, the vault wants " + resource,
                     "the identity source issued a token for another resource: check the "
                     "identity endpoint (identity.endpoint), the `az` account, or a proxy that "
                     "answers for it; a vault accepts only tokens for " +
                         resource,
                     ErrorCode::kUnauthenticated);
            return false;
        }
        if (left <= 0) {
            out.Fail(label + " token", detail + ": already expired by this host's clock",
                     "synchronise the clock (see the clock check)", ErrorCode::kUnauthenticated);
            return false;
        }
        if (probe.challenge && !probe.challenge->tenant().empty() && Str(*claims, "tid") != "-" &&
            Str(*claims, "tid") != probe.challenge->tenant()) {
            out.Warn(label + " token",
                     detail + "; the vault's tenant is " + probe.challenge->tenant(),
                     "use an identity of the vault's tenant");
        } else {
            out.Ok(label + " token", detail);
        }
    }
    auto client = rt.Vault(vault.url);
    if (!client.ok())
        return false;
    auto listed = (*client)->Call("GET", "/keys?maxresults=1", nullptr, "list", "");
    if (listed.ok()) {
        out.Ok(label + " access", "the vault accepts the token (listing keys works)");
        return true;
    }
    const Status& st = listed.status();
    if (st.code() == ErrorCode::kPermissionDenied) {
        out.Warn(
            label + " access", "the token is accepted, but listing keys is denied: " + st.message(),
            "only needed for discovery: assign 'Key Vault Reader' (or Managed HSM Crypto User) "
            "if key discovery or `azkv key list` should work");
        return true;
    }
    out.Fail(label + " access", st.message(),
             st.code() == ErrorCode::kUnauthenticated
                 ? "the vault rejects the token: check the token's tenant and audience above"
                 : "see the network checks above",
             st.code());
    return false;
}

}  // namespace azkv::cli
