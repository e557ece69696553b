#pragma once
// The provider's key object (the keydata of our keymgmt). It is either a vault key -- the
// RemoteKey that performs private-key operations, plus its public key -- or a plain public key
// that OpenSSL imported into us (for EVP_PKEY_eq), whose operations all run locally.
//
// Store and decoder hand keys to the keymgmt "by reference": the reference is the address of a
// ProviderKey that lives until the callback returns, and load() copies it.

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "azkv/keys/remote_key.h"
#include "azkv/util/ossl.h"

namespace azkv::provider {

class ProviderCtx;

struct ProviderKey {
    static constexpr uint64_t kMagic = 0x617a6b766b657931ULL;  // "azkvkey1"

    uint64_t magic = kMagic;
    ProviderCtx* ctx = nullptr;
    keys::KeyKind kind = keys::KeyKind::kRsa;
    std::shared_ptr<const keys::RemoteKey> remote;  // null: a public key only
    EvpPkeyPtr pub;                                 // in the default provider; null: empty
    // The URI it was loaded by (azkv:https://vault/keys/name[/version]): what a key reference
    // written for this key names. Unversioned when the user asked for the latest version.
    std::string uri;

    bool has_private() const { return remote != nullptr; }
    // A vault key for `remote`, referenced as `uri`.
    static std::unique_ptr<ProviderKey> FromRemote(ProviderCtx* ctx,
                                                   std::shared_ptr<const keys::RemoteKey> remote,
                                                   std::string uri);
    std::unique_ptr<ProviderKey> Clone() const;
};

// OpenSSL's names for our key types: what the keymgmt is registered as and what store and
// decoder report as OSSL_OBJECT_PARAM_DATA_TYPE.
const char* KeyTypeName(keys::KeyKind kind);  // "RSA" or "EC"

// Passing a ProviderKey by reference through OSSL_OBJECT_PARAM_REFERENCE.
const ProviderKey* KeyFromReference(const void* reference, size_t size);

// EVP_PKEY_up_ref'd copy.
EvpPkeyPtr SharePkey(EVP_PKEY* pkey);

}  // namespace azkv::provider
