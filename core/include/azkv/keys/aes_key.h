#pragma once
// AesKey: one version of a symmetric (oct-HSM) Managed HSM key, and the meaning of every
// operation on it: which algorithm a request maps to (A128GCM, A256CBCPAD, A192KW, ...), and
// the local checks of each answer (lengths, tag, IV), so that a wrong answer is never passed on.
//
// Every operation is one remote call: the key material never leaves the HSM.
//
// The service does not say how long an oct-HSM key is (GET returns kid, kty and key_ops only),
// and the algorithm name carries the size, so the size is learned once per key version by
// ProbeBits (see there) or known from creation. An AesKey is immutable and safe to share.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "azkv/keys/remote_key.h"
#include "azkv/keyvault/client.h"
#include "azkv/keyvault/models.h"
#include "azkv/util/secret.h"
#include "azkv/util/status.h"

namespace azkv::keys {

enum class AesMode {
    kGcm,     // A*GCM: the HSM picks the IV; 128-bit tag; optional AAD
    kCbcPad,  // A*CBCPAD: PKCS#7 padding; the caller's 16-byte IV
    kKeyWrap  // A*KW: RFC 3394 key wrap (wrapkey/unwrapkey)
};

struct AesCiphertext {
    std::vector<uint8_t> value;
    std::vector<uint8_t> iv;   // GCM: the HSM's IV (12 bytes, or 16 on older HSMs)
    std::vector<uint8_t> tag;  // GCM: 16 bytes
};

struct AesInput {
    std::span<const uint8_t> value;
    std::span<const uint8_t> iv;   // CBC: 16 bytes; GCM decrypt: the IV encryption returned
    std::span<const uint8_t> aad;  // GCM only
    std::span<const uint8_t> tag;  // GCM decrypt only
};

class AesKey {
public:
    static constexpr size_t kGcmTagBytes = 16;
    static constexpr size_t kBlockBytes = 16;

    // True for kty oct / oct-HSM.
    static bool IsSymmetric(const keyvault::KeyBundle& bundle);

    // `bits` is 128, 192 or 256 (from ProbeBits or from the create request).
    static StatusOr<std::shared_ptr<const AesKey>> Create(std::shared_ptr<keyvault::Client> client,
                                                          keyvault::KeyBundle bundle, int bits,
                                                          KeyPolicy policy = {});

    // Learns the size of an oct-HSM key with harmless operations the key permits: wrapkey of
    // 16 zero bytes (A256KW, then A128KW, then A192KW) or, without wrapKey, encrypt of one
    // zero byte (A*GCM). A refusal for the wrong size is a 400; the first success tells the
    // size. At most three remote calls; kUnsupported when the key permits neither operation.
    static StatusOr<int> ProbeBits(keyvault::Client& client, const keyvault::KeyBundle& bundle);

    const std::string& kid() const { return bundle_.key.kid; }
    const std::string& name() const { return id_.name; }
    const std::string& version() const { return id_.version; }
    const std::string& vault() const { return id_.vault; }
    int bits() const { return bits_; }
    const keyvault::KeyBundle& bundle() const { return bundle_; }
    bool Permits(const std::string& key_op) const { return bundle_.key.HasOp(key_op); }

    // "A256GCM", "A128CBCPAD", "A192KW".
    std::string Alg(AesMode mode) const;

    StatusOr<AesCiphertext> Encrypt(AesMode mode, const AesInput& in) const;
    StatusOr<SecureBytes> Decrypt(AesMode mode, const AesInput& in) const;
    // A*KW of key bytes (a multiple of 8, at least 16).
    StatusOr<std::vector<uint8_t>> Wrap(std::span<const uint8_t> key) const;
    StatusOr<SecureBytes> Unwrap(std::span<const uint8_t> wrapped) const;

private:
    AesKey() = default;
    std::string Context(const std::string& op) const { return id_.Context(op); }
    Status CheckInput(AesMode mode, const AesInput& in, bool encrypt) const;

    std::shared_ptr<keyvault::Client> client_;
    keyvault::KeyBundle bundle_;
    KeyIdentity id_;
    int bits_ = 0;
};

}  // namespace azkv::keys
