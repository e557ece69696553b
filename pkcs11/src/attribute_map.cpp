#include "attribute_map.h"

#include <cstring>

#include "p11_error.h"

namespace azkv::p11 {

void AttributeMap::Put(CK_ATTRIBUTE_TYPE type, std::vector<uint8_t> value) {
    values_[type] = Value{std::move(value), false};
}

void AttributeMap::PutBool(CK_ATTRIBUTE_TYPE type, bool value) {
    Put(type, {static_cast<uint8_t>(value ? CK_TRUE : CK_FALSE)});
}

void AttributeMap::PutUlong(CK_ATTRIBUTE_TYPE type, CK_ULONG value) {
    std::vector<uint8_t> bytes(sizeof(CK_ULONG));
    std::memcpy(bytes.data(), &value, sizeof(value));
    Put(type, std::move(bytes));
}

void AttributeMap::PutString(CK_ATTRIBUTE_TYPE type, std::string_view value) {
    Put(type, std::vector<uint8_t>(value.begin(), value.end()));
}

void AttributeMap::PutUlongs(CK_ATTRIBUTE_TYPE type, const std::vector<CK_ULONG>& values) {
    std::vector<uint8_t> bytes(values.size() * sizeof(CK_ULONG));
    if (!values.empty())
        std::memcpy(bytes.data(), values.data(), bytes.size());
    Put(type, std::move(bytes));
}

void AttributeMap::PutSensitive(CK_ATTRIBUTE_TYPE type) {
    values_[type] = Value{{}, true};
}

const std::vector<uint8_t>* AttributeMap::Find(CK_ATTRIBUTE_TYPE type) const {
    auto it = values_.find(type);
    if (it == values_.end() || it->second.sensitive)
        return nullptr;
    return &it->second.bytes;
}

bool AttributeMap::BoolOr(CK_ATTRIBUTE_TYPE type, bool fallback) const {
    const auto* v = Find(type);
    return v != nullptr && v->size() == 1 ? (*v)[0] != CK_FALSE : fallback;
}

CK_ULONG AttributeMap::UlongOr(CK_ATTRIBUTE_TYPE type, CK_ULONG fallback) const {
    const auto* v = Find(type);
    if (v == nullptr || v->size() != sizeof(CK_ULONG))
        return fallback;
    CK_ULONG out;
    std::memcpy(&out, v->data(), sizeof(out));
    return out;
}

CK_RV AttributeMap::Read(std::span<CK_ATTRIBUTE> tmpl) const {
    bool sensitive = false, invalid = false, too_small = false;
    for (CK_ATTRIBUTE& a : tmpl) {
        auto it = values_.find(a.type);
        if (it == values_.end()) {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            invalid = true;
        } else if (it->second.sensitive) {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            sensitive = true;
        } else if (a.pValue == nullptr) {
            a.ulValueLen = it->second.bytes.size();
        } else if (a.ulValueLen >= it->second.bytes.size()) {
            if (!it->second.bytes.empty())
                std::memcpy(a.pValue, it->second.bytes.data(), it->second.bytes.size());
            a.ulValueLen = it->second.bytes.size();
        } else {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            too_small = true;
        }
    }
    if (sensitive)
        return CKR_ATTRIBUTE_SENSITIVE;
    if (invalid)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    if (too_small)
        return CKR_BUFFER_TOO_SMALL;
    return CKR_OK;
}

bool AttributeMap::Matches(std::span<const CK_ATTRIBUTE> tmpl) const {
    for (const CK_ATTRIBUTE& a : tmpl) {
        const auto* v = Find(a.type);
        if (v == nullptr || v->size() != a.ulValueLen)
            return false;
        if (!v->empty() &&
            (a.pValue == nullptr || std::memcmp(v->data(), a.pValue, v->size()) != 0))
            return false;
    }
    return true;
}

const CK_ATTRIBUTE* FindInTemplate(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type) {
    for (const CK_ATTRIBUTE& a : tmpl) {
        if (a.type == type)
            return &a;
    }
    return nullptr;
}

namespace {

const CK_ATTRIBUTE* Sized(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type, size_t size) {
    const CK_ATTRIBUTE* a = FindInTemplate(tmpl, type);
    if (a != nullptr && (a->pValue == nullptr || a->ulValueLen != size)) {
        Fail(CKR_ATTRIBUTE_VALUE_INVALID,
             "template attribute 0x" + std::to_string(type) + " has the wrong size");
    }
    return a;
}

}  // namespace

std::optional<bool> TemplateBool(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type) {
    const CK_ATTRIBUTE* a = Sized(tmpl, type, sizeof(CK_BBOOL));
    if (a == nullptr)
        return std::nullopt;
    return *static_cast<const CK_BBOOL*>(a->pValue) != CK_FALSE;
}

std::optional<CK_ULONG> TemplateUlong(std::span<const CK_ATTRIBUTE> tmpl, CK_ATTRIBUTE_TYPE type) {
    const CK_ATTRIBUTE* a = Sized(tmpl, type, sizeof(CK_ULONG));
    if (a == nullptr)
        return std::nullopt;
    CK_ULONG v;
    std::memcpy(&v, a->pValue, sizeof(v));
    return v;
}

std::optional<std::vector<uint8_t>> TemplateBytes(std::span<const CK_ATTRIBUTE> tmpl,
                                                  CK_ATTRIBUTE_TYPE type) {
    const CK_ATTRIBUTE* a = FindInTemplate(tmpl, type);
    if (a == nullptr)
        return std::nullopt;
    if (a->pValue == nullptr && a->ulValueLen != 0)
        Fail(CKR_ATTRIBUTE_VALUE_INVALID, "template attribute without a value");
    const auto* p = static_cast<const uint8_t*>(a->pValue);
    return a->ulValueLen == 0 ? std::vector<uint8_t>{} : std::vector<uint8_t>(p, p + a->ulValueLen);
}

}  // namespace azkv::p11
