#include "azkv/keys/key_identity.h"

#include "azkv/keyvault/vault_url.h"

namespace azkv::keys {

std::string KeyIdentity::Context(const std::string& op) const {
    return "vault " + vault + " key " + name + "/" + version + " " + op + ": ";
}

StatusOr<KeyIdentity> IdentifyKey(const keyvault::Client* client,
                                  const keyvault::KeyBundle& bundle) {
    auto id = keyvault::ObjectId::Parse(bundle.key.kid);
    if (!id.ok())
        return id.status();
    if (id->version.empty()) {
        return Status(ErrorCode::kBadResponse,
                      "the key bundle for " + bundle.key.kid + " has no version in its kid");
    }
    keyvault::ServiceKind kind = client != nullptr ? client->kind() : id->vault.kind();
    return KeyIdentity{.vault = id->vault.origin(),
                       .name = id->name,
                       .version = id->version,
                       .managed_hsm = kind == keyvault::ServiceKind::kManagedHsm};
}

}  // namespace azkv::keys
