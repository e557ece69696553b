#include "key_discovery.h"

#include <algorithm>

#include "azkv/keyvault/vault_url.h"
#include "azkv/log/log.h"
#include "ckr_mapping.h"

namespace azkv::p11 {
namespace {

// Failures that mean "this key is not usable here" rather than "the vault is unreachable".
bool SkippableKeyError(ErrorCode code) {
    return code == ErrorCode::kNotFound || code == ErrorCode::kPermissionDenied ||
           code == ErrorCode::kKeyDisabled || code == ErrorCode::kUnsupported;
}

}  // namespace

KeyDiscovery::KeyDiscovery(std::shared_ptr<Runtime> runtime, const VaultConfig& vault)
    : runtime_(std::move(runtime)), vault_(vault) {}

bool KeyDiscovery::Allowed(const std::string& name) const {
    if (vault_.keys.empty())
        return true;
    return std::any_of(vault_.keys.begin(), vault_.keys.end(),
                       [&](const KeyRef& k) { return k.name == name; });
}

std::string KeyDiscovery::PinnedVersion(const std::string& name) const {
    for (const KeyRef& k : vault_.keys) {
        if (k.name == name)
            return k.version;
    }
    return "";
}

std::optional<FoundKey> KeyDiscovery::ByName(const std::string& name, const std::string& version) {
    if (!keyvault::IsValidObjectName(name) ||
        (!version.empty() && !keyvault::IsValidVersion(version)))
        return std::nullopt;
    if (!Allowed(name))
        return std::nullopt;
    std::string pinned = PinnedVersion(name);
    auto key = runtime_->KeyOfAnyKind(vault_.url, name, version.empty() ? pinned : version);
    if (!key.ok()) {
        if (!SkippableKeyError(key.status().code()))
            ThrowStatus(key.status(), RemoteOp::kDiscover);
        log::Write({.level = key.status().code() == ErrorCode::kNotFound ? LogLevel::kDebug
                                                                         : LogLevel::kInfo,
                    .vault = vault_.url,
                    .key = name,
                    .operation = "discover",
                    .message = "key not offered: " + key.status().ToString()});
        return std::nullopt;
    }
    // A versioned lookup is "current" only when it is the version the allowlist pins; the
    // token relabels versions when it learns the latest (Token::Publish).
    bool current = version.empty() || version == pinned;
    return FoundKey{key->pair, current, key->aes};
}

std::optional<FoundKey> KeyDiscovery::ByLabel(const std::string& label) {
    auto slash = label.find('/');
    if (slash == std::string::npos)
        return ByName(label, "");
    return ByName(label.substr(0, slash), label.substr(slash + 1));
}

std::vector<std::string> KeyDiscovery::Names() {
    std::vector<std::string> names;
    if (!vault_.keys.empty()) {
        for (const KeyRef& k : vault_.keys)
            names.push_back(k.name);
        return names;
    }
    auto client = ValueOrThrow(runtime_->Vault(vault_.url), RemoteOp::kDiscover);
    auto items = client->ListKeys();
    if (!items.ok()) {
        if (items.status().code() != ErrorCode::kPermissionDenied)
            ThrowStatus(items.status(), RemoteOp::kDiscover);
        log::Write({.level = LogLevel::kWarn,
                    .vault = vault_.url,
                    .operation = "list",
                    .message = "the identity may not list this vault's keys, so no keys are "
                               "enumerated; search by CKA_LABEL (pkcs11:object=NAME) or list "
                               "the keys under \"keys\" in the config (" +
                               items.status().ToString() + ")"});
        return names;
    }
    for (const keyvault::KeyItem& item : *items) {
        auto id = keyvault::ObjectId::Parse(item.kid);
        if (id.ok() && item.attributes.enabled)
            names.push_back(id->name);
    }
    return names;
}

void KeyDiscovery::AddVersions(const std::string& name, std::vector<FoundKey>& out) {
    auto latest = ByName(name, "");
    if (!latest)
        return;
    out.push_back(*latest);
    auto client = ValueOrThrow(runtime_->Vault(vault_.url), RemoteOp::kDiscover);
    auto versions = client->ListKeyVersions(name);
    if (!versions.ok()) {
        log::Write({.level = LogLevel::kWarn,
                    .vault = vault_.url,
                    .key = name,
                    .operation = "list_versions",
                    .message = "older versions not offered: " + versions.status().ToString()});
        return;
    }
    for (const keyvault::KeyItem& item : *versions) {
        auto id = keyvault::ObjectId::Parse(item.kid);
        if (!id.ok() || !item.attributes.enabled || id->version == latest->version())
            continue;
        if (auto older = ByName(name, id->version))
            out.push_back(*older);
    }
}

std::vector<FoundKey> KeyDiscovery::Enumerate() {
    std::vector<FoundKey> out;
    for (const std::string& name : Names()) {
        if (vault_.all_versions) {
            AddVersions(name, out);
        } else if (auto k = ByName(name, "")) {
            out.push_back(*k);
        }
    }
    return out;
}

std::optional<FoundKey> KeyDiscovery::ByVersion(const std::vector<std::string>& names,
                                                const std::string& version) {
    for (const std::string& name : names) {
        if (auto k = ByName(name, version))
            return k;
    }
    return std::nullopt;
}

}  // namespace azkv::p11
