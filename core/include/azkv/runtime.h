#pragma once
// Runtime: everything a front end needs to reach vaults, built from one Config and shared by
// all threads: the https client, one token cache per identity, one Key Vault client per vault,
// and the cache of resolved keys.
//
// Building a Runtime does no network I/O (C_Initialize must not). Tokens, keys and connections
// are fetched on first use.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "azkv/config/config.h"
#include "azkv/http/http_client.h"
#include "azkv/identity/token_cache.h"
#include "azkv/keys/aes_key.h"
#include "azkv/keys/remote_key.h"
#include "azkv/keyvault/client.h"

namespace azkv {

struct RuntimeOptions {
    bool allow_threads = true;  // false under CKF_LIBRARY_CANT_CREATE_OS_THREADS
    identity::EnvLookup env;    // default: the process environment
};

class Runtime {
public:
    static StatusOr<std::shared_ptr<Runtime>> Create(Config config, RuntimeOptions options = {});

    const Config& config() const { return config_; }
    std::shared_ptr<http::Client> http() const { return http_; }

    // The client for a vault URL: a configured vault, or (for URIs that carry their own vault)
    // an unconfigured one using the default identity. Fails only for a malformed URL.
    StatusOr<std::shared_ptr<keyvault::Client>> Vault(const std::string& url);
    // The configured vault entry for a URL, if any.
    const VaultConfig* VaultEntry(const std::string& origin) const;

    // A key version, cached for cache.key_ttl_s. An empty version resolves the latest, so a
    // rotation is picked up when the cached entry expires.
    StatusOr<std::shared_ptr<const keys::RemoteKey>> Key(const std::string& vault_url,
                                                         const std::string& name,
                                                         const std::string& version);
    // A key version of either kind, from one GET: an RSA/EC key pair or an AES (oct-HSM) key.
    struct AnyKey {
        std::shared_ptr<const keys::RemoteKey> pair;
        std::shared_ptr<const keys::AesKey> aes;
    };
    // Like Key(), and symmetric keys too. The service does not report an AES key's size: it is
    // learned once per key version with AesKey::ProbeBits (at most three harmless remote
    // calls), unless RememberAesKeySize() was told it (a key this process created).
    StatusOr<AnyKey> KeyOfAnyKind(const std::string& vault_url, const std::string& name,
                                  const std::string& version);
    void RememberAesKeySize(const std::string& kid, int bits);

    // Drops cached keys so that the next Key() asks the vault again.
    void ForgetKeys();

    // The token cache for an identity (shared by every vault using it).
    StatusOr<std::shared_ptr<identity::TokenCache>> Tokens(const IdentityConfig& identity);

private:
    Runtime(Config config, RuntimeOptions options);

    struct CachedKey {
        std::shared_ptr<const keys::RemoteKey> key;
        std::chrono::steady_clock::time_point fetched;
    };
    struct CachedAesKey {
        std::shared_ptr<const keys::AesKey> key;
        std::chrono::steady_clock::time_point fetched;
    };
    std::chrono::seconds KeyTtl() const { return std::chrono::seconds(config_.cache.key_ttl_s); }
    // What the config says about keys of the vault at `origin`.
    keys::KeyPolicy PolicyFor(const std::string& origin) const;
    StatusOr<std::shared_ptr<const keys::RemoteKey>> LoadPair(
        const std::shared_ptr<keyvault::Client>& client, keyvault::KeyBundle bundle,
        const std::string& cache_key, const std::string& name);
    StatusOr<std::shared_ptr<const keys::AesKey>> LoadAes(
        const std::shared_ptr<keyvault::Client>& client, keyvault::KeyBundle bundle,
        const std::string& cache_key);

    Config config_;
    RuntimeOptions options_;
    std::shared_ptr<http::Client> http_;
    std::mutex mu_;
    std::vector<std::pair<IdentityConfig, std::shared_ptr<identity::TokenCache>>> tokens_;
    std::map<std::string, std::shared_ptr<keyvault::Client>> vaults_;  // by origin
    std::map<std::string, CachedKey> keys_;                            // by origin/name/version
    std::map<std::string, CachedAesKey> aes_keys_;                     // by origin/name/version
    std::map<std::string, int> aes_bits_;  // by versioned kid: a version's size never changes
};

}  // namespace azkv
