#pragma once
// The Key Vault / Managed HSM REST client for one vault, pinned to api-version 7.5.
//
// Authentication: the token resource comes from the host for known clouds. For other hosts
// (private endpoints, the emulator) it comes from the vault's 401 challenge, accepted only when
// it names this vault or a known cloud resource, so a token is never obtained for, or sent to,
// a host it was not meant for. A 401 on a request that carried a token causes exactly one forced
// token refresh and one retry.
//
// Every error names the vault, the object, the operation, the cause and what to do.
// Thread safe: one Client serves all threads.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azkv/http/http_client.h"
#include "azkv/identity/token_cache.h"
#include "azkv/keyvault/models.h"
#include "azkv/keyvault/vault_url.h"

namespace azkv::keyvault {

struct ClientOptions {
    std::chrono::milliseconds retry_budget{30000};
    std::string api_version = "7.5";
    // Set from the config for hosts whose name does not tell (see kind()).
    std::optional<ServiceKind> kind;
};

class Client {
public:
    Client(VaultUrl vault, std::shared_ptr<http::Client> http,
           std::shared_ptr<identity::TokenCache> tokens, ClientOptions options = {});

    const VaultUrl& vault() const { return vault_; }
    // Key Vault or Managed HSM: from the config, else from the host name, else from the first
    // 401 challenge (a Managed HSM's has an empty body, a vault's a JSON error).
    ServiceKind kind() const;

    // Keys. An empty version means the latest.
    StatusOr<KeyBundle> GetKey(const std::string& name, const std::string& version = "");
    StatusOr<std::vector<KeyItem>> ListKeys(int max_pages = 10000);
    StatusOr<std::vector<KeyItem>> ListKeyVersions(const std::string& name, int max_pages = 10000);
    StatusOr<KeyBundle> CreateKey(const std::string& name, const CreateKeyParams& params);
    // `key` is a JWK object (private parts, or key_hsm for BYOK); `hsm` sets the "Hsm" flag.
    StatusOr<KeyBundle> ImportKey(const std::string& name, const nlohmann::json& key,
                                  std::optional<bool> hsm, const UpdateKeyParams& attributes);
    StatusOr<KeyBundle> UpdateKey(const std::string& name, const std::string& version,
                                  const UpdateKeyParams& params);
    Status DeleteKey(const std::string& name);

    // Crypto. `version` must be the pinned version (the client always sends versioned ids).
    StatusOr<KeyOperationResult> Sign(const std::string& name, const std::string& version,
                                      const std::string& alg, const std::vector<uint8_t>& digest);
    StatusOr<bool> Verify(const std::string& name, const std::string& version,
                          const std::string& alg, const std::vector<uint8_t>& digest,
                          const std::vector<uint8_t>& signature);
    // operation: "encrypt", "decrypt", "wrapkey" or "unwrapkey".
    struct CipherInput {
        std::string alg;
        const uint8_t* value = nullptr;
        size_t value_len = 0;
        std::vector<uint8_t> iv, aad, tag;
        // Error statuses the caller expects and handles itself (a probe's 400s): logged at
        // debug instead of error, so that a successful probe leaves no error line behind.
        std::vector<long> quiet_statuses;
    };
    StatusOr<KeyOperationResult> Cipher(const std::string& operation, const std::string& name,
                                        const std::string& version, const CipherInput& input);

    // Certificates and their secrets (the chain).
    StatusOr<CertificateBundle> GetCertificate(const std::string& name,
                                               const std::string& version = "");
    StatusOr<SecretBundle> GetSecret(const std::string& name, const std::string& version = "");

    // Managed HSM randomness, 1..128 bytes per call.
    StatusOr<SecureBytes> GetRandomBytes(int count);

    // Lower-level access for operations without a dedicated method (certificate flows in the
    // CLI). `path` starts with "/"; the api-version is added. Returns the parsed JSON body.
    StatusOr<nlohmann::json> Call(const std::string& method, const std::string& path,
                                  const nlohmann::json* body, const std::string& operation,
                                  const std::string& object_name);
    // Every entry of a paged list (`path` as for Call, e.g. "/certificates?maxresults=25"),
    // following nextLink with the same host and loop checks as ListKeys.
    StatusOr<std::vector<nlohmann::json>> ListJson(const std::string& path,
                                                   const std::string& operation,
                                                   const std::string& object_name,
                                                   int max_pages = 10000);

private:
    // One authenticated request; a non-2xx answer is already a Status (logged, with context).
    StatusOr<http::Response> CallRaw(const std::string& method, const std::string& url,
                                     const std::string* body, bool body_is_secret,
                                     const std::string& operation, const std::string& object_name,
                                     const std::vector<long>& quiet_statuses = {});
    // A sign/decrypt/wrap/unwrap answer: fields, kid check, and the body wiped when `secret`.
    StatusOr<KeyOperationResult> OperationAnswer(http::Response& resp, bool secret,
                                                 const std::string& operation,
                                                 const std::string& name,
                                                 const std::string& version);
    StatusOr<nlohmann::json> CallUrl(const std::string& method, const std::string& url,
                                     const std::string* body, bool body_is_secret,
                                     const std::string& operation, const std::string& object_name,
                                     const std::vector<long>& quiet_statuses = {});
    StatusOr<std::string> Resource(const std::string& method, const std::string& url);
    // The unauthenticated probe that learns the token resource (Resource() runs one at a time).
    StatusOr<std::string> ProbeChallenge(const std::string& method, const std::string& url);
    StatusOr<std::vector<KeyItem>> ListPaged(const std::string& first_path,
                                             const std::string& operation,
                                             const std::string& object_name, int max_pages);
    Status CheckKid(const std::string& kid, const std::string& name, const std::string& version,
                    const std::string& operation) const;
    std::string Url(const std::string& path) const;

    VaultUrl vault_;
    std::shared_ptr<http::Client> http_;
    std::shared_ptr<identity::TokenCache> tokens_;
    ClientOptions options_;
    mutable std::mutex mu_;
    std::optional<std::string> challenge_resource_;  // guarded by mu_
    std::optional<ServiceKind> challenge_kind_;      // guarded by mu_
    // The challenge probe in flight, if any: threads that start cold at once wait for its
    // answer instead of each sending their own (single flight, as for tokens).
    struct ProbeFlight {
        uint64_t fork_generation = 0;  // a flight inherited from a parent process never lands
        bool done = false;
        StatusOr<std::string> result = std::string();
    };
    std::shared_ptr<ProbeFlight> probe_;  // guarded by mu_
    std::condition_variable probe_done_;
};

}  // namespace azkv::keyvault
