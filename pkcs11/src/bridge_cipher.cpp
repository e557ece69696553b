#include "bridge.h"
#include "bridge_output.h"
#include "mechanism_params.h"

namespace azkv::p11::bridge {
namespace {

size_t DigestLength(DigestOperation& op) {
    return op.Length();
}

}  // namespace

CK_RV EncryptInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key) {
    auto call = EnterSession(h);
    if (call.session->encrypt)
        Fail(CKR_OPERATION_ACTIVE);
    const MechanismSpec& spec = MechanismFor(call.token(), m, CKF_ENCRYPT);
    ObjectPtr o = KeyFor(call.token(), key, CKO_PUBLIC_KEY, CKA_ENCRYPT, spec);
    call.session->encrypt = std::make_unique<EncryptOperation>(o->key, CipherScheme(*m));
    return CKR_OK;
}

CK_RV Encrypt(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR out,
              CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    return FinishWithOutput(
        call.session->encrypt, out, out_len,
        [](EncryptOperation& op) { return op.CiphertextLength(); },
        [&](EncryptOperation& op) { return op.Encrypt(InputBytes(data, len)); });
}

// RSA mechanisms are single-part: an Update ends the operation.
CK_RV EncryptUpdate(CK_SESSION_HANDLE h) {
    auto call = EnterSession(h);
    return RunOperation(call.session->encrypt, [](EncryptOperation&) -> CK_RV {
        Fail(CKR_FUNCTION_NOT_SUPPORTED, "RSA encryption is single-part; use C_Encrypt");
    });
}

CK_RV DecryptInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key) {
    auto call = EnterSession(h);
    if (call.session->decrypt)
        Fail(CKR_OPERATION_ACTIVE);
    const MechanismSpec& spec = MechanismFor(call.token(), m, CKF_DECRYPT);
    ObjectPtr o = KeyFor(call.token(), key, CKO_PRIVATE_KEY, CKA_DECRYPT, spec);
    call.session->decrypt = std::make_unique<DecryptOperation>(o->key, CipherScheme(*m), false);
    return CKR_OK;
}

CK_RV Decrypt(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR out,
              CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    return RunOperation(call.session->decrypt, [&](DecryptOperation& op) -> CK_RV {
        // A length query answers the largest possible plaintext, without a remote call.
        if (PrepareOutput(out, out_len, 0) == Output::kQuery) {
            *out_len = op.MaxPlaintextLength();
            return CKR_OK;
        }
        // One remote call; a plaintext that does not fit stays in the operation for the
        // caller's retry with a larger buffer.
        const SecureBytes& plain = op.Decrypt(InputBytes(data, len));
        if (PrepareOutput(out, out_len, plain.size()) == Output::kTooSmall)
            return CKR_BUFFER_TOO_SMALL;
        WriteOutput(out, out_len, plain);
        call.session->decrypt.reset();
        return CKR_OK;
    });
}

CK_RV DecryptUpdate(CK_SESSION_HANDLE h) {
    auto call = EnterSession(h);
    return RunOperation(call.session->decrypt, [](DecryptOperation&) -> CK_RV {
        Fail(CKR_FUNCTION_NOT_SUPPORTED, "RSA decryption is single-part; use C_Decrypt");
    });
}

CK_RV DigestInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m) {
    auto call = EnterSession(h);
    if (call.session->digest)
        Fail(CKR_OPERATION_ACTIVE);
    const MechanismSpec& spec = MechanismFor(call.token(), m, CKF_DIGEST);
    RequireNoParams(*m);
    call.session->digest = std::make_unique<DigestOperation>(*spec.hash);
    return CKR_OK;
}

CK_RV Digest(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR out,
             CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    RunOperation(call.session->digest, [](DigestOperation& op) {
        if (op.started())
            Fail(CKR_OPERATION_ACTIVE, "C_Digest cannot finish a multi-part digest");
    });
    return FinishWithOutput(call.session->digest, out, out_len, DigestLength,
                            [&](DigestOperation& op) {
                                op.Update(InputBytes(data, len));
                                return op.Final();
                            });
}

CK_RV DigestUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len) {
    auto call = EnterSession(h);
    RunOperation(call.session->digest,
                 [&](DigestOperation& op) { op.Update(InputBytes(data, len)); });
    return CKR_OK;
}

CK_RV DigestFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    return FinishWithOutput(call.session->digest, out, out_len, DigestLength,
                            [](DigestOperation& op) { return op.Final(); });
}

}  // namespace azkv::p11::bridge
