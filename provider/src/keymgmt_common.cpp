#include "keymgmt_common.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "azkv/log/log.h"
#include "errors.h"
#include "key_object.h"
#include "provider_ctx.h"

namespace azkv::provider {
namespace {

ProviderKey* AsKey(void* keydata) {
    return static_cast<ProviderKey*>(keydata);
}

// Key parts we never accept: a private key handed to us would have to be used locally, and this
// provider only ever holds references to keys that stay in the vault.
bool HasPrivateParts(const OSSL_PARAM params[]) {
    for (const char* name : {OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_PRIV_KEY}) {
        if (OSSL_PARAM_locate_const(params, name) != nullptr)
            return true;
    }
    return false;
}

}  // namespace

void* KeymgmtNew(void* provctx, keys::KeyKind kind) {
    auto* key = new ProviderKey;
    key->ctx = static_cast<ProviderCtx*>(provctx);
    key->kind = kind;
    return key;
}

void* KeymgmtLoad(const void* reference, size_t reference_size, keys::KeyKind kind) {
    const ProviderKey* key = KeyFromReference(reference, reference_size);
    if (key == nullptr || key->kind != kind)
        return nullptr;
    return key->Clone().release();
}

void KeymgmtFree(void* keydata) {
    delete AsKey(keydata);
}

int KeymgmtHas(const void* keydata, int selection) {
    const auto* key = static_cast<const ProviderKey*>(keydata);
    if (key == nullptr)
        return 0;
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 && !key->has_private())
        return 0;
    if ((selection & (OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)) != 0 &&
        key->pub == nullptr)
        return 0;
    return 1;
}

int KeymgmtMatch(const void* keydata1, const void* keydata2, int selection) {
    const auto* k1 = static_cast<const ProviderKey*>(keydata1);
    const auto* k2 = static_cast<const ProviderKey*>(keydata2);
    if (k1 == nullptr || k2 == nullptr || k1->pub == nullptr || k2->pub == nullptr)
        return 0;
    // A key pair is determined by its public key, so comparing public keys also compares the
    // private halves held in the vault.
    if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 0)
        return EVP_PKEY_eq(k1->pub.get(), k2->pub.get()) == 1 ? 1 : 0;
    if ((selection & OSSL_KEYMGMT_SELECT_ALL_PARAMETERS) != 0)
        return EVP_PKEY_parameters_eq(k1->pub.get(), k2->pub.get()) == 1 ? 1 : 0;
    return 1;
}

int KeymgmtImport(void* keydata, int selection, const OSSL_PARAM params[]) {
    ProviderKey* key = AsKey(keydata);
    if (key == nullptr || key->has_private())
        return 0;
    if (HasPrivateParts(params)) {
        log::Debug("azkv provider: refused to import a private key (azkv holds vault keys only)");
        return 0;
    }
    int what = (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0 ? EVP_PKEY_PUBLIC_KEY
                                                                 : EVP_PKEY_KEY_PARAMETERS;
    // "provider!=azkv": the public key must live in another provider, never back in this one.
    EvpPkeyCtxPtr ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, KeyTypeName(key->kind), "provider!=azkv"));
    EVP_PKEY* pub = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &pub, what, const_cast<OSSL_PARAM*>(params)) <= 0)
        return 0;
    key->pub.reset(pub);
    return 1;
}

int KeymgmtExport(void* keydata, int selection, OSSL_CALLBACK* param_cb, void* cbarg) {
    ProviderKey* key = AsKey(keydata);
    if (key == nullptr || key->pub == nullptr)
        return 0;
    // OpenSSL asks for the private part to move the key to another provider; the refusal sends
    // the operation back to us. Not an error for the caller, so nothing goes on the queue.
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 && key->has_private())
        return 0;
    int what = (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0 ? EVP_PKEY_PUBLIC_KEY
                                                                 : EVP_PKEY_KEY_PARAMETERS;
    OSSL_PARAM* params = nullptr;
    if (EVP_PKEY_todata(key->pub.get(), what, &params) != 1)
        return 0;
    int ok = param_cb(params, cbarg);
    OSSL_PARAM_free(params);
    return ok;
}

int KeymgmtGetParams(void* keydata, OSSL_PARAM params[]) {
    ProviderKey* key = AsKey(keydata);
    if (key == nullptr)
        return 0;
    if (key->pub == nullptr)
        return 1;
    // The public key knows bits, security bits, size, default digest and its public parts, and
    // the private half cannot change any of them.
    return EVP_PKEY_get_params(key->pub.get(), params) == 1 ? 1 : 0;
}

void* KeymgmtDup(const void* keydata, int) {
    const auto* key = static_cast<const ProviderKey*>(keydata);
    return key != nullptr ? key->Clone().release() : nullptr;
}

}  // namespace azkv::provider
