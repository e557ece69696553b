#pragma once
// The on-premises HSM side of BYOK: a PKCS#11 module loaded with dlopen, and the one thing
// azkv asks of it: wrap a private key it holds for a Key Vault key-exchange key (KEK), so that
// the key leaves the token only wrapped.
//
// Two ways, chosen from the token's mechanism list:
//   rsa-aes: CKM_RSA_AES_KEY_WRAP in one call (OAEP SHA-1 + AES-256 KWP inside the token);
//   aes-kwp: an ephemeral AES-256 session key made in the token wraps the target with
//            CKM_AES_KEY_WRAP_PAD (RFC 5649), and CKM_RSA_PKCS_OAEP (SHA-1) wraps that AES key
//            with the KEK; the AES key is destroyed before returning.
// Both produce RSA-OAEP(aes) || AES-KWP(PKCS#8 of the target): Key Vault's CKM_RSA_AES_KEY_WRAP.

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <vector>

#include "azkv/util/secret.h"
#include "azkv/util/status.h"

namespace azkv::cli {

struct Pkcs11WrapRequest {
    std::string module_path;
    std::string token_label;  // or slot >= 0
    long slot = -1;
    SecretString pin;
    std::string key_label;           // CKA_LABEL of the private key to transfer
    std::string key_id_hex;          // or its CKA_ID
    std::string mechanism = "auto";  // auto | rsa-aes | aes-kwp
};

struct Pkcs11WrapResult {
    std::vector<uint8_t> ciphertext;  // RSA-OAEP(aes) || AES-KWP(target)
    std::string mechanism;            // what was used
    std::string key_type;             // RSA or EC
    std::string curve;                // JWK curve name for EC keys
    std::string token_description;    // manufacturer + model + label, for the generator field
};

StatusOr<Pkcs11WrapResult> WrapWithPkcs11(const Pkcs11WrapRequest& req, EVP_PKEY* kek_public);

}  // namespace azkv::cli
