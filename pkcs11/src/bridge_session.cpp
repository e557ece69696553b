#include <cstring>

#include "bridge.h"
#include "bridge_util.h"

namespace azkv::p11::bridge {
namespace {

// Session objects die with their session.
void EndSession(Session& s) {
    s.token->RemoveSessionObjects(s.handle);
}

}  // namespace

CK_RV OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR, CK_NOTIFY,
                  CK_SESSION_HANDLE_PTR out) {
    auto m = CurrentModule();
    Token& token = m->TokenForSlot(slot);
    if (out == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    if ((flags & CKF_SERIAL_SESSION) == 0)
        Fail(CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    *out = m->sessions.Open(&token, flags);
    return CKR_OK;
}

CK_RV CloseSession(CK_SESSION_HANDLE h) {
    auto m = CurrentModule();
    auto s = m->sessions.Close(h);
    EndSession(*s);
    if (m->sessions.Count(s->token->slot_id()).all == 0)
        s->token->set_user_logged_in(false);  // login ends with the last session
    return CKR_OK;
}

CK_RV CloseAllSessions(CK_SLOT_ID slot) {
    auto m = CurrentModule();
    Token& token = m->TokenForSlot(slot);
    for (const auto& s : m->sessions.CloseAll(slot))
        EndSession(*s);
    token.set_user_logged_in(false);
    return CKR_OK;
}

CK_RV GetSessionInfo(CK_SESSION_HANDLE h, CK_SESSION_INFO_PTR info) {
    auto call = EnterSession(h);
    if (info == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    std::memset(info, 0, sizeof(*info));
    info->slotID = call.token().slot_id();
    info->flags = call.session->flags;
    bool user = call.token().user_logged_in();
    if (call.session->read_write())
        info->state = user ? CKS_RW_USER_FUNCTIONS : CKS_RW_PUBLIC_SESSION;
    else
        info->state = user ? CKS_RO_USER_FUNCTIONS : CKS_RO_PUBLIC_SESSION;
    return CKR_OK;
}

CK_RV Login(CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR, CK_ULONG) {
    auto call = EnterSession(h);
    if (user == CKU_SO)
        Fail(CKR_PIN_LOCKED, "there is no security officer on a vault token");
    if (user == CKU_CONTEXT_SPECIFIC)
        Fail(CKR_OPERATION_NOT_INITIALIZED);  // no key needs CKA_ALWAYS_AUTHENTICATE
    if (user != CKU_USER)
        Fail(CKR_USER_TYPE_INVALID);
    // Any PIN: the vault identity comes from the managed identity, not from a PIN.
    if (call.token().user_logged_in())
        return CKR_USER_ALREADY_LOGGED_IN;
    call.token().set_user_logged_in(true);
    return CKR_OK;
}

CK_RV Logout(CK_SESSION_HANDLE h) {
    auto call = EnterSession(h);
    if (!call.token().user_logged_in())
        return CKR_USER_NOT_LOGGED_IN;
    call.token().set_user_logged_in(false);
    return CKR_OK;
}

CK_RV SessionCancel(CK_SESSION_HANDLE h, CK_FLAGS flags) {
    auto call = EnterSession(h);
    Session& s = *call.session;
    if (flags & CKF_FIND_OBJECTS)
        s.find.reset();
    if (flags & CKF_SIGN)
        s.sign.reset();
    if (flags & CKF_VERIFY)
        s.verify.reset();
    if (flags & CKF_ENCRYPT) {
        s.encrypt.reset();
        s.aes_encrypt.reset();
    }
    if (flags & CKF_DECRYPT) {
        s.decrypt.reset();
        s.aes_decrypt.reset();
    }
    if (flags & CKF_DIGEST)
        s.digest.reset();
    return CKR_OK;
}

}  // namespace azkv::p11::bridge
