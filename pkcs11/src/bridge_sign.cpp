#include "bridge.h"
#include "bridge_output.h"

namespace azkv::p11::bridge {
namespace {

SignatureInput MakeInput(SessionCall& call, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key, bool sign) {
    const MechanismSpec& spec = MechanismFor(call.token(), m, sign ? CKF_SIGN : CKF_VERIFY);
    ObjectPtr o = KeyFor(call.token(), key, sign ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY,
                         sign ? CKA_SIGN : CKA_VERIFY, spec);
    return SignatureInput(spec, *m, o->key, call.token().caps().managed_hsm);
}

// Writes a signature once the buffer is known to be large enough; the remote call happens
// only then, so length queries and CKR_BUFFER_TOO_SMALL cost nothing.
template <typename Produce>
CK_RV SignInto(SessionCall& call, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len, Produce&& produce) {
    return FinishWithOutput(
        call.session->sign, sig, sig_len, [](SignOperation& op) { return op.SignatureLength(); },
        produce);
}

// SignInit and VerifyInit: one operation of each kind per session.
template <typename Operation>
CK_RV StartOperation(std::unique_ptr<Operation> Session::*slot, CK_SESSION_HANDLE h,
                     CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key, bool sign) {
    auto call = EnterSession(h);
    std::unique_ptr<Operation>& active = (*call.session).*slot;
    if (active)
        Fail(CKR_OPERATION_ACTIVE);
    active = std::make_unique<Operation>(MakeInput(call, m, key, sign));
    return CKR_OK;
}

}  // namespace

CK_RV SignInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key) {
    return StartOperation(&Session::sign, h, m, key, true);
}

CK_RV Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
           CK_ULONG_PTR sig_len) {
    auto call = EnterSession(h);
    return SignInto(call, sig, sig_len,
                    [&](SignOperation& op) { return op.Sign(InputBytes(data, len)); });
}

CK_RV SignUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len) {
    auto call = EnterSession(h);
    RunOperation(call.session->sign, [&](SignOperation& op) { op.Update(InputBytes(data, len)); });
    return CKR_OK;
}

CK_RV SignFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len) {
    auto call = EnterSession(h);
    return SignInto(call, sig, sig_len, [&](SignOperation& op) { return op.SignFinal(); });
}

CK_RV VerifyInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key) {
    return StartOperation(&Session::verify, h, m, key, false);
}

CK_RV Verify(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
             CK_ULONG sig_len) {
    auto call = EnterSession(h);
    CK_RV rv = RunOperation(call.session->verify, [&](VerifyOperation& op) {
        return op.Verify(InputBytes(data, len), InputBytes(sig, sig_len));
    });
    call.session->verify.reset();
    return rv;
}

CK_RV VerifyUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len) {
    auto call = EnterSession(h);
    RunOperation(call.session->verify,
                 [&](VerifyOperation& op) { op.Update(InputBytes(data, len)); });
    return CKR_OK;
}

CK_RV VerifyFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG sig_len) {
    auto call = EnterSession(h);
    CK_RV rv = RunOperation(call.session->verify, [&](VerifyOperation& op) {
        return op.VerifyFinal(InputBytes(sig, sig_len));
    });
    call.session->verify.reset();
    return rv;
}

}  // namespace azkv::p11::bridge
