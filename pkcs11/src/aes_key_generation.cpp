#include "aes_key_generation.h"

#include "attribute_map.h"
#include "azkv/log/log.h"
#include "key_generation.h"
#include "p11_error.h"

namespace azkv::p11 {

AesKeyRequest AesKeyRequestFor(std::span<const CK_ATTRIBUTE> tmpl) {
    if (auto cls = TemplateUlong(tmpl, CKA_CLASS); cls && *cls != CKO_SECRET_KEY)
        Fail(CKR_TEMPLATE_INCONSISTENT, "CKM_AES_KEY_GEN makes CKO_SECRET_KEY objects");
    if (auto type = TemplateUlong(tmpl, CKA_KEY_TYPE); type && *type != CKK_AES)
        Fail(CKR_TEMPLATE_INCONSISTENT, "CKM_AES_KEY_GEN makes CKK_AES keys");
    if (!TemplateBool(tmpl, CKA_TOKEN).value_or(true))
        Fail(CKR_TEMPLATE_INCONSISTENT, "Managed HSM keys are token objects (CKA_TOKEN true)");
    if (!TemplateBool(tmpl, CKA_SENSITIVE).value_or(true) ||
        TemplateBool(tmpl, CKA_EXTRACTABLE).value_or(false)) {
        Fail(CKR_TEMPLATE_INCONSISTENT,
             "Managed HSM keys never leave the HSM (CKA_SENSITIVE true, CKA_EXTRACTABLE false)");
    }
    auto len = TemplateUlong(tmpl, CKA_VALUE_LEN);
    if (!len)
        Fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN (16, 24 or 32) is required for an AES key");
    if (*len != 16 && *len != 24 && *len != 32) {
        Fail(CKR_KEY_SIZE_RANGE, "Managed HSM AES keys are 16, 24 or 32 bytes; CKA_VALUE_LEN is " +
                                     std::to_string(*len));
    }
    if (FindInTemplate(tmpl, CKA_ID) != nullptr)
        log::Warn("C_GenerateKey: CKA_ID is ignored; a vault key's CKA_ID is its version id");
    AesKeyRequest req;
    req.name = KeyNameFromLabel(tmpl);
    req.params.kty = "oct-HSM";
    req.params.key_size = static_cast<int>(*len * 8);
    const std::pair<CK_ATTRIBUTE_TYPE, const char*> ops[] = {{CKA_ENCRYPT, "encrypt"},
                                                             {CKA_DECRYPT, "decrypt"},
                                                             {CKA_WRAP, "wrapKey"},
                                                             {CKA_UNWRAP, "unwrapKey"}};
    for (const auto& [type, op] : ops) {
        if (TemplateBool(tmpl, type).value_or(true))
            req.params.key_ops.push_back(op);
    }
    return req;
}

}  // namespace azkv::p11
