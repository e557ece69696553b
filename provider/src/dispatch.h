#pragma once
// The dispatch tables each operation file defines, assembled by provider_init.cpp.

#include <openssl/core.h>
#include <openssl/core_dispatch.h>

namespace azkv::provider {

struct ProviderKey;

// OpenSSL's own names (providers/implementations/include/prov/names.h), so that EVP_PKEY_is_a()
// and libssl recognise our keys.
inline constexpr const char kNamesRsa[] = "RSA:rsaEncryption:1.2.840.113549.1.1.1";
inline constexpr const char kNamesEc[] = "EC:id-ecPublicKey:1.2.840.10045.2.1";
inline constexpr const char kNamesEcdsa[] = "ECDSA";

extern const OSSL_DISPATCH kRsaKeymgmtFunctions[];
extern const OSSL_DISPATCH kEcKeymgmtFunctions[];
extern const OSSL_DISPATCH kRsaSignatureFunctions[];
extern const OSSL_DISPATCH kEcdsaSignatureFunctions[];
extern const OSSL_DISPATCH kRsaAsymCipherFunctions[];
extern const OSSL_DISPATCH kStoreFunctions[];
extern const OSSL_DISPATCH kPemToKeyrefDecoderFunctions[];
extern const OSSL_DISPATCH kKeyrefToRsaDecoderFunctions[];
extern const OSSL_DISPATCH kKeyrefToEcDecoderFunctions[];
extern const OSSL_DISPATCH kKeyrefEncoderFunctions[];

// Hands a key to OpenSSL by reference (store and decoder): OSSL_OBJECT_PKEY, its type, and the
// address of `key`, which the keymgmt's load() copies before the callback returns.
int EmitKeyReference(const ProviderKey* key, OSSL_CALLBACK* object_cb, void* cbarg);

#define AZKV_FN(id, fn) \
    { id, reinterpret_cast<void (*)()>(fn) }

}  // namespace azkv::provider
