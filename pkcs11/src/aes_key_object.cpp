#include "aes_key_object.h"

namespace azkv::p11 {

std::shared_ptr<Object> BuildAesKeyObject(const std::shared_ptr<const keys::AesKey>& key,
                                          const KeyObjectContext& ctx) {
    auto o = std::make_shared<Object>();
    o->object_class = CKO_SECRET_KEY;
    AttributeMap& a = o->attributes;
    a.PutUlong(CKA_CLASS, CKO_SECRET_KEY);
    a.PutUlong(CKA_KEY_TYPE, CKK_AES);
    a.PutBool(CKA_TOKEN, true);
    a.PutBool(CKA_PRIVATE, false);  // no login is needed to use vault keys
    a.PutBool(CKA_MODIFIABLE, false);
    a.PutBool(CKA_COPYABLE, false);
    a.PutBool(CKA_DESTROYABLE, ctx.destroyable);
    a.PutString(CKA_LABEL, ctx.label);
    a.Put(CKA_ID, VersionIdBytes(key->version()));
    a.Put(CKA_START_DATE, CkDate(key->bundle().attributes.not_before));
    a.Put(CKA_END_DATE, CkDate(key->bundle().attributes.expires));
    a.PutString(kCkaAzkvKid, key->kid());
    // Key Vault does not say whether a key was generated in the HSM or imported.
    a.PutBool(CKA_LOCAL, false);
    a.PutUlong(CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
    a.PutUlongs(CKA_ALLOWED_MECHANISMS, KeyMechanisms(ctx.caps, KeyFamily::kAes));
    a.PutUlong(CKA_VALUE_LEN, static_cast<CK_ULONG>(key->bits() / 8));
    a.PutSensitive(CKA_VALUE);  // the key never leaves the HSM
    a.PutBool(CKA_SENSITIVE, true);
    a.PutBool(CKA_ALWAYS_SENSITIVE, true);
    a.PutBool(CKA_EXTRACTABLE, false);
    a.PutBool(CKA_NEVER_EXTRACTABLE, true);
    a.PutBool(CKA_ENCRYPT, key->Permits("encrypt"));
    a.PutBool(CKA_DECRYPT, key->Permits("decrypt"));
    a.PutBool(CKA_WRAP, key->Permits("wrapKey"));
    a.PutBool(CKA_UNWRAP, key->Permits("unwrapKey"));
    a.PutBool(CKA_SIGN, false);
    a.PutBool(CKA_VERIFY, false);
    a.PutBool(CKA_DERIVE, false);
    a.PutBool(CKA_TRUSTED, false);
    a.PutBool(CKA_WRAP_WITH_TRUSTED, false);
    o->aes_key = key;
    o->name = key->name();
    o->version = key->version();
    return o;
}

}  // namespace azkv::p11
