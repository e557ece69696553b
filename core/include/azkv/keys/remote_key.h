#pragma once
// RemoteKey: one version of a vault key, and the meaning of every operation on it that both
// front ends share: which Key Vault algorithm a request maps to, how digests are prepared, how
// results are checked and encoded.
//
// Each private-key operation is split into three steps:
//   Plan*()  -- pure: choose the algorithm and build the request value (no I/O);
//   Execute() -- the one blocking round trip;
//   Finish*() -- pure: check the answer and encode it.
// The blocking convenience methods (Sign*, Decrypt, UnwrapKey) chain the three. The split leaves
// room for an asynchronous front end (OpenSSL ASYNC jobs) that runs Execute elsewhere, and for
// a key served by several vaults holding the same material (Execute picks the replica).
//
// Public-key work (verify, encrypt, wrap) runs locally and makes no network call.
// A RemoteKey is immutable and safe to share between threads (only its signature sampler
// counts answers, atomically).

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "azkv/config/config.h"
#include "azkv/keys/digest.h"
#include "azkv/keys/key_identity.h"
#include "azkv/keys/signature_sampler.h"
#include "azkv/keyvault/client.h"
#include "azkv/keyvault/models.h"
#include "azkv/util/ossl.h"

namespace azkv::keys {

enum class KeyKind { kRsa, kEc };
enum class RsaPadding { kPkcs1, kPss };
enum class RsaEncryption { kPkcs1, kOaepSha1, kOaepSha256 };

struct KeyPolicy {
    // Software-protected keys (kty RSA/EC) are refused unless the vault entry allows them.
    bool allow_software_keys = false;
    // Which answers FinishSign checks locally (see signature_sampler.h). RSA: always all.
    VerifySignatures verify_signatures = VerifySignatures::kAll;
};

// What a remote signature will be: the request and how to check the answer.
struct SignPlan {
    std::string alg;             // RS256, PS384, ES256, RSNULL, ...
    std::vector<uint8_t> value;  // what the service signs (digest or DigestInfo)
    size_t signature_len = 0;    // exact length the answer must have
    // For the local check of the answer.
    KeyKind kind = KeyKind::kRsa;
    RsaPadding padding = RsaPadding::kPkcs1;
    const EVP_MD* md = nullptr;  // null: PKCS#1 over `value` as given (RSNULL), or ECDSA
};

struct DecryptPlan {
    std::string operation;  // "decrypt" or "unwrapkey"
    std::string alg;        // RSA1_5, RSA-OAEP, RSA-OAEP-256
    std::vector<uint8_t> ciphertext;
};

class RemoteKey {
public:
    static StatusOr<std::shared_ptr<const RemoteKey>> Create(
        std::shared_ptr<keyvault::Client> client, keyvault::KeyBundle bundle,
        KeyPolicy policy = {});

    const std::string& kid() const { return bundle_.key.kid; }
    const std::string& name() const { return id_.name; }
    const std::string& version() const { return id_.version; }
    const std::string& vault() const { return id_.vault; }
    KeyKind kind() const { return kind_; }
    int bits() const { return bits_; }  // modulus or curve order bits
    const std::string& curve() const { return bundle_.key.crv; }
    bool managed_hsm() const { return id_.managed_hsm; }
    bool hsm_protected() const { return hsm_; }
    const keyvault::KeyBundle& bundle() const { return bundle_; }
    EVP_PKEY* public_key() const { return public_key_.get(); }
    bool Permits(const std::string& key_op) const { return bundle_.key.HasOp(key_op); }

    // --- signing ---
    // RSA over a digest the caller computed. PKCS#1 v1.5 with SHA-256/384/512 is RS256/384/512;
    // SHA-1, SHA-224 and MD5+SHA-1 go through RSNULL with a local DigestInfo (vaults only).
    // PSS always uses salt length = digest length (Key Vault's only choice).
    StatusOr<SignPlan> PlanRsaSign(DigestAlg digest, std::span<const uint8_t> value,
                                   RsaPadding padding) const;
    // RSA PKCS#1 v1.5 over caller-formatted bytes (CKM_RSA_PKCS): RSNULL on vaults (at most
    // k-11 bytes); on Managed HSM only a SHA-256/384/512 DigestInfo, sent as RS256/384/512.
    StatusOr<SignPlan> PlanRsaSignRaw(std::span<const uint8_t> data) const;
    // ECDSA over a digest of any length (ECDSA's own truncation and padding rules).
    StatusOr<SignPlan> PlanEcdsaSign(std::span<const uint8_t> digest) const;
    // Checks the service's answer (its length; and a local verification with the public key,
    // of every answer or of a sample as the KeyPolicy says) and returns the signature: RSA as
    // is, ECDSA as raw r||s.
    StatusOr<std::vector<uint8_t>> FinishSign(const SignPlan& plan,
                                              const SecureBytes& remote) const;

    StatusOr<std::vector<uint8_t>> Sign(const SignPlan& plan) const;  // Execute + Finish

    // --- decryption ---
    StatusOr<DecryptPlan> PlanDecrypt(RsaEncryption alg, std::span<const uint8_t> ciphertext,
                                      bool unwrap) const;
    StatusOr<SecureBytes> Decrypt(const DecryptPlan& plan) const;

    // --- local public-key work ---
    StatusOr<std::vector<uint8_t>> EncryptLocal(RsaEncryption alg,
                                                std::span<const uint8_t> plaintext) const;
    // RSA: the signature as the service makes it; ECDSA: raw r||s.
    Status VerifyLocal(const SignPlan& plan, std::span<const uint8_t> signature) const;

    static const char* EncryptionAlgName(RsaEncryption alg);

private:
    RemoteKey() = default;
    std::string Context(const std::string& op) const { return id_.Context(op); }
    size_t ModulusBytes() const { return static_cast<size_t>((bits_ + 7) / 8); }

    std::shared_ptr<keyvault::Client> client_;
    keyvault::KeyBundle bundle_;
    EvpPkeyPtr public_key_;
    KeyIdentity id_;
    KeyKind kind_ = KeyKind::kRsa;
    int bits_ = 0;
    bool hsm_ = true;
    mutable SignatureSampler sampler_;
};

}  // namespace azkv::keys
