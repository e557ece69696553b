#pragma once
// Vault URLs and object identifiers as Key Vault spells them.

#include <optional>
#include <string>
#include <string_view>

#include "azkv/util/status.h"

namespace azkv::keyvault {

enum class ServiceKind { kVault, kManagedHsm };

// https://HOST[:PORT] with no path, query or credentials.
class VaultUrl {
public:
    // Rejects anything but https (a vault never speaks plain http), user-info, queries,
    // fragments and paths other than "/". Lower-cases the host; drops ":443".
    static StatusOr<VaultUrl> Parse(std::string_view url);

    const std::string& origin() const { return origin_; }  // https://host[:port]
    const std::string& host() const { return host_; }
    int port() const { return port_; }

    // Managed HSM hosts (*.managedhsm.azure.net and the sovereign equivalents).
    ServiceKind kind() const { return kind_; }
    // The token resource for a known cloud host ("https://vault.azure.net"); nullopt for other
    // hosts (private endpoints, emulators), whose resource comes from the 401 challenge.
    const std::optional<std::string>& known_resource() const { return known_resource_; }

private:
    std::string origin_;
    std::string host_;
    int port_ = 443;
    ServiceKind kind_ = ServiceKind::kVault;
    std::optional<std::string> known_resource_;
};

// Whether `resource` (from a challenge) is acceptable for `vault`: it names the vault's own
// origin or host, or it is one of the known cloud resources. Anything else is refused, so that
// a token is never obtained for, or sent to, a host it was not meant for.
bool ChallengeResourceAcceptable(const VaultUrl& vault, std::string_view resource);

// 1-127 characters of [0-9a-zA-Z-].
bool IsValidObjectName(std::string_view name);
// 32 hexadecimal digits.
bool IsValidVersion(std::string_view version);

// An object identifier: {origin}/{keys|certificates|secrets}/{name}[/{version}].
struct ObjectId {
    VaultUrl vault;
    std::string collection;  // "keys", "certificates" or "secrets"
    std::string name;
    std::string version;  // empty = latest

    // Accepts the kid exactly as the portal and CLI show it (one trailing slash tolerated).
    static StatusOr<ObjectId> Parse(std::string_view url);
    std::string ToString() const;
};

}  // namespace azkv::keyvault
