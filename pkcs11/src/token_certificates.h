#pragma once
// A token's certificate objects: discovered lazily (one direct GET for a label, else an
// enumeration), cached for cache.key_ttl_s, and published into the token's object store.
// A certificate's leaf keeps its handle while its version is current; a renewed certificate
// replaces the objects of the old version.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "certificate_discovery.h"
#include "locking.h"
#include "object_store.h"

namespace azkv::p11 {

class TokenCertificates {
public:
    TokenCertificates(std::shared_ptr<Runtime> runtime, const VaultConfig& vault, bool managed_hsm,
                      const AppLocking& locking, ObjectStore* store);

    // C_FindObjectsInit for a template that may match certificates: the certificate named by
    // `label` ("name", or "name/..." for its chain), else all of them.
    void Resolve(const std::optional<std::string>& label);

private:
    bool Fresh(std::chrono::steady_clock::time_point fetched) const;
    void Publish(const std::string& name, const std::optional<FoundCertificate>& found);

    CertificateDiscovery discovery_;
    std::chrono::seconds ttl_;
    ObjectStore* store_;
    ModuleMutex mu_;  // guards the maps below; never held across a network call
    std::map<std::string, std::chrono::steady_clock::time_point> fetched_;  // by name
    std::optional<std::chrono::steady_clock::time_point> enumerated_;
    ModuleMutex enumerate_mu_;  // one enumeration at a time
};

}  // namespace azkv::p11
