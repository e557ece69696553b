#pragma once
// Session secret keys (CKK_AES, CKK_GENERIC_SECRET) made by C_UnwrapKey or C_CreateObject.
// Their value is readable only when the template makes them extractable and not sensitive.

#include <memory>
#include <span>

#include "azkv/util/secret.h"
#include "object.h"

namespace azkv::p11 {

// Validates the template (class, key type, length, CKA_TOKEN false) and builds the object
// around `value`, the key bytes.
std::shared_ptr<Object> BuildSecretKeyObject(std::span<const CK_ATTRIBUTE> tmpl, SecureBytes value,
                                             CK_SESSION_HANDLE owner);

}  // namespace azkv::p11
