#pragma once
// RSA key attributes from the key's public part.

#include <openssl/evp.h>

#include "attribute_map.h"

namespace azkv::p11 {

// CKA_MODULUS, CKA_MODULUS_BITS, CKA_PUBLIC_EXPONENT.
void AddRsaPublicAttributes(AttributeMap& attrs, EVP_PKEY* pkey);
// The private components exist but are never revealed (CKR_ATTRIBUTE_SENSITIVE).
void AddRsaPrivateParts(AttributeMap& attrs);

}  // namespace azkv::p11
