#pragma once
// The private-key and public-key objects of one vault key version.

#include <memory>
#include <string>
#include <vector>

#include "azkv/keys/remote_key.h"
#include "mechanism_table.h"
#include "object.h"

namespace azkv::p11 {

struct KeyObjectContext {
    std::string label;  // the key name for the current version, else "name/version"
    bool destroyable = false;
    TokenCapabilities caps;
};

struct KeyObjects {
    std::shared_ptr<Object> private_key, public_key;
};

KeyObjects BuildKeyObjects(const std::shared_ptr<const keys::RemoteKey>& key,
                           const KeyObjectContext& context);

// CKA_ID: the 16 bytes of a 32-hex-digit version id (empty for anything else).
std::vector<uint8_t> VersionIdBytes(const std::string& version);
std::string VersionIdHex(const std::vector<uint8_t>& id);

// A CK_DATE ("YYYYMMDD") for unix seconds; empty when absent.
std::vector<uint8_t> CkDate(const std::optional<int64_t>& unix_seconds);

// The storage and key-common attributes every vault key object has (RSA, EC and AES; private,
// public and secret): class, key type, token flags, label, CKA_ID from the version, validity
// dates, the kid, and the mechanisms the token offers for the key family.
void AddVaultKeyCommon(AttributeMap& a, const KeyObjectContext& ctx, CK_OBJECT_CLASS cls,
                       CK_KEY_TYPE type, KeyFamily family, const keyvault::KeyBundle& bundle,
                       const std::string& version, const std::string& kid);

}  // namespace azkv::p11
