#pragma once
// Active RSA decrypt and encrypt operations. Decryption is remote; its plaintext length is not
// known in advance, so a length query answers the modulus length without a remote call, and a
// plaintext that does not fit the caller's buffer is kept in the operation: the follow-up call
// with the same ciphertext gets it without a second remote call. Encryption is local.

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "azkv/keys/remote_key.h"
#include "azkv/util/secret.h"

namespace azkv::p11 {

class DecryptOperation {
public:
    DecryptOperation(std::shared_ptr<const keys::RemoteKey> key, keys::RsaEncryption scheme,
                     bool unwrap);

    // Enough for any plaintext (the modulus length).
    size_t MaxPlaintextLength() const;
    // One remote call per distinct ciphertext.
    const SecureBytes& Decrypt(std::span<const uint8_t> ciphertext);

private:
    std::shared_ptr<const keys::RemoteKey> key_;
    keys::RsaEncryption scheme_;
    bool unwrap_;
    std::vector<uint8_t> cached_ciphertext_;
    std::optional<SecureBytes> cached_plaintext_;
};

class EncryptOperation {
public:
    EncryptOperation(std::shared_ptr<const keys::RemoteKey> key, keys::RsaEncryption scheme)
        : key_(std::move(key)), scheme_(scheme) {}

    size_t CiphertextLength() const;
    std::vector<uint8_t> Encrypt(std::span<const uint8_t> plaintext) const;

private:
    std::shared_ptr<const keys::RemoteKey> key_;
    keys::RsaEncryption scheme_;
};

}  // namespace azkv::p11
