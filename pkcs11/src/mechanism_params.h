#pragma once
// Validation of mechanism parameters against what Key Vault can do.

#include "azkv/keys/digest.h"
#include "azkv/keys/remote_key.h"
#include "cryptoki.h"
#include "mechanism_table.h"

namespace azkv::p11 {

// Mechanisms without parameters must not carry any (CKR_MECHANISM_PARAM_INVALID).
void RequireNoParams(const CK_MECHANISM& mechanism);

// RSA-PSS: hashAlg SHA-256/384/512 (and equal to the mechanism's own hash for the SHA*_PSS
// variants), MGF1 with the same hash, sLen = hash length: Key Vault's only PSS form.
keys::DigestAlg PssDigest(const CK_MECHANISM& mechanism, const MechanismSpec& spec);

// RSA-OAEP: SHA-1/MGF1-SHA-1 (RSA-OAEP) or SHA-256/MGF1-SHA-256 (RSA-OAEP-256), no label.
keys::RsaEncryption OaepEncryption(const CK_MECHANISM& mechanism);

// The RSA encryption scheme of a cipher mechanism (CKM_RSA_PKCS or CKM_RSA_PKCS_OAEP).
keys::RsaEncryption CipherScheme(const CK_MECHANISM& mechanism);

}  // namespace azkv::p11
