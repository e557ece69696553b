#pragma once
// C_WrapKey (local, with the vault key's public part) and C_UnwrapKey (remote unwrapkey) of
// session secret keys, for TDE-style envelope encryption.

#include <span>
#include <vector>

#include "object.h"

namespace azkv::p11 {

// The secret key bytes that may be wrapped: a session secret key with CKA_EXTRACTABLE.
const SecureBytes& WrappableSecret(const Object& key);

}  // namespace azkv::p11
