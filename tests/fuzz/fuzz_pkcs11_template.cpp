// PKCS#11 attribute templates (C_FindObjectsInit, C_GetAttributeValue, key generation and
// unwrap templates) and mechanism parameters (RSA-PSS, RSA-OAEP, parameterless mechanisms),
// as an application hands them to the module. Every buffer is exactly as long as the
// template says, so that a read past ulValueLen is caught by ASan.

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "attribute_map.h"
#include "fuzz_input.h"
#include "mechanism_params.h"
#include "mechanism_table.h"
#include "p11_error.h"

namespace p11 = azkv::p11;

namespace {

const CK_ATTRIBUTE_TYPE kTypes[] = {CKA_CLASS,
                                    CKA_KEY_TYPE,
                                    CKA_LABEL,
                                    CKA_ID,
                                    CKA_TOKEN,
                                    CKA_PRIVATE,
                                    CKA_SIGN,
                                    CKA_DECRYPT,
                                    CKA_MODULUS,
                                    CKA_MODULUS_BITS,
                                    CKA_PUBLIC_EXPONENT,
                                    CKA_EC_PARAMS,
                                    CKA_EC_POINT,
                                    CKA_SENSITIVE,
                                    CKA_EXTRACTABLE,
                                    CKA_VALUE,
                                    CKA_PRIVATE_EXPONENT,
                                    CKA_ALLOWED_MECHANISMS,
                                    CKA_VALUE_LEN,
                                    0x80000000UL};

const CK_MECHANISM_TYPE kMechanisms[] = {CKM_RSA_PKCS,
                                         CKM_SHA256_RSA_PKCS,
                                         CKM_RSA_PKCS_PSS,
                                         CKM_SHA256_RSA_PKCS_PSS,
                                         CKM_SHA384_RSA_PKCS_PSS,
                                         CKM_SHA512_RSA_PKCS_PSS,
                                         CKM_RSA_PKCS_OAEP,
                                         CKM_ECDSA,
                                         CKM_ECDSA_SHA256,
                                         CKM_SHA256,
                                         CKM_AES_KEY_GEN,
                                         0xffffffffUL};

p11::AttributeMap SampleObject() {
    p11::AttributeMap map;
    map.PutUlong(CKA_CLASS, CKO_PRIVATE_KEY);
    map.PutUlong(CKA_KEY_TYPE, CKK_RSA);
    map.PutString(CKA_LABEL, "tls-key");
    map.Put(CKA_ID, {0x01, 0x02, 0x03});
    map.PutBool(CKA_TOKEN, true);
    map.PutBool(CKA_SIGN, true);
    map.PutUlong(CKA_MODULUS_BITS, 2048);
    map.PutUlongs(CKA_ALLOWED_MECHANISMS, {CKM_RSA_PKCS, CKM_RSA_PKCS_PSS});
    map.PutSensitive(CKA_PRIVATE_EXPONENT);
    return map;
}

void Templates(azkv::fuzz::FuzzInput& in) {
    size_t count = in.Byte() % 9;
    std::vector<std::unique_ptr<uint8_t[]>> buffers;
    std::vector<CK_ATTRIBUTE> tmpl(count);
    for (auto& attr : tmpl) {
        attr.type = kTypes[in.Byte() % (sizeof(kTypes) / sizeof(kTypes[0]))];
        uint8_t len = in.Byte() % 64;
        bool null_value = (len & 0x20) != 0 && in.Byte() == 0;
        attr.ulValueLen = len;
        if (null_value) {
            attr.pValue = nullptr;
            continue;
        }
        buffers.emplace_back(new uint8_t[len == 0 ? 1 : len]);
        for (size_t i = 0; i < len; ++i)
            buffers.back()[i] = in.Byte();
        attr.pValue = len == 0 ? nullptr : buffers.back().get();
    }
    std::span<const CK_ATTRIBUTE> view(tmpl);
    for (CK_ATTRIBUTE_TYPE type : kTypes) {
        try {
            (void)p11::TemplateBool(view, type);
        } catch (const p11::P11Error&) {
        }
        try {
            (void)p11::TemplateUlong(view, type);
        } catch (const p11::P11Error&) {
        }
        try {
            (void)p11::TemplateBytes(view, type);
        } catch (const p11::P11Error&) {
        }
    }
    static const p11::AttributeMap object = SampleObject();
    (void)object.Matches(view);
    (void)object.Read(std::span<CK_ATTRIBUTE>(tmpl));
}

void Mechanism(azkv::fuzz::FuzzInput& in) {
    CK_MECHANISM mech{};
    mech.mechanism = kMechanisms[in.Byte() % (sizeof(kMechanisms) / sizeof(kMechanisms[0]))];
    uint8_t shape = in.Byte();
    std::string param(in.Rest());
    // Param lengths the code checks against: the PSS and OAEP structures, and whatever came.
    switch (shape % 3) {
        case 0:
            param.resize(sizeof(CK_RSA_PKCS_PSS_PARAMS));
            break;
        case 1:
            param.resize(sizeof(CK_RSA_PKCS_OAEP_PARAMS));
            break;
        default:
            break;
    }
    std::unique_ptr<uint8_t[]> buffer(new uint8_t[param.size() + 1]);
    std::memcpy(buffer.get(), param.data(), param.size());
    mech.pParameter = param.empty() ? nullptr : buffer.get();
    mech.ulParameterLen = param.size();
    const p11::MechanismSpec* spec = p11::FindMechanism(mech.mechanism);
    try {
        if (spec != nullptr && spec->pss)
            (void)p11::PssDigest(mech, *spec);
        else if (mech.mechanism == CKM_RSA_PKCS_OAEP || mech.mechanism == CKM_RSA_PKCS)
            (void)p11::CipherScheme(mech);
        else
            p11::RequireNoParams(mech);
    } catch (const p11::P11Error& e) {
        if (e.rv() != CKR_MECHANISM_PARAM_INVALID)
            __builtin_trap();  // parameter problems have exactly one answer
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    azkv::fuzz::FuzzInput in(data, size);
    if (in.Byte() & 1)
        Mechanism(in);
    else
        Templates(in);
    return 0;
}
