#include "decrypt_operation.h"

#include <algorithm>

#include "ckr_mapping.h"

namespace azkv::p11 {

DecryptOperation::DecryptOperation(std::shared_ptr<const keys::RemoteKey> key,
                                   keys::RsaEncryption scheme, bool unwrap)
    : key_(std::move(key)), scheme_(scheme), unwrap_(unwrap) {}

size_t DecryptOperation::MaxPlaintextLength() const {
    return static_cast<size_t>((key_->bits() + 7) / 8);
}

const SecureBytes& DecryptOperation::Decrypt(std::span<const uint8_t> ciphertext) {
    if (cached_plaintext_ && std::equal(ciphertext.begin(), ciphertext.end(),
                                        cached_ciphertext_.begin(), cached_ciphertext_.end())) {
        return *cached_plaintext_;
    }
    RemoteOp op = unwrap_ ? RemoteOp::kUnwrap : RemoteOp::kDecrypt;
    keys::DecryptPlan plan = ValueOrThrow(key_->PlanDecrypt(scheme_, ciphertext, unwrap_), op);
    cached_plaintext_ = ValueOrThrow(key_->Decrypt(plan), op);
    cached_ciphertext_.assign(ciphertext.begin(), ciphertext.end());
    return *cached_plaintext_;
}

size_t EncryptOperation::CiphertextLength() const {
    return static_cast<size_t>((key_->bits() + 7) / 8);
}

std::vector<uint8_t> EncryptOperation::Encrypt(std::span<const uint8_t> plaintext) const {
    auto out = key_->EncryptLocal(scheme_, plaintext);
    if (!out.ok())
        Fail(CKR_DATA_LEN_RANGE, out.status().message());
    return std::move(out).value();
}

}  // namespace azkv::p11
