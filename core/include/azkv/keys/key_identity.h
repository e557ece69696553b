#pragma once
// What every key object (RemoteKey, AesKey) learns from its bundle's kid: which vault, which key,
// which version, and whether the vault is a Managed HSM.

#include <string>

#include "azkv/keyvault/client.h"
#include "azkv/keyvault/models.h"
#include "azkv/util/status.h"

namespace azkv::keys {

struct KeyIdentity {
    std::string vault;  // origin, https://HOST
    std::string name;
    std::string version;
    bool managed_hsm = false;

    // The prefix of every message about this key version: "vault V key K/VER op: ".
    std::string Context(const std::string& op) const;
};

// Parses the kid, which must carry a version (a key object is always one version). The service
// kind comes from `client` when there is one (it knows the config and the vault's challenge),
// else from the host name.
StatusOr<KeyIdentity> IdentifyKey(const keyvault::Client* client,
                                  const keyvault::KeyBundle& bundle);

}  // namespace azkv::keys
