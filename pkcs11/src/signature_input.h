#pragma once
// What a sign or verify operation signs: the mechanism's rules for turning the application's
// data into the value Key Vault signs (hash locally, check lengths, pick the algorithm). Shared
// by SignOperation (remote) and VerifyOperation (local), so both apply identical rules.

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "azkv/keys/remote_key.h"
#include "azkv/util/ossl.h"
#include "cryptoki.h"
#include "mechanism_table.h"

namespace azkv::p11 {

class SignatureInput {
public:
    // Validates the mechanism parameters (CKR_MECHANISM_PARAM_INVALID).
    SignatureInput(const MechanismSpec& spec, const CK_MECHANISM& mechanism,
                   std::shared_ptr<const keys::RemoteKey> key, bool managed_hsm);

    // Multi-part input; CKR_FUNCTION_NOT_SUPPORTED for single-part-only mechanisms.
    void Update(std::span<const uint8_t> data);
    bool multipart_started() const { return multipart_started_; }

    // The plan for the whole message: `data` for single-part calls, or (for Final) the
    // accumulated digest. No network.
    keys::SignPlan PlanSingle(std::span<const uint8_t> data, bool for_verify) const;
    keys::SignPlan PlanFinal(bool for_verify);

    size_t SignatureLength() const;
    const keys::RemoteKey& key() const { return *key_; }

private:
    keys::SignPlan Plan(std::vector<uint8_t> value, bool for_verify) const;

    const MechanismSpec& spec_;
    std::optional<keys::DigestAlg> pss_hash_;  // CKM_RSA_PKCS_PSS: from the parameters
    std::shared_ptr<const keys::RemoteKey> key_;
    bool managed_hsm_;
    EvpMdCtxPtr md_;
    bool multipart_started_ = false;
};

}  // namespace azkv::p11
