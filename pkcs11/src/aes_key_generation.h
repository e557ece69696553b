#pragma once
// C_GenerateKey(CKM_AES_KEY_GEN): a standard secret-key template becomes a Managed HSM
// create-key request for an oct-HSM key. CKA_LABEL is the key name; CKA_VALUE_LEN (16, 24 or
// 32) the size; CKA_ENCRYPT/DECRYPT/WRAP/UNWRAP (default true) the key_ops.

#include <span>
#include <string>

#include "azkv/keyvault/models.h"
#include "cryptoki.h"

namespace azkv::p11 {

struct AesKeyRequest {
    std::string name;
    keyvault::CreateKeyParams params;
};

// Throws CKR_TEMPLATE_INCOMPLETE / _INCONSISTENT, CKR_ATTRIBUTE_VALUE_INVALID or
// CKR_KEY_SIZE_RANGE.
AesKeyRequest AesKeyRequestFor(std::span<const CK_ATTRIBUTE> tmpl);

}  // namespace azkv::p11
