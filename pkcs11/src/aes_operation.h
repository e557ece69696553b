#pragma once
// An active AES encrypt or decrypt (CKM_AES_GCM, CKM_AES_CBC_PAD) on a Managed HSM key.
//
// Managed HSM has no streaming interface, so multi-part input (C_EncryptUpdate /
// C_DecryptUpdate) is buffered, up to kMaxInputBytes, and sent in one remote call at Final;
// Update returns no output. The output length is known before the call (encrypt, GCM
// decrypt) or bounded by the input (CBC-PAD decrypt), so length queries make no remote call,
// and a result that does not fit the caller's buffer is kept for the retry: one remote call per
// operation. GCM output is ciphertext || 16-byte tag, and GCM decrypt input is the same.

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "aes_params.h"
#include "azkv/keys/aes_key.h"
#include "azkv/util/secret.h"

namespace azkv::p11 {

class AesOperation {
public:
    // Larger inputs get CKR_DATA_LEN_RANGE / CKR_ENCRYPTED_DATA_LEN_RANGE.
    static constexpr size_t kMaxInputBytes = 64 * 1024;

    AesOperation(std::shared_ptr<const keys::AesKey> key, AesParams params, bool encrypt);

    bool encrypt() const { return encrypt_; }
    // C_EncryptUpdate/C_DecryptUpdate was called: only Final may finish the operation.
    bool multipart() const { return multipart_; }

    // Single-part input (C_Encrypt / C_Decrypt); the same input again keeps a pending result.
    void SetInput(std::span<const uint8_t> input);
    void Append(std::span<const uint8_t> part);

    // Exact for encrypt and GCM decrypt; an upper bound for CBC-PAD decrypt.
    size_t OutputLength() const;
    bool OutputLengthExact() const { return encrypt_ || params_.mode == keys::AesMode::kGcm; }
    bool has_result() const { return result_.has_value(); }
    // The one remote call (made once); the result stays until the operation ends.
    const SecureBytes& Run();

private:
    void CheckSize(size_t total) const;
    SecureBytes RunEncrypt();
    SecureBytes RunDecrypt();

    std::shared_ptr<const keys::AesKey> key_;
    AesParams params_;
    bool encrypt_;
    bool multipart_ = false;
    SecureBytes input_;
    std::optional<SecureBytes> result_;
};

}  // namespace azkv::p11
