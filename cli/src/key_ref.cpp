#include "key_ref.h"

#include "azkv/keyvault/vault_url.h"
#include "command.h"

namespace azkv::cli {
namespace {

std::string SingularOf(const std::string& collection) {
    return collection.substr(0, collection.size() - 1);
}

}  // namespace

StatusOr<KeyRef> ParseKeyRef(const std::string& ref, const std::string& vault_flag,
                             const Config& config, const std::string& collection) {
    std::string s = ref;
    if (s.rfind("azkv:", 0) == 0)
        s = s.substr(5);
    if (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) {
        auto id = keyvault::ObjectId::Parse(s);
        if (!id.ok())
            return id.status();
        if (id->collection != collection) {
            return Status(ErrorCode::kInvalidArgument, "\"" + ref + "\" names a " + id->collection +
                                                           " object, not a " +
                                                           SingularOf(collection));
        }
        return KeyRef{id->vault.origin(), id->name, id->version};
    }
    std::string vault_url;
    std::string rest = s;
    if (!vault_flag.empty()) {
        vault_url = vault_flag;
        for (const auto& v : config.vaults) {
            if (v.label == vault_flag)
                vault_url = v.url;
        }
    } else {
        size_t slash = s.find('/');
        if (slash == std::string::npos) {
            return Status(ErrorCode::kInvalidArgument,
                          "\"" + ref + "\" needs a vault: give the kid URL, azkv:VAULT/NAME, or " +
                              "--vault URL|LABEL with the " + SingularOf(collection) + " name");
        }
        std::string vault = s.substr(0, slash);
        rest = s.substr(slash + 1);
        vault_url = "https://" + vault + ".vault.azure.net";
        for (const auto& v : config.vaults) {
            if (v.label == vault)
                vault_url = v.url;
        }
    }
    auto v = keyvault::VaultUrl::Parse(vault_url);
    if (!v.ok())
        return v.status();
    std::string name = rest;
    std::string version;
    if (size_t slash = rest.find('/'); slash != std::string::npos) {
        name = rest.substr(0, slash);
        version = rest.substr(slash + 1);
    }
    if (!keyvault::IsValidObjectName(name) ||
        (!version.empty() && !keyvault::IsValidVersion(version))) {
        return Status(ErrorCode::kInvalidArgument,
                      "\"" + ref +
                          "\" is not NAME or NAME/VERSION (name: 1-127 of 0-9 a-z A-Z -; "
                          "version: 32 hex digits)");
    }
    return KeyRef{v->origin(), name, version};
}

StatusOr<NamedKey> OpenNamedObject(const Args& args, const std::string& command,
                                   const std::string& collection) {
    if (args.positionals().size() != 1) {
        return Status(ErrorCode::kInvalidArgument,
                      command + " needs exactly one " + SingularOf(collection) +
                          " reference (kid URL, azkv:VAULT/NAME, or NAME with --vault)");
    }
    NamedKey nk;
    AZKV_ASSIGN_OR_RETURN(nk.runtime, OpenRuntime(args));
    AZKV_ASSIGN_OR_RETURN(nk.ref, ParseKeyRef(args.positionals()[0], args.GetOr("--vault", ""),
                                              nk.runtime->config(), collection));
    AZKV_ASSIGN_OR_RETURN(nk.client, nk.runtime->Vault(nk.ref.vault_url));
    return nk;
}

}  // namespace azkv::cli
