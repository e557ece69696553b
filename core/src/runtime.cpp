#include "azkv/runtime.h"

#include <strings.h>
#include <algorithm>

#include "azkv/log/log.h"

namespace azkv {
namespace {

// The cached key at `cache_key` while it may still be used: a pinned version never changes;
// only "latest" (an empty version) expires after cache.key_ttl_s, so that a rotation is
// picked up. Called with the runtime's mutex held.
template <typename Cached>
const Cached* FreshEntry(const std::map<std::string, Cached>& cache, const std::string& cache_key,
                         const std::string& version, std::chrono::seconds ttl) {
    auto it = cache.find(cache_key);
    if (it == cache.end())
        return nullptr;
    bool fresh = !version.empty() || std::chrono::steady_clock::now() - it->second.fetched < ttl;
    return fresh ? &it->second : nullptr;
}

}  // namespace

Runtime::Runtime(Config config, RuntimeOptions options)
    : config_(std::move(config)), options_(std::move(options)) {
    http::ClientOptions h;
    h.timeout_ms = config_.http.timeout_ms;
    h.connect_timeout_ms = config_.http.connect_timeout_ms;
    h.max_connections = config_.http.max_connections;
    h.ca_file = config_.http.ca_file;
    h.proxy = config_.http.proxy;
    http_ = std::make_shared<http::Client>(h);
    if (!options_.env)
        options_.env = identity::ProcessEnvironment();
}

StatusOr<std::shared_ptr<Runtime>> Runtime::Create(Config config, RuntimeOptions options) {
    log::Configure(config.log);
    return std::shared_ptr<Runtime>(new Runtime(std::move(config), std::move(options)));
}

const VaultConfig* Runtime::VaultEntry(const std::string& origin) const {
    for (const auto& v : config_.vaults) {
        if (strcasecmp(v.url.c_str(), origin.c_str()) == 0)
            return &v;
    }
    return nullptr;
}

StatusOr<std::shared_ptr<identity::TokenCache>> Runtime::Tokens(const IdentityConfig& id) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [cfg, cache] : tokens_) {
        if (cfg == id)
            return cache;
    }
    auto source = identity::MakeTokenSource(
        id, http_, options_.env, std::chrono::milliseconds(config_.http.retry_budget_ms));
    if (!source.ok())
        return source.status();
    auto cache = std::make_shared<identity::TokenCache>(
        std::move(*source), identity::TokenCacheOptions{.allow_threads = options_.allow_threads});
    tokens_.emplace_back(id, cache);
    return cache;
}

StatusOr<std::shared_ptr<keyvault::Client>> Runtime::Vault(const std::string& url) {
    AZKV_ASSIGN_OR_RETURN(keyvault::VaultUrl parsed, keyvault::VaultUrl::Parse(url));
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (auto it = vaults_.find(parsed.origin()); it != vaults_.end())
            return it->second;
    }
    const VaultConfig* entry = VaultEntry(parsed.origin());
    IdentityConfig id = entry != nullptr && entry->identity ? *entry->identity : config_.identity;
    AZKV_ASSIGN_OR_RETURN(auto tokens, Tokens(id));
    keyvault::ClientOptions kv;
    kv.retry_budget = std::chrono::milliseconds(config_.http.retry_budget_ms);
    if (entry != nullptr && !entry->type.empty()) {
        kv.kind = entry->type == "managedhsm" ? keyvault::ServiceKind::kManagedHsm
                                              : keyvault::ServiceKind::kVault;
    }
    auto client = std::make_shared<keyvault::Client>(parsed, http_, tokens, kv);
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = vaults_.emplace(parsed.origin(), client);
    return it->second;
}

StatusOr<std::shared_ptr<const keys::RemoteKey>> Runtime::Key(const std::string& vault_url,
                                                              const std::string& name,
                                                              const std::string& version) {
    AZKV_ASSIGN_OR_RETURN(auto client, Vault(vault_url));
    std::string cache_key = client->vault().origin() + "/" + name + "/" + version;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (const CachedKey* hit = FreshEntry(keys_, cache_key, version, KeyTtl()))
            return hit->key;
    }
    AZKV_ASSIGN_OR_RETURN(keyvault::KeyBundle bundle, client->GetKey(name, version));
    return LoadPair(client, std::move(bundle), cache_key, name);
}

