// CertificatePolicy (protocol §1.9): validation of what clients send, the service's defaults,
// and the wire form returned in CertificateBundle.policy.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "x509_util.h"

namespace azkv::emu {

struct CertPolicy {
    std::string kty = "RSA";  // RSA, RSA-HSM, EC, EC-HSM
    int key_size = 2048;      // RSA only
    std::string crv;          // EC only
    bool exportable = true;
    bool reuse_key = false;
    std::string content_type = "application/x-pkcs12";
    X509Spec x509;
    std::string issuer = "Self";  // "Self" or "Unknown"
    std::string cty;              // issuer certificate type, echoed
    nlohmann::json lifetime_actions;
    bool enabled = true;
    int64_t created = 0, updated = 0;

    bool hsm() const { return kty.size() > 4 && kty.compare(kty.size() - 4, 4, "-HSM") == 0; }
    bool ec() const { return kty.rfind("EC", 0) == 0; }
};

// for_import: key properties may be omitted and come from the imported key; x509_props and
// issuer are optional there.
CertPolicy parse_cert_policy(const nlohmann::json& j, bool for_import);
// `id` = "<origin>/certificates/<name>/policy".
nlohmann::json cert_policy_json(const CertPolicy& p, const std::string& id);
// The stored form (no id) and back.
nlohmann::json cert_policy_state(const CertPolicy& p);
CertPolicy cert_policy_from_state(const nlohmann::json& j);

}  // namespace azkv::emu
