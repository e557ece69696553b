#include "key_generation.h"

#include "attribute_map.h"
#include "attributes_ec.h"
#include "azkv/keyvault/vault_url.h"
#include "azkv/log/log.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

std::string LabelOf(std::span<const CK_ATTRIBUTE> pub, std::span<const CK_ATTRIBUTE> priv) {
    auto label = TemplateBytes(priv, CKA_LABEL);
    if (!label)
        label = TemplateBytes(pub, CKA_LABEL);
    if (!label)
        Fail(CKR_TEMPLATE_INCOMPLETE, "CKA_LABEL is required: it becomes the vault key's name");
    std::string name(label->begin(), label->end());
    if (!keyvault::IsValidObjectName(name)) {
        Fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_LABEL \"" + name +
                                              "\" is not a valid Key Vault key name "
                                              "(1-127 characters of 0-9, a-z, A-Z and -)");
    }
    return name;
}

void AddOp(std::vector<std::string>& ops, std::span<const CK_ATTRIBUTE> tmpl,
           CK_ATTRIBUTE_TYPE type, const char* op) {
    if (TemplateBool(tmpl, type).value_or(true))
        ops.push_back(op);
}

}  // namespace

std::string KeyNameFromLabel(std::span<const CK_ATTRIBUTE> tmpl) {
    return LabelOf(tmpl, tmpl);
}

KeyPairRequest KeyPairRequestFor(KeyFamily family, std::span<const CK_ATTRIBUTE> pub,
                                 std::span<const CK_ATTRIBUTE> priv) {
    KeyPairRequest req;
    req.name = LabelOf(pub, priv);
    for (auto tmpl : {pub, priv}) {
        if (!TemplateBool(tmpl, CKA_TOKEN).value_or(true))
            Fail(CKR_TEMPLATE_INCONSISTENT, "vault keys are token objects (CKA_TOKEN true)");
    }
    if (FindInTemplate(priv, CKA_ID) != nullptr || FindInTemplate(pub, CKA_ID) != nullptr) {
        log::Warn(
            "C_GenerateKeyPair: CKA_ID in the template is ignored; a vault key's CKA_ID "
            "is its version id");
    }
    auto& p = req.params;
    std::vector<std::string>& ops = p.key_ops;
    AddOp(ops, priv, CKA_SIGN, "sign");
    AddOp(ops, pub, CKA_VERIFY, "verify");
    if (family == KeyFamily::kRsa) {
        p.kty = "RSA-HSM";
        auto bits = TemplateUlong(pub, CKA_MODULUS_BITS);
        if (!bits)
            Fail(CKR_TEMPLATE_INCOMPLETE, "CKA_MODULUS_BITS is required for an RSA key pair");
        if (*bits != 2048 && *bits != 3072 && *bits != 4096)
            Fail(CKR_KEY_SIZE_RANGE, "Key Vault RSA keys are 2048, 3072 or 4096 bits");
        p.key_size = static_cast<int>(*bits);
        if (auto e = TemplateBytes(pub, CKA_PUBLIC_EXPONENT); e && !e->empty()) {
            if (e->size() > 4)
                Fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_PUBLIC_EXPONENT is too large");
            long v = 0;
            for (uint8_t b : *e)
                v = v << 8 | b;
            p.public_exponent = v;
        }
        AddOp(ops, priv, CKA_DECRYPT, "decrypt");
        AddOp(ops, pub, CKA_ENCRYPT, "encrypt");
        AddOp(ops, priv, CKA_UNWRAP, "unwrapKey");
        AddOp(ops, pub, CKA_WRAP, "wrapKey");
    } else {
        p.kty = "EC-HSM";
        auto params = TemplateBytes(pub, CKA_EC_PARAMS);
        if (!params)
            Fail(CKR_TEMPLATE_INCOMPLETE, "CKA_EC_PARAMS is required for an EC key pair");
        auto crv = CurveForEcParams(*params);
        if (!crv)
            Fail(CKR_CURVE_NOT_SUPPORTED, "Key Vault curves are P-256, P-256K, P-384 and P-521");
        p.crv = *crv;
    }
    return req;
}

}  // namespace azkv::p11
