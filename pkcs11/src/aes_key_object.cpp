#include "aes_key_object.h"

namespace azkv::p11 {

std::shared_ptr<Object> BuildAesKeyObject(const std::shared_ptr<const keys::AesKey>& key,
                                          const KeyObjectContext& ctx) {
    auto o = std::make_shared<Object>();
    o->object_class = CKO_SECRET_KEY;
    AttributeMap& a = o->attributes;
    AddVaultKeyCommon(a, ctx, CKO_SECRET_KEY, CKK_AES, KeyFamily::kAes, key->bundle(),
                      key->version(), key->kid());
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
    a.PutBool(CKA_TRUSTED, false);
    a.PutBool(CKA_WRAP_WITH_TRUSTED, false);
    o->aes_key = key;
    o->name = key->name();
    o->version = key->version();
    return o;
}

}  // namespace azkv::p11
