#pragma once
// C_GenerateKeyPair: standard templates (CKA_LABEL, CKA_MODULUS_BITS, CKA_PUBLIC_EXPONENT,
// CKA_EC_PARAMS, usage flags) become a Key Vault create-key request. No vendor attributes.

#include <span>
#include <string>

#include "azkv/keyvault/models.h"
#include "cryptoki.h"
#include "mechanism_table.h"

namespace azkv::p11 {

struct KeyPairRequest {
    std::string name;
    keyvault::CreateKeyParams params;
};

// Throws CKR_TEMPLATE_INCOMPLETE / _INCONSISTENT, CKR_ATTRIBUTE_VALUE_INVALID,
// CKR_KEY_SIZE_RANGE or CKR_CURVE_NOT_SUPPORTED.
KeyPairRequest KeyPairRequestFor(KeyFamily family, std::span<const CK_ATTRIBUTE> pub,
                                 std::span<const CK_ATTRIBUTE> priv);

// The vault key name a key-generation template asks for: its CKA_LABEL, which must be a valid
// Key Vault key name (CKR_TEMPLATE_INCOMPLETE / CKR_ATTRIBUTE_VALUE_INVALID otherwise).
std::string KeyNameFromLabel(std::span<const CK_ATTRIBUTE> tmpl);

}  // namespace azkv::p11
