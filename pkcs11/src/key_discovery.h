#pragma once
// Finding a vault's keys over the network. Lookups by name (and version) are single direct
// GETs, so an identity allowed only "get + sign" on one key can use it; listing is used only
// to enumerate, and only when no allowlist is configured.
//
// Keys that cannot be used (disabled, symmetric, software-protected without
// allow_software_keys, forbidden) are skipped with a log line saying why.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "azkv/runtime.h"

namespace azkv::p11 {

struct FoundKey {
    std::shared_ptr<const keys::RemoteKey> key;  // an RSA/EC key pair, or
    bool current = false;  // the latest version (or the version the allowlist pins)
    std::shared_ptr<const keys::AesKey> aes;  // a Managed HSM AES key (then `key` is null)

    const std::string& name() const { return aes ? aes->name() : key->name(); }
    const std::string& version() const { return aes ? aes->version() : key->version(); }
};

class KeyDiscovery {
public:
    KeyDiscovery(std::shared_ptr<Runtime> runtime, const VaultConfig& vault);

    // "name" (the latest, or the pinned version) or "name/version".
    std::optional<FoundKey> ByLabel(const std::string& label);
    std::optional<FoundKey> ByName(const std::string& name, const std::string& version);
    // Every usable key: the allowlist's keys, else every key the identity may list; with
    // "versions": "all", every enabled version of each.
    std::vector<FoundKey> Enumerate();
    // A version id (32 hex digits) among `names`, by direct GETs.
    std::optional<FoundKey> ByVersion(const std::vector<std::string>& names,
                                      const std::string& version);
    // The names the allowlist holds, or (by listing) the vault's enabled key names.
    std::vector<std::string> Names();

private:
    bool Allowed(const std::string& name) const;
    std::string PinnedVersion(const std::string& name) const;
    void AddVersions(const std::string& name, std::vector<FoundKey>& out);

    std::shared_ptr<Runtime> runtime_;
    VaultConfig vault_;
};

}  // namespace azkv::p11