keys::KeyPolicy Runtime::PolicyFor(const std::string& origin) const {
    const VaultConfig* entry = VaultEntry(origin);
    return {.allow_software_keys = entry != nullptr && entry->allow_software_keys,
            .verify_signatures = config_.verify_signatures};
}

StatusOr<std::shared_ptr<const keys::RemoteKey>> Runtime::LoadPair(
    const std::shared_ptr<keyvault::Client>& client, keyvault::KeyBundle bundle,
    const std::string& cache_key, const std::string& name) {
    keys::KeyPolicy policy = PolicyFor(client->vault().origin());
    auto key = keys::RemoteKey::Create(client, std::move(bundle), policy);
    if (!key.ok()) {
        log::Write({.level = LogLevel::kError,
                    .vault = client->vault().origin(),
                    .key = name,
                    .operation = "load",
                    .message = key.status().message()});
        return key.status();
    }
    std::lock_guard<std::mutex> lock(mu_);
    keys_[cache_key] = {*key, std::chrono::steady_clock::now()};
    return *key;
}

StatusOr<Runtime::AnyKey> Runtime::KeyOfAnyKind(const std::string& vault_url,
                                                const std::string& name,
                                                const std::string& version) {
    AZKV_ASSIGN_OR_RETURN(auto client, Vault(vault_url));
    std::string cache_key = client->vault().origin() + "/" + name + "/" + version;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (const CachedKey* hit = FreshEntry(keys_, cache_key, version, KeyTtl()))
            return AnyKey{hit->key, nullptr};
        if (const CachedAesKey* hit = FreshEntry(aes_keys_, cache_key, version, KeyTtl()))
            return AnyKey{nullptr, hit->key};
    }
    AZKV_ASSIGN_OR_RETURN(keyvault::KeyBundle bundle, client->GetKey(name, version));
    if (keys::AesKey::IsSymmetric(bundle)) {
        AZKV_ASSIGN_OR_RETURN(auto aes, LoadAes(client, std::move(bundle), cache_key));
        return AnyKey{nullptr, aes};
    }
    AZKV_ASSIGN_OR_RETURN(auto pair, LoadPair(client, std::move(bundle), cache_key, name));
    return AnyKey{pair, nullptr};
}

StatusOr<std::shared_ptr<const keys::AesKey>> Runtime::LoadAes(
    const std::shared_ptr<keyvault::Client>& client, keyvault::KeyBundle bundle,
    const std::string& cache_key) {
    keys::KeyPolicy policy = PolicyFor(client->vault().origin());
    // Refuses keys that cannot be used before any probe is sent (Key Vault, software keys).
    AZKV_RETURN_IF_ERROR(keys::AesKey::Create(client, bundle, 256, policy).status());
    int bits = 0;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (auto it = aes_bits_.find(bundle.key.kid); it != aes_bits_.end())
            bits = it->second;
    }
    if (bits == 0) {
        AZKV_ASSIGN_OR_RETURN(bits, keys::AesKey::ProbeBits(*client, bundle));
        RememberAesKeySize(bundle.key.kid, bits);
    }
    AZKV_ASSIGN_OR_RETURN(auto key, keys::AesKey::Create(client, std::move(bundle), bits, policy));
    std::lock_guard<std::mutex> lock(mu_);
    aes_keys_[cache_key] = {key, std::chrono::steady_clock::now()};
    return key;
}

void Runtime::RememberAesKeySize(const std::string& kid, int bits) {
    std::lock_guard<std::mutex> lock(mu_);
    aes_bits_[kid] = bits;
}

void Runtime::ForgetKeys() {
    std::lock_guard<std::mutex> lock(mu_);
    keys_.clear();
    aes_keys_.clear();
}

}  // namespace azkv
