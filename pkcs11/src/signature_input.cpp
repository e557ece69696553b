#include "signature_input.h"

#include "azkv/keys/digest.h"
#include "azkv/keyvault/jwk_key.h"
#include "ckr_mapping.h"
#include "mechanism_params.h"

namespace azkv::p11 {

SignatureInput::SignatureInput(const MechanismSpec& spec, const CK_MECHANISM& mechanism,
                               std::shared_ptr<const keys::RemoteKey> key, bool managed_hsm)
    : spec_(spec), key_(std::move(key)), managed_hsm_(managed_hsm) {
    if (spec.pss)
        pss_hash_ = PssDigest(mechanism, spec);
    else
        RequireNoParams(mechanism);
}

void SignatureInput::Update(std::span<const uint8_t> data) {
    if (!spec_.multipart || !spec_.hash) {
        Fail(CKR_FUNCTION_NOT_SUPPORTED,
             "this mechanism is single-part only; use C_Sign/C_Verify, or a hash-and-sign "
             "mechanism such as CKM_SHA256_RSA_PKCS for multi-part input");
    }
    if (!md_) {
        md_.reset(EVP_MD_CTX_new());
        if (!md_ || EVP_DigestInit_ex(md_.get(), keys::DigestMd(*spec_.hash), nullptr) != 1)
            throw P11Error(CKR_GENERAL_ERROR, "cannot start a digest", LogLevel::kError);
    }
    multipart_started_ = true;
    if (!data.empty() && EVP_DigestUpdate(md_.get(), data.data(), data.size()) != 1)
        throw P11Error(CKR_GENERAL_ERROR, "digest update failed", LogLevel::kError);
}

keys::SignPlan SignatureInput::PlanSingle(std::span<const uint8_t> data, bool for_verify) const {
    if (!spec_.hash)
        return Plan(std::vector<uint8_t>(data.begin(), data.end()), for_verify);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, keys::DigestMd(*spec_.hash), nullptr) != 1)
        throw P11Error(CKR_GENERAL_ERROR, "digest failed", LogLevel::kError);
    return Plan(std::vector<uint8_t>(md, md + len), for_verify);
}

keys::SignPlan SignatureInput::PlanFinal(bool for_verify) {
    if (!md_)
        Update({});
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(md_.get(), md, &len) != 1)
        throw P11Error(CKR_GENERAL_ERROR, "digest final failed", LogLevel::kError);
    return Plan(std::vector<uint8_t>(md, md + len), for_verify);
}

keys::SignPlan SignatureInput::Plan(std::vector<uint8_t> value, bool for_verify) const {
    StatusOr<keys::SignPlan> plan = Status(ErrorCode::kInternal, "no plan");
    if (spec_.family == KeyFamily::kEc) {
        plan = key_->PlanEcdsaSign(value);
    } else if (spec_.pss) {
        keys::DigestAlg hash = spec_.hash ? *spec_.hash : *pss_hash_;
        if (value.size() != keys::DigestSize(hash)) {
            Fail(CKR_DATA_LEN_RANGE, "RSA-PSS input must be a " +
                                         std::string(keys::DigestName(hash)) + " digest of " +
                                         std::to_string(keys::DigestSize(hash)) + " bytes");
        }
        plan = key_->PlanRsaSign(hash, value, keys::RsaPadding::kPss);
    } else if (spec_.hash) {
        plan = key_->PlanRsaSign(*spec_.hash, value, keys::RsaPadding::kPkcs1);
    } else if (for_verify) {
        // CKM_RSA_PKCS verification is local: PKCS#1 v1.5 over the bytes as given.
        keys::SignPlan raw;
        raw.alg = "RSNULL";
        raw.kind = keys::KeyKind::kRsa;
        raw.signature_len = SignatureLength();
        raw.value = std::move(value);
        return raw;
    } else {
        if (managed_hsm_) {
            auto info = keys::ParseDigestInfo(value);
            if (!info || info->alg == keys::DigestAlg::kSha1 ||
                info->alg == keys::DigestAlg::kSha224) {
                Fail(CKR_DATA_INVALID,
                     "vault " + key_->vault() + " key " + key_->name() +
                         ": a Managed HSM signs CKM_RSA_PKCS input only when it is a SHA-256, "
                         "SHA-384 or SHA-512 DigestInfo (it has no RSNULL); use "
                         "CKM_SHA256_RSA_PKCS or pass a SHA-2 DigestInfo");
            }
        }
        plan = key_->PlanRsaSignRaw(value);
    }
    return ValueOrThrow(std::move(plan), RemoteOp::kSign);
}

size_t SignatureInput::SignatureLength() const {
    if (key_->kind() == keys::KeyKind::kEc)
        return 2 * keyvault::CurveFieldBytes(key_->curve());
    return static_cast<size_t>((key_->bits() + 7) / 8);
}

}  // namespace azkv::p11
