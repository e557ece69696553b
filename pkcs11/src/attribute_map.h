#pragma once
// The attributes of one object, and the PKCS#11 rules for reading and matching them.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cryptoki.h"

namespace azkv::p11 {

class AttributeMap {
public:
    void Put(CK_ATTRIBUTE_TYPE type, std::vector<uint8_t> value);
    void PutBool(CK_ATTRIBUTE_TYPE type, bool value);
    void PutUlong(CK_ATTRIBUTE_TYPE type, CK_ULONG value);
    void PutString(CK_ATTRIBUTE_TYPE type, std::string_view value);
    void PutUlongs(CK_ATTRIBUTE_TYPE type, const std::vector<CK_ULONG>& values);
    // The attribute exists but its value is never revealed (private key parts).
    void PutSensitive(CK_ATTRIBUTE_TYPE type);

    bool Has(CK_ATTRIBUTE_TYPE type) const { return values_.count(type) != 0; }
    // The value of a readable attribute; nullptr if absent or sensitive.
    const std::vector<uint8_t>* Find(CK_ATTRIBUTE_TYPE type) const;
    bool BoolOr(CK_ATTRIBUTE_TYPE type, bool fallback) const;
    CK_ULONG UlongOr(CK_ATTRIBUTE_TYPE type, CK_ULONG fallback) const;

    // C_GetAttributeValue: every attribute of the template is processed; the return value is
    // CKR_ATTRIBUTE_SENSITIVE, CKR_ATTRIBUTE_TYPE_INVALID or CKR_BUFFER_TOO_SMALL if any
    // attribute had that problem (in that order of precedence), else CKR_OK.
    CK_RV Read(std::span<CK_ATTRIBUTE> tmpl) const;

    // C_FindObjects: every template attribute is present, readable and equal.
    bool Matches(std::span<const CK_ATTRIBUTE> tmpl) const;

private:
    struct Value {
        std::vector<uint8_t> bytes;
        bool sensitive = false;
    };
    std::map<CK_ATTRIBUTE_TYPE, Value> values_;
};

// Reading typed values out of an application's template (for key generation, unwrap, find).
const CK_ATTRIBUTE* FindInTemplate(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type);
// Throws CKR_ATTRIBUTE_VALUE_INVALID when present with the wrong size.
std::optional<bool> TemplateBool(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type);
std::optional<CK_ULONG> TemplateUlong(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type);
std::optional<std::vector<uint8_t>> TemplateBytes(std::span<const CK_ATTRIBUTE> tmpl,
                                                  CK_ATTRIBUTE_TYPE type);

}  // namespace azkv::p11
