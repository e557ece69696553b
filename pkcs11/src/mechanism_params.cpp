#include "mechanism_params.h"

#include "p11_error.h"

namespace azkv::p11 {
namespace {

struct HashRule {
    CK_MECHANISM_TYPE hash;
    CK_RSA_PKCS_MGF_TYPE mgf;
    keys::DigestAlg alg;
};
constexpr HashRule kPssHashes[] = {
    {CKM_SHA256, CKG_MGF1_SHA256, keys::DigestAlg::kSha256},
    {CKM_SHA384, CKG_MGF1_SHA384, keys::DigestAlg::kSha384},
    {CKM_SHA512, CKG_MGF1_SHA512, keys::DigestAlg::kSha512},
};

[[noreturn]] void BadParams(const std::string& why) {
    Fail(CKR_MECHANISM_PARAM_INVALID, why);
}

}  // namespace

void RequireNoParams(const CK_MECHANISM& mechanism) {
    if (mechanism.ulParameterLen != 0)
        BadParams("this mechanism takes no parameters");
}

keys::DigestAlg PssDigest(const CK_MECHANISM& mechanism, const MechanismSpec& spec) {
    if (mechanism.pParameter == nullptr ||
        mechanism.ulParameterLen != sizeof(CK_RSA_PKCS_PSS_PARAMS)) {
        BadParams("RSA-PSS needs CK_RSA_PKCS_PSS_PARAMS");
    }
    const auto* p = static_cast<const CK_RSA_PKCS_PSS_PARAMS*>(mechanism.pParameter);
    for (const HashRule& r : kPssHashes) {
        if (p->hashAlg != r.hash)
            continue;
        if (spec.hash && *spec.hash != r.alg)
            BadParams("RSA-PSS hashAlg differs from the mechanism's own hash");
        if (p->mgf != r.mgf)
            BadParams("Key Vault's RSA-PSS uses MGF1 with the same hash as the signature");
        if (p->sLen != keys::DigestSize(r.alg))
            BadParams("Key Vault's RSA-PSS salt length equals the hash length (" +
                      std::to_string(keys::DigestSize(r.alg)) + "), got " +
                      std::to_string(p->sLen));
        return r.alg;
    }
    BadParams("Key Vault signs RSA-PSS only with SHA-256, SHA-384 or SHA-512");
}

keys::RsaEncryption OaepEncryption(const CK_MECHANISM& mechanism) {
    if (mechanism.pParameter == nullptr ||
        mechanism.ulParameterLen != sizeof(CK_RSA_PKCS_OAEP_PARAMS)) {
        BadParams("RSA-OAEP needs CK_RSA_PKCS_OAEP_PARAMS");
    }
    const auto* p = static_cast<const CK_RSA_PKCS_OAEP_PARAMS*>(mechanism.pParameter);
    if (p->source != 0 && p->source != CKZ_DATA_SPECIFIED)
        BadParams("RSA-OAEP source must be CKZ_DATA_SPECIFIED");
    if (p->ulSourceDataLen != 0)
        BadParams("Key Vault's RSA-OAEP takes no label; the label must be empty");
    if (p->hashAlg == CKM_SHA_1 && p->mgf == CKG_MGF1_SHA1)
        return keys::RsaEncryption::kOaepSha1;
    if (p->hashAlg == CKM_SHA256 && p->mgf == CKG_MGF1_SHA256)
        return keys::RsaEncryption::kOaepSha256;
    BadParams(
        "Key Vault's RSA-OAEP is SHA-1 with MGF1-SHA-1 (RSA-OAEP) or SHA-256 with "
        "MGF1-SHA-256 (RSA-OAEP-256)");
}

keys::RsaEncryption CipherScheme(const CK_MECHANISM& mechanism) {
    if (mechanism.mechanism == CKM_RSA_PKCS_OAEP)
        return OaepEncryption(mechanism);
    RequireNoParams(mechanism);
    return keys::RsaEncryption::kPkcs1;
}

}  // namespace azkv::p11
