#pragma once
// EC key attributes, and the mapping between CKA_EC_PARAMS and Key Vault's curve names.

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <vector>

#include "attribute_map.h"

namespace azkv::p11 {

// CKA_EC_PARAMS (the curve's OID, DER) and CKA_EC_POINT (DER OCTET STRING of the
// uncompressed point).
void AddEcPublicAttributes(AttributeMap& attrs, EVP_PKEY* pkey);
// CKA_VALUE exists but is never revealed.
void AddEcPrivateParts(AttributeMap& attrs);

// DER OID of a Key Vault curve ("P-256" ...); empty if unknown.
std::vector<uint8_t> EcParamsForCurve(const std::string& crv);
// The Key Vault curve named by a DER OID (CKA_EC_PARAMS); nullopt if not one Key Vault has.
std::optional<std::string> CurveForEcParams(const std::vector<uint8_t>& der);

}  // namespace azkv::p11
