#pragma once
// One PKCS#11 object: its attributes, and what it stands for (a vault key version, a
// certificate, or a secret key that lives only in a session). Immutable once published, so
// sessions can keep using an object while the store swaps in a refreshed one.

#include <memory>
#include <string>

#include "attribute_map.h"
#include "azkv/keys/aes_key.h"
#include "azkv/keys/remote_key.h"
#include "azkv/util/secret.h"
#include "cryptoki.h"

namespace azkv::p11 {

struct Object {
    CK_OBJECT_HANDLE handle = 0;
    CK_OBJECT_CLASS object_class = CKO_DATA;
    AttributeMap attributes;
    // Key objects: the vault key version behind both the private and the public object.
    std::shared_ptr<const keys::RemoteKey> key;
    // Managed HSM AES (oct-HSM) key objects: the key version behind the CKO_SECRET_KEY.
    std::shared_ptr<const keys::AesKey> aes_key;
    // Session secret keys (from C_UnwrapKey / C_CreateObject): the key bytes.
    SecureBytes secret;
    // The session that owns a session object; 0 for token objects.
    CK_SESSION_HANDLE owner = 0;
    // Token objects: the vault object name and version they come from.
    std::string name, version;

    bool is_token_object() const { return owner == 0; }
};

using ObjectPtr = std::shared_ptr<const Object>;

}  // namespace azkv::p11
