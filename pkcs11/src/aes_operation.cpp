#include "aes_operation.h"

#include <algorithm>
#include <cstring>

#include "ckr_mapping.h"
#include "p11_error.h"

namespace azkv::p11 {

using keys::AesKey;
using keys::AesMode;

AesOperation::AesOperation(std::shared_ptr<const keys::AesKey> key, AesParams params, bool encrypt)
    : key_(std::move(key)), params_(std::move(params)), encrypt_(encrypt) {}

void AesOperation::CheckSize(size_t total) const {
    if (total > kMaxInputBytes) {
        Fail(encrypt_ ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE,
             "Managed HSM AES operations take at most " + std::to_string(kMaxInputBytes) +
                 " bytes in one call (the module buffers multi-part input up to that size)");
    }
}

void AesOperation::SetInput(std::span<const uint8_t> input) {
    if (result_ && std::equal(input.begin(), input.end(), input_.begin(), input_.end()))
        return;
    CheckSize(input.size());
    result_.reset();
    input_.assign(input.begin(), input.end());
}

void AesOperation::Append(std::span<const uint8_t> part) {
    CheckSize(input_.size() + part.size());
    multipart_ = true;
    input_.insert(input_.end(), part.begin(), part.end());
}

size_t AesOperation::OutputLength() const {
    const size_t n = input_.size();
    if (params_.mode == AesMode::kGcm) {
        if (encrypt_)
            return n + AesKey::kGcmTagBytes;
        return n >= AesKey::kGcmTagBytes ? n - AesKey::kGcmTagBytes : 0;
    }
    return encrypt_ ? (n / AesKey::kBlockBytes + 1) * AesKey::kBlockBytes : n;
}

const SecureBytes& AesOperation::Run() {
    if (!result_)
        result_ = encrypt_ ? RunEncrypt() : RunDecrypt();
    return *result_;
}

SecureBytes AesOperation::RunEncrypt() {
    keys::AesInput in{.value = input_, .aad = params_.aad};
    if (params_.mode == AesMode::kCbcPad)
        in.iv = params_.iv;
    auto out = ValueOrThrow(key_->Encrypt(params_.mode, in), RemoteOp::kEncrypt);
    SecureBytes result(out.value.begin(), out.value.end());
    if (params_.mode == AesMode::kGcm) {
        if (out.iv.size() != kGcmGeneratedIvBytes) {
            throw P11Error(CKR_DEVICE_ERROR,
                           "vault " + key_->vault() + " key " + key_->name() +
                               " encrypt: the HSM returned a " + std::to_string(out.iv.size()) +
                               "-byte GCM IV, which does not fit the caller's 12-byte pIv",
                           LogLevel::kError);
        }
        std::memcpy(params_.iv_out, out.iv.data(), out.iv.size());
        result.insert(result.end(), out.tag.begin(), out.tag.end());
    }
    return result;
}

SecureBytes AesOperation::RunDecrypt() {
    std::span<const uint8_t> data(input_);
    keys::AesInput in{.iv = params_.iv, .aad = params_.aad};
    if (params_.mode == AesMode::kGcm) {
        if (data.size() < AesKey::kGcmTagBytes) {
            Fail(CKR_ENCRYPTED_DATA_LEN_RANGE,
                 "AES-GCM input is the ciphertext followed by the 16-byte tag; got " +
                     std::to_string(data.size()) + " bytes");
        }
        in.value = data.first(data.size() - AesKey::kGcmTagBytes);
        in.tag = data.last(AesKey::kGcmTagBytes);
    } else {
        if (data.empty() || data.size() % AesKey::kBlockBytes != 0) {
            Fail(CKR_ENCRYPTED_DATA_LEN_RANGE,
                 "AES-CBC-PAD ciphertext is a non-empty multiple of 16 bytes; got " +
                     std::to_string(data.size()));
        }
        in.value = data;
    }
    return ValueOrThrow(key_->Decrypt(params_.mode, in), RemoteOp::kDecrypt);
}

}  // namespace azkv::p11
