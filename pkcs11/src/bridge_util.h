#pragma once
// Helpers the bridge functions share: entering a session, choosing mechanisms and keys,
// and the output-buffer convention of PKCS#11 (length query, CKR_BUFFER_TOO_SMALL).

#include <mutex>
#include <optional>
#include <span>

#include "mechanism_table.h"
#include "module_state.h"
#include "p11_error.h"

namespace azkv::p11 {

struct SessionCall {
    std::shared_ptr<Module> module;
    std::shared_ptr<Session> session;
    std::unique_lock<ModuleMutex> lock;

    Token& token() { return *session->token; }
};

// Validates the handle and serialises this session's calls.
SessionCall EnterSession(CK_SESSION_HANDLE handle);

// The mechanism if the session's token offers it with `flag` (CKF_SIGN, CKF_DECRYPT, ...).
const MechanismSpec& MechanismFor(const Token& token, CK_MECHANISM_PTR mechanism, CK_FLAGS flag);

// A key object of `object_class` whose `permission` attribute is true and whose family fits
// the mechanism. `invalid_handle_rv` is CKR_KEY_HANDLE_INVALID or a wrap/unwrap variant.
ObjectPtr KeyFor(Token& token, CK_OBJECT_HANDLE handle, CK_OBJECT_CLASS object_class,
                 CK_ATTRIBUTE_TYPE permission, const MechanismSpec& spec,
                 CK_RV invalid_handle_rv = CKR_KEY_HANDLE_INVALID);

enum class Output { kQuery, kTooSmall, kReady };
// PKCS#11's output convention: a NULL buffer asks for the length; a short one gets
// CKR_BUFFER_TOO_SMALL with the needed length. Neither may do the operation.
Output PrepareOutput(CK_BYTE_PTR out, CK_ULONG_PTR out_len, size_t needed);
// The CK_RV to return now when the call only asks for the length or the buffer is short.
std::optional<CK_RV> OutputNotReady(CK_BYTE_PTR out, CK_ULONG_PTR out_len, size_t needed);
void WriteOutput(CK_BYTE_PTR out, CK_ULONG_PTR out_len, std::span<const uint8_t> bytes);

std::span<const uint8_t> InputBytes(CK_BYTE_PTR data, CK_ULONG len);

}  // namespace azkv::p11
