#include "secret_key_object.h"

#include "p11_error.h"

namespace azkv::p11 {

std::shared_ptr<Object> BuildSecretKeyObject(std::span<const CK_ATTRIBUTE> tmpl, SecureBytes value,
                                             CK_SESSION_HANDLE owner) {
    auto cls = TemplateUlong(tmpl, CKA_CLASS);
    if (cls && *cls != CKO_SECRET_KEY)
        Fail(CKR_TEMPLATE_INCONSISTENT, "only secret keys can be made in a session");
    if (TemplateBool(tmpl, CKA_TOKEN).value_or(false)) {
        Fail(CKR_TEMPLATE_INCONSISTENT,
             "secret keys live only in the session here (CKA_TOKEN must be false)");
    }
    CK_ULONG type = TemplateUlong(tmpl, CKA_KEY_TYPE).value_or(CKK_GENERIC_SECRET);
    if (type != CKK_AES && type != CKK_GENERIC_SECRET)
        Fail(CKR_TEMPLATE_INCONSISTENT, "secret key type must be CKK_AES or CKK_GENERIC_SECRET");
    if (type == CKK_AES && value.size() != 16 && value.size() != 24 && value.size() != 32) {
        Fail(CKR_WRAPPED_KEY_INVALID,
             "an AES key is 16, 24 or 32 bytes, got " + std::to_string(value.size()));
    }
    if (value.empty())
        Fail(CKR_WRAPPED_KEY_INVALID, "empty key");
    if (auto len = TemplateUlong(tmpl, CKA_VALUE_LEN); len && *len != value.size())
        Fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN does not match the key");

    auto o = std::make_shared<Object>();
    o->object_class = CKO_SECRET_KEY;
    o->owner = owner;
    AttributeMap& a = o->attributes;
    bool sensitive = TemplateBool(tmpl, CKA_SENSITIVE).value_or(true);
    bool extractable = TemplateBool(tmpl, CKA_EXTRACTABLE).value_or(false);
    a.PutUlong(CKA_CLASS, CKO_SECRET_KEY);
    a.PutUlong(CKA_KEY_TYPE, type);
    a.PutBool(CKA_TOKEN, false);
    a.PutBool(CKA_PRIVATE, TemplateBool(tmpl, CKA_PRIVATE).value_or(false));
    a.PutBool(CKA_MODIFIABLE, false);
    a.PutBool(CKA_COPYABLE, false);
    a.PutBool(CKA_DESTROYABLE, true);
    a.Put(CKA_LABEL, TemplateBytes(tmpl, CKA_LABEL).value_or(std::vector<uint8_t>{}));
    a.Put(CKA_ID, TemplateBytes(tmpl, CKA_ID).value_or(std::vector<uint8_t>{}));
    a.Put(CKA_START_DATE, {});
    a.Put(CKA_END_DATE, {});
    a.PutBool(CKA_LOCAL, false);
    a.PutUlong(CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
    a.PutUlongs(CKA_ALLOWED_MECHANISMS, {});
    for (CK_ATTRIBUTE_TYPE t :
         {CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY, CKA_WRAP, CKA_UNWRAP, CKA_DERIVE}) {
        a.PutBool(t, TemplateBool(tmpl, t).value_or(false));
    }
    a.PutBool(CKA_SENSITIVE, sensitive);
    a.PutBool(CKA_ALWAYS_SENSITIVE, sensitive);
    a.PutBool(CKA_EXTRACTABLE, extractable);
    a.PutBool(CKA_NEVER_EXTRACTABLE, !extractable);
    a.PutBool(CKA_WRAP_WITH_TRUSTED, false);
    a.PutBool(CKA_TRUSTED, false);
    a.PutUlong(CKA_VALUE_LEN, value.size());
    if (sensitive || !extractable)
        a.PutSensitive(CKA_VALUE);
    else
        a.Put(CKA_VALUE, std::vector<uint8_t>(value.begin(), value.end()));
    o->secret = std::move(value);
    return o;
}

}  // namespace azkv::p11
