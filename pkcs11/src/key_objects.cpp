#include "key_objects.h"

#include <ctime>

#include <openssl/x509.h>

#include "attributes_ec.h"
#include "attributes_rsa.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

int HexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::vector<uint8_t> Spki(EVP_PKEY* pkey) {
    int len = i2d_PUBKEY(pkey, nullptr);
    if (len <= 0)
        throw P11Error(CKR_GENERAL_ERROR, "cannot encode the public key", LogLevel::kError);
    std::vector<uint8_t> out(static_cast<size_t>(len));
    unsigned char* p = out.data();
    i2d_PUBKEY(pkey, &p);
    return out;
}

// Attributes every asymmetric key object has, private or public.
void AddCommon(AttributeMap& a, const keys::RemoteKey& key, const KeyObjectContext& ctx,
               CK_OBJECT_CLASS cls, KeyFamily family) {
    AddVaultKeyCommon(a, ctx, cls, family == KeyFamily::kRsa ? CKK_RSA : CKK_EC, family,
                      key.bundle(), key.version(), key.kid());
    a.Put(CKA_SUBJECT, {});
    a.Put(CKA_PUBLIC_KEY_INFO, Spki(key.public_key()));
    if (family == KeyFamily::kRsa)
        AddRsaPublicAttributes(a, key.public_key());
    else
        AddEcPublicAttributes(a, key.public_key());
}

}  // namespace

void AddVaultKeyCommon(AttributeMap& a, const KeyObjectContext& ctx, CK_OBJECT_CLASS cls,
                       CK_KEY_TYPE type, KeyFamily family, const keyvault::KeyBundle& bundle,
                       const std::string& version, const std::string& kid) {
    a.PutUlong(CKA_CLASS, cls);
    a.PutUlong(CKA_KEY_TYPE, type);
    a.PutBool(CKA_TOKEN, true);
    a.PutBool(CKA_PRIVATE, false);  // no login is needed to use vault keys
    a.PutBool(CKA_MODIFIABLE, false);
    a.PutBool(CKA_COPYABLE, false);
    a.PutBool(CKA_DESTROYABLE, ctx.destroyable);
    a.PutString(CKA_LABEL, ctx.label);
    a.Put(CKA_ID, VersionIdBytes(version));
    a.Put(CKA_START_DATE, CkDate(bundle.attributes.not_before));
    a.Put(CKA_END_DATE, CkDate(bundle.attributes.expires));
    a.PutString(kCkaAzkvKid, kid);
    a.PutBool(CKA_DERIVE, false);
    // Key Vault does not say whether a key was generated in the HSM or imported.
    a.PutBool(CKA_LOCAL, false);
    a.PutUlong(CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
    a.PutUlongs(CKA_ALLOWED_MECHANISMS, KeyMechanisms(ctx.caps, family));
}

std::vector<uint8_t> VersionIdBytes(const std::string& version) {
    if (version.size() != 32)
        return {};
    std::vector<uint8_t> out(16);
    for (size_t i = 0; i < 16; ++i) {
        int hi = HexValue(version[2 * i]), lo = HexValue(version[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return {};
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return out;
}

std::string VersionIdHex(const std::vector<uint8_t>& id) {
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (uint8_t b : id) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

std::vector<uint8_t> CkDate(const std::optional<int64_t>& unix_seconds) {
    if (!unix_seconds)
        return {};
    time_t t = static_cast<time_t>(*unix_seconds);
    struct tm tm {};
    gmtime_r(&t, &tm);
    char buf[16];
    strftime(buf, sizeof(buf), "%Y%m%d", &tm);
    return std::vector<uint8_t>(buf, buf + 8);
}

KeyObjects BuildKeyObjects(const std::shared_ptr<const keys::RemoteKey>& key,
                           const KeyObjectContext& ctx) {
    KeyFamily family = key->kind() == keys::KeyKind::kRsa ? KeyFamily::kRsa : KeyFamily::kEc;
    bool rsa = family == KeyFamily::kRsa;
    KeyObjects out{std::make_shared<Object>(), std::make_shared<Object>()};

    Object& priv = *out.private_key;
    priv.object_class = CKO_PRIVATE_KEY;
    AddCommon(priv.attributes, *key, ctx, CKO_PRIVATE_KEY, family);
    AttributeMap& pa = priv.attributes;
    pa.PutBool(CKA_SENSITIVE, true);
    pa.PutBool(CKA_ALWAYS_SENSITIVE, true);
    pa.PutBool(CKA_EXTRACTABLE, false);
    pa.PutBool(CKA_NEVER_EXTRACTABLE, true);
    pa.PutBool(CKA_SIGN, key->Permits("sign"));
    pa.PutBool(CKA_SIGN_RECOVER, false);
    pa.PutBool(CKA_DECRYPT, rsa && key->Permits("decrypt"));
    pa.PutBool(CKA_UNWRAP, rsa && key->Permits("unwrapKey"));
    pa.PutBool(CKA_WRAP_WITH_TRUSTED, false);
    pa.PutBool(CKA_ALWAYS_AUTHENTICATE, false);
    if (rsa)
        AddRsaPrivateParts(pa);
    else
        AddEcPrivateParts(pa);

    Object& pub = *out.public_key;
    pub.object_class = CKO_PUBLIC_KEY;
    AddCommon(pub.attributes, *key, ctx, CKO_PUBLIC_KEY, family);
    AttributeMap& ua = pub.attributes;
    ua.PutBool(CKA_VERIFY, key->Permits("verify"));
    ua.PutBool(CKA_VERIFY_RECOVER, false);
    ua.PutBool(CKA_ENCRYPT, rsa && key->Permits("encrypt"));
    ua.PutBool(CKA_WRAP, rsa && key->Permits("wrapKey"));
    ua.PutBool(CKA_TRUSTED, false);

    for (Object* o : {&priv, &pub}) {
        o->key = key;
        o->name = key->name();
        o->version = key->version();
    }
    return out;
}

}  // namespace azkv::p11
