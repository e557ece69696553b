#pragma once
// A session: its token, its flags and its active operations (at most one of each kind).
// A session's calls are serialised by its own lock, which may be held across that session's
// remote call; other sessions run in parallel.

#include <memory>
#include <vector>

#include "aes_operation.h"
#include "decrypt_operation.h"
#include "digest_operation.h"
#include "locking.h"
#include "p11_error.h"
#include "sign_operation.h"
#include "token.h"

namespace azkv::p11 {

struct FindOperation {
    std::vector<CK_OBJECT_HANDLE> handles;
    size_t next = 0;
};

struct Session {
    Session(CK_SESSION_HANDLE h, Token* t, CK_FLAGS f, const AppLocking& locking)
        : handle(h), token(t), flags(f), mu(locking) {}

    bool read_write() const { return (flags & CKF_RW_SESSION) != 0; }

    const CK_SESSION_HANDLE handle;
    Token* const token;
    const CK_FLAGS flags;
    ModuleMutex mu;

    std::unique_ptr<FindOperation> find;
    std::unique_ptr<SignOperation> sign;
    std::unique_ptr<VerifyOperation> verify;
    std::unique_ptr<EncryptOperation> encrypt;
    std::unique_ptr<DecryptOperation> decrypt;
    std::unique_ptr<DigestOperation> digest;
    // Managed HSM AES encrypt/decrypt; at most one of encrypt/aes_encrypt (and of
    // decrypt/aes_decrypt) is active.
    std::unique_ptr<AesOperation> aes_encrypt;
    std::unique_ptr<AesOperation> aes_decrypt;
};

// Runs `body` on an active operation; the operation ends when body throws (the spec's "an
// error terminates the operation") or when `finished` says the call completed it.
template <typename Op, typename Body>
auto RunOperation(std::unique_ptr<Op>& slot, Body&& body) {
    if (!slot)
        throw P11Error(CKR_OPERATION_NOT_INITIALIZED, "");
    try {
        return body(*slot);
    } catch (...) {
        slot.reset();
        throw;
    }
}

}  // namespace azkv::p11
