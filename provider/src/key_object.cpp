#include "key_object.h"

#include <cstring>

namespace azkv::provider {

EvpPkeyPtr SharePkey(EVP_PKEY* pkey) {
    if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1)
        return nullptr;
    return EvpPkeyPtr(pkey);
}

std::unique_ptr<ProviderKey> ProviderKey::FromRemote(ProviderCtx* ctx,
                                                     std::shared_ptr<const keys::RemoteKey> remote,
                                                     std::string uri) {
    auto key = std::make_unique<ProviderKey>();
    key->ctx = ctx;
    key->kind = remote->kind();
    key->pub = SharePkey(remote->public_key());
    key->remote = std::move(remote);
    key->uri = std::move(uri);
    return key;
}

std::unique_ptr<ProviderKey> ProviderKey::Clone() const {
    auto key = std::make_unique<ProviderKey>();
    key->ctx = ctx;
    key->kind = kind;
    key->remote = remote;
    key->pub = SharePkey(pub.get());
    key->uri = uri;
    return key;
}

const char* KeyTypeName(keys::KeyKind kind) {
    return kind == keys::KeyKind::kRsa ? "RSA" : "EC";
}

const ProviderKey* KeyFromReference(const void* reference, size_t size) {
    const ProviderKey* key = nullptr;
    if (reference == nullptr || size != sizeof(key))
        return nullptr;
    std::memcpy(&key, reference, sizeof(key));
    if (key == nullptr || key->magic != ProviderKey::kMagic)
        return nullptr;
    return key;
}

}  // namespace azkv::provider
