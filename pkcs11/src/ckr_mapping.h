#pragma once
// The one place where core failures (azkv::Status) become CK_RV values. The table is
// documented in docs/pkcs11.md; keep the two in step.

#include "azkv/util/status.h"
#include "cryptoki.h"
#include "p11_error.h"

namespace azkv::p11 {

// What the module was doing, which decides how a caller-input error is reported.
// kEncrypt: a remote encrypt or wrap (Managed HSM AES keys).
enum class RemoteOp { kDiscover, kSign, kDecrypt, kUnwrap, kCreate, kDelete, kEncrypt };

CK_RV RvForStatus(const Status& status, RemoteOp op);

// Throws the P11Error for a failed Status (logged at the entry point with its cause).
[[noreturn]] void ThrowStatus(const Status& status, RemoteOp op);

template <typename T>
T ValueOrThrow(StatusOr<T> s, RemoteOp op) {
    if (!s.ok())
        ThrowStatus(s.status(), op);
    return std::move(s).value();
}

// "CKR_DEVICE_ERROR" for logs.
const char* RvName(CK_RV rv);

}  // namespace azkv::p11
