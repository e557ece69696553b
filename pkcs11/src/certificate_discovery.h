#pragma once
// Finding a vault's certificates over the network: the leaf from GET /certificates/{name},
// the chain beyond it from the certificate's secret (PEM or PKCS#12, the private key, if any,
// is dropped at once). A certificate whose secret may not be read is served without its chain.
//
// Lookups by name are single direct GETs; listing is used only to enumerate, and only when no
// allowlist is configured (the allowlist's key names are then the certificate names, as Key
// Vault gives a certificate's key the certificate's name). Managed HSMs have no certificates.
// Failures never reach the caller: certificates are an addition to the keys, so a missing
// permission or an unreadable certificate is logged and skipped.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "azkv/runtime.h"

namespace azkv::p11 {

struct FoundCertificate {
    std::string name, version;                // the certificate's (= its key's) name and version
    std::string kid;                          // the versioned kid of its key
    std::vector<uint8_t> leaf;                // DER
    std::vector<std::vector<uint8_t>> chain;  // DER, issuers of the leaf, in the vault's order
};

class CertificateDiscovery {
public:
    CertificateDiscovery(std::shared_ptr<Runtime> runtime, const VaultConfig& vault,
                         bool managed_hsm);

    std::optional<FoundCertificate> ByName(const std::string& name);
    std::vector<FoundCertificate> Enumerate();

private:
    std::vector<std::string> Names();
    std::vector<std::vector<uint8_t>> Chain(const keyvault::CertificateBundle& bundle,
                                            const std::string& name);
    void Skip(const std::string& name, const std::string& operation, const Status& why) const;

    std::shared_ptr<Runtime> runtime_;
    VaultConfig vault_;
    bool managed_hsm_;
};

}  // namespace azkv::p11
