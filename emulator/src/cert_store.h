// Certificates of one vault: versions (DER chain, leaf first), the policy, and the last
// certificate operation (pending CSR or completed). The private key of every version lives in
// the KeyStore under the same name and version. Written through to the state dir (0600).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "cert_policy.h"

namespace azkv::emu {

struct CertVersion {
    std::string version;       // = the key version and the secret version
    std::vector<Bytes> chain;  // DER, leaf first
    bool enabled = true;
    int64_t nbf = 0, exp = 0, created = 0, updated = 0;
    nlohmann::json tags = nlohmann::json::object();
};

struct CertOperation {
    std::string request_id;
    std::string status = "inProgress";  // inProgress | completed
    std::string issuer;
    Bytes csr;
    std::string key_version;  // the key the CSR was made with; merge must match it
    bool enabled = true;      // attributes/tags for the version a merge creates
    nlohmann::json tags = nlohmann::json::object();
};

struct CertRecord {
    std::string name;  // spelling of the first create/import
    CertPolicy policy;
    std::vector<CertVersion> versions;  // creation order; back() is the latest
    std::optional<CertOperation> operation;
};

class CertStore {
public:
    explicit CertStore(std::string dir);  // "" = memory only
    void load();

    std::optional<CertRecord> find(const std::string& name) const;
    CertRecord get(const std::string& name) const;  // with at least one version, else 404
    std::vector<CertRecord> list() const;           // with versions, sorted by name
    // Atomically changes (or creates: empty name) the record of `name` and writes it through.
    CertRecord modify(const std::string& name, const std::function<void(CertRecord&)>& change);

private:
    std::string dir_;
    mutable std::shared_mutex mu_;
    std::map<std::string, CertRecord> certs_;  // by lowercase name
};

[[noreturn]] void certificate_not_found(const std::string& name);

}  // namespace azkv::emu
