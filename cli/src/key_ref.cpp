#include "key_ref.h"

#include "azkv/keyvault/vault_url.h"

namespace azkv::cli {

StatusOr<KeyRef> ParseKeyRef(const std::string& ref, const std::string& vault_flag) {
    std::string s = ref;
    if (s.rfind("azkv:", 0) == 0)
        s = s.substr(5);
    if (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) {
        auto id = keyvault::ObjectId::Parse(s);
        if (!id.ok())
            return id.status();
        if (id->collection != "keys") {
            return Status(ErrorCode::kInvalidArgument,
                          "\"" + ref + "\" names a " + id->collection + " object, not a key");
        }
        return KeyRef{id->vault.origin(), id->name, id->version};
    }
    if (!vault_flag.empty()) {
        auto v = keyvault::VaultUrl::Parse(vault_flag);
        if (!v.ok())
            return v.status();
        std::string name = s;
        std::string version;
        if (size_t slash = s.find('/'); slash != std::string::npos) {
            name = s.substr(0, slash);
            version = s.substr(slash + 1);
        }
        if (!keyvault::IsValidObjectName(name) ||
            (!version.empty() && !keyvault::IsValidVersion(version))) {
            return Status(ErrorCode::kInvalidArgument,
                          "\"" + ref +
                              "\" is not NAME or NAME/VERSION (name: 1-127 of 0-9 a-z "
                              "A-Z -; version: 32 hex digits)");
        }
        return KeyRef{v->origin(), name, version};
    }
    // Short form VAULT/KEY[/VERSION] in the public cloud.
    size_t slash = s.find('/');
    if (slash == std::string::npos) {
        return Status(ErrorCode::kInvalidArgument,
                      "\"" + ref +
                          "\" needs a vault: give the kid URL, azkv:VAULT/KEY, or "
                          "--vault URL with the key name");
    }
    std::string vault = s.substr(0, slash);
    return ParseKeyRef("https://" + vault + ".vault.azure.net/keys/" + s.substr(slash + 1), "");
}

}  // namespace azkv::cli
