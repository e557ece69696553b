#pragma once
// Every mechanism the module offers, as data: what it does, on which keys, with which hash,
// and on which service. C_GetMechanismList/Info and every *Init read this table, so the list a
// token advertises is exactly what its operations accept.
//
// Extension point: symmetric (oct-HSM) mechanisms add a KeyFamily::kAes row set and an
// operation class; nothing else here assumes RSA or EC.

#include <optional>
#include <vector>

#include "azkv/keys/digest.h"
#include "cryptoki.h"

namespace azkv::p11 {

enum class KeyFamily { kRsa, kEc, kAes, kNone };

enum class MechanismUse {
    kSign,        // sign (remote) + verify (local)
    kCipher,      // decrypt/unwrap (remote) + encrypt/wrap (local)
    kDigest,      // local
    kKeyPairGen,  // creates a key in the vault
    kKeyGen       // creates a secret key in the vault (Managed HSM)
};

struct MechanismSpec {
    CK_MECHANISM_TYPE type;
    KeyFamily family;
    MechanismUse use;
    CK_FLAGS flags;
    std::optional<keys::DigestAlg> hash;  // hashed locally before signing (or the digest)
    bool pss = false;
    bool vault_only = false;  // needs RSNULL, which Managed HSM does not offer
    bool multipart = false;   // C_SignUpdate/C_VerifyUpdate/C_DigestUpdate allowed
    bool mhsm_only = false;   // symmetric (oct-HSM) keys live in Managed HSMs only
};

// What a token's service and configuration allow.
struct TokenCapabilities {
    bool managed_hsm = false;
    bool allow_create = false;
};

const MechanismSpec* FindMechanism(CK_MECHANISM_TYPE type);
// The mechanism if this token offers it, else nullptr.
const MechanismSpec* TokenMechanism(const TokenCapabilities& caps, CK_MECHANISM_TYPE type);
std::vector<CK_MECHANISM_TYPE> TokenMechanisms(const TokenCapabilities& caps);
CK_MECHANISM_INFO MechanismInfo(const MechanismSpec& spec);
// Sign and cipher mechanisms usable with a key of this family on this token
// (CKA_ALLOWED_MECHANISMS).
std::vector<CK_MECHANISM_TYPE> KeyMechanisms(const TokenCapabilities& caps, KeyFamily family);

}  // namespace azkv::p11
