// The C ABI: every Cryptoki entry point. Each one runs the C++ implementation (bridge.h)
// through Guard, so no exception crosses into the application and each failure is logged
// once with its cause.

#include "bridge.h"
#include "bridge_aes.h"
#include "guard.h"

using namespace azkv::p11;  // NOLINT: entry points only

#define AZKV_GUARD(name, body) return Guard(#name, [&]() -> CK_RV { return body; })

extern "C" {

// Functions the module does not offer: the result the spec prescribes, no logging.
#define AZKV_UNSUPPORTED(name, rv, ...)       \
    AZKV_P11_EXPORT CK_RV name(__VA_ARGS__) { \
        return rv;                            \
    }

AZKV_P11_EXPORT CK_RV C_Initialize(CK_VOID_PTR a) {
    AZKV_GUARD(C_Initialize, bridge::Initialize(a));
}
AZKV_P11_EXPORT CK_RV C_Finalize(CK_VOID_PTR r) {
    AZKV_GUARD(C_Finalize, bridge::Finalize(r));
}
AZKV_P11_EXPORT CK_RV C_GetInfo(CK_INFO_PTR i) {
    AZKV_GUARD(C_GetInfo, bridge::GetInfo(i));
}
AZKV_P11_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR f) {
    AZKV_GUARD(C_GetFunctionList, bridge::GetFunctionList(f));
}
AZKV_P11_EXPORT CK_RV C_GetInterfaceList(CK_INTERFACE_PTR l, CK_ULONG_PTR c) {
    AZKV_GUARD(C_GetInterfaceList, bridge::GetInterfaceList(l, c));
}
AZKV_P11_EXPORT CK_RV C_GetInterface(CK_UTF8CHAR_PTR n, CK_VERSION_PTR v, CK_INTERFACE_PTR_PTR i,
                                     CK_FLAGS f) {
    AZKV_GUARD(C_GetInterface, bridge::GetInterface(n, v, i, f));
}
AZKV_P11_EXPORT CK_RV C_GetSlotList(CK_BBOOL p, CK_SLOT_ID_PTR l, CK_ULONG_PTR c) {
    AZKV_GUARD(C_GetSlotList, bridge::GetSlotList(p, l, c));
}
AZKV_P11_EXPORT CK_RV C_GetSlotInfo(CK_SLOT_ID s, CK_SLOT_INFO_PTR i) {
    AZKV_GUARD(C_GetSlotInfo, bridge::GetSlotInfo(s, i));
}
AZKV_P11_EXPORT CK_RV C_GetTokenInfo(CK_SLOT_ID s, CK_TOKEN_INFO_PTR i) {
    AZKV_GUARD(C_GetTokenInfo, bridge::GetTokenInfo(s, i));
}
AZKV_P11_EXPORT CK_RV C_GetMechanismList(CK_SLOT_ID s, CK_MECHANISM_TYPE_PTR l, CK_ULONG_PTR c) {
    AZKV_GUARD(C_GetMechanismList, bridge::GetMechanismList(s, l, c));
}
AZKV_P11_EXPORT CK_RV C_GetMechanismInfo(CK_SLOT_ID s, CK_MECHANISM_TYPE t,
                                         CK_MECHANISM_INFO_PTR i) {
    AZKV_GUARD(C_GetMechanismInfo, bridge::GetMechanismInfo(s, t, i));
}
AZKV_UNSUPPORTED(C_InitToken, CKR_FUNCTION_NOT_SUPPORTED, CK_SLOT_ID, CK_UTF8CHAR_PTR, CK_ULONG,
                 CK_UTF8CHAR_PTR)
AZKV_UNSUPPORTED(C_InitPIN, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_UTF8CHAR_PTR,
                 CK_ULONG)
AZKV_UNSUPPORTED(C_SetPIN, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_UTF8CHAR_PTR, CK_ULONG,
                 CK_UTF8CHAR_PTR, CK_ULONG)
AZKV_P11_EXPORT CK_RV C_OpenSession(CK_SLOT_ID s, CK_FLAGS f, CK_VOID_PTR a, CK_NOTIFY n,
                                    CK_SESSION_HANDLE_PTR h) {
    AZKV_GUARD(C_OpenSession, bridge::OpenSession(s, f, a, n, h));
}
AZKV_P11_EXPORT CK_RV C_CloseSession(CK_SESSION_HANDLE h) {
    AZKV_GUARD(C_CloseSession, bridge::CloseSession(h));
}
AZKV_P11_EXPORT CK_RV C_CloseAllSessions(CK_SLOT_ID s) {
    AZKV_GUARD(C_CloseAllSessions, bridge::CloseAllSessions(s));
}
AZKV_P11_EXPORT CK_RV C_GetSessionInfo(CK_SESSION_HANDLE h, CK_SESSION_INFO_PTR i) {
    AZKV_GUARD(C_GetSessionInfo, bridge::GetSessionInfo(h, i));
}
AZKV_UNSUPPORTED(C_GetOperationState, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_SetOperationState, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_OBJECT_HANDLE, CK_OBJECT_HANDLE)
AZKV_P11_EXPORT CK_RV C_Login(CK_SESSION_HANDLE h, CK_USER_TYPE u, CK_UTF8CHAR_PTR p, CK_ULONG l) {
    AZKV_GUARD(C_Login, bridge::Login(h, u, p, l));
}
AZKV_P11_EXPORT CK_RV C_LoginUser(CK_SESSION_HANDLE h, CK_USER_TYPE u, CK_UTF8CHAR_PTR p,
                                  CK_ULONG l, CK_UTF8CHAR_PTR, CK_ULONG) {
    AZKV_GUARD(C_LoginUser, bridge::Login(h, u, p, l));
}
AZKV_P11_EXPORT CK_RV C_Logout(CK_SESSION_HANDLE h) {
    AZKV_GUARD(C_Logout, bridge::Logout(h));
}
AZKV_P11_EXPORT CK_RV C_SessionCancel(CK_SESSION_HANDLE h, CK_FLAGS f) {
    AZKV_GUARD(C_SessionCancel, bridge::SessionCancel(h, f));
}
AZKV_P11_EXPORT CK_RV C_CreateObject(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG c,
                                     CK_OBJECT_HANDLE_PTR o) {
    AZKV_GUARD(C_CreateObject, bridge::CreateObject(h, t, c, o));
}
AZKV_UNSUPPORTED(C_CopyObject, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_OBJECT_HANDLE,
                 CK_ATTRIBUTE_PTR, CK_ULONG, CK_OBJECT_HANDLE_PTR)
AZKV_P11_EXPORT CK_RV C_DestroyObject(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o) {
    AZKV_GUARD(C_DestroyObject, bridge::DestroyObject(h, o));
}
AZKV_UNSUPPORTED(C_GetObjectSize, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_OBJECT_HANDLE,
                 CK_ULONG_PTR)
AZKV_P11_EXPORT CK_RV C_GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o,
                                          CK_ATTRIBUTE_PTR t, CK_ULONG c) {
    AZKV_GUARD(C_GetAttributeValue, bridge::GetAttributeValue(h, o, t, c));
}
AZKV_P11_EXPORT CK_RV C_SetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o,
                                          CK_ATTRIBUTE_PTR t, CK_ULONG c) {
    AZKV_GUARD(C_SetAttributeValue, bridge::SetAttributeValue(h, o, t, c));
}
AZKV_P11_EXPORT CK_RV C_FindObjectsInit(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG c) {
    AZKV_GUARD(C_FindObjectsInit, bridge::FindObjectsInit(h, t, c));
}
AZKV_P11_EXPORT CK_RV C_FindObjects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR o, CK_ULONG m,
                                    CK_ULONG_PTR c) {
    AZKV_GUARD(C_FindObjects, bridge::FindObjects(h, o, m, c));
}
AZKV_P11_EXPORT CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE h) {
    AZKV_GUARD(C_FindObjectsFinal, bridge::FindObjectsFinal(h));
}
AZKV_P11_EXPORT CK_RV C_EncryptInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
    AZKV_GUARD(C_EncryptInit, bridge::CipherInit(bridge::Direction::kEncrypt, h, m, k));
}
AZKV_P11_EXPORT CK_RV C_Encrypt(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR o,
                                CK_ULONG_PTR ol) {
    AZKV_GUARD(C_Encrypt, bridge::CipherSinglePart(bridge::Direction::kEncrypt, h, d, l, o, ol));
}
AZKV_P11_EXPORT CK_RV C_EncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR o,
                                      CK_ULONG_PTR ol) {
    AZKV_GUARD(C_EncryptUpdate, bridge::CipherUpdate(bridge::Direction::kEncrypt, h, d, l, o, ol));
}
AZKV_P11_EXPORT CK_RV C_EncryptFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR o, CK_ULONG_PTR ol) {
    AZKV_GUARD(C_EncryptFinal, bridge::CipherFinal(bridge::Direction::kEncrypt, h, o, ol));
}
AZKV_P11_EXPORT CK_RV C_DecryptInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
    AZKV_GUARD(C_DecryptInit, bridge::CipherInit(bridge::Direction::kDecrypt, h, m, k));
}
AZKV_P11_EXPORT CK_RV C_Decrypt(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR o,
                                CK_ULONG_PTR ol) {
    AZKV_GUARD(C_Decrypt, bridge::CipherSinglePart(bridge::Direction::kDecrypt, h, d, l, o, ol));
}
AZKV_P11_EXPORT CK_RV C_DecryptUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR o,
                                      CK_ULONG_PTR ol) {
    AZKV_GUARD(C_DecryptUpdate, bridge::CipherUpdate(bridge::Direction::kDecrypt, h, d, l, o, ol));
}
AZKV_P11_EXPORT CK_RV C_DecryptFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR o, CK_ULONG_PTR ol) {
    AZKV_GUARD(C_DecryptFinal, bridge::CipherFinal(bridge::Direction::kDecrypt, h, o, ol));
}
AZKV_P11_EXPORT CK_RV C_DigestInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m) {
    AZKV_GUARD(C_DigestInit, bridge::DigestInit(h, m));
}
AZKV_P11_EXPORT CK_RV C_Digest(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR o,
                               CK_ULONG_PTR ol) {
    AZKV_GUARD(C_Digest, bridge::Digest(h, d, l, o, ol));
}
AZKV_P11_EXPORT CK_RV C_DigestUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l) {
    AZKV_GUARD(C_DigestUpdate, bridge::DigestUpdate(h, d, l));
}
AZKV_UNSUPPORTED(C_DigestKey, CKR_KEY_INDIGESTIBLE, CK_SESSION_HANDLE, CK_OBJECT_HANDLE)
AZKV_P11_EXPORT CK_RV C_DigestFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR o, CK_ULONG_PTR ol) {
    AZKV_GUARD(C_DigestFinal, bridge::DigestFinal(h, o, ol));
}
AZKV_P11_EXPORT CK_RV C_SignInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
    AZKV_GUARD(C_SignInit, bridge::SignInit(h, m, k));
}
AZKV_P11_EXPORT CK_RV C_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR s,
                             CK_ULONG_PTR sl) {
    AZKV_GUARD(C_Sign, bridge::Sign(h, d, l, s, sl));
}
AZKV_P11_EXPORT CK_RV C_SignUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l) {
    AZKV_GUARD(C_SignUpdate, bridge::SignUpdate(h, d, l));
}
AZKV_P11_EXPORT CK_RV C_SignFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR s, CK_ULONG_PTR sl) {
    AZKV_GUARD(C_SignFinal, bridge::SignFinal(h, s, sl));
}
AZKV_UNSUPPORTED(C_SignRecoverInit, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_MECHANISM_PTR,
                 CK_OBJECT_HANDLE)
AZKV_UNSUPPORTED(C_SignRecover, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_P11_EXPORT CK_RV C_VerifyInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
    AZKV_GUARD(C_VerifyInit, bridge::VerifyInit(h, m, k));
}
AZKV_P11_EXPORT CK_RV C_Verify(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l, CK_BYTE_PTR s,
                               CK_ULONG sl) {
    AZKV_GUARD(C_Verify, bridge::Verify(h, d, l, s, sl));
}
AZKV_P11_EXPORT CK_RV C_VerifyUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR d, CK_ULONG l) {
    AZKV_GUARD(C_VerifyUpdate, bridge::VerifyUpdate(h, d, l));
}
AZKV_P11_EXPORT CK_RV C_VerifyFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR s, CK_ULONG sl) {
    AZKV_GUARD(C_VerifyFinal, bridge::VerifyFinal(h, s, sl));
}
AZKV_UNSUPPORTED(C_VerifyRecoverInit, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE,
                 CK_MECHANISM_PTR, CK_OBJECT_HANDLE)
AZKV_UNSUPPORTED(C_VerifyRecover, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_DigestEncryptUpdate, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_DecryptDigestUpdate, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_SignEncryptUpdate, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_DecryptVerifyUpdate, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_BYTE_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_P11_EXPORT CK_RV C_GenerateKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR t,
                                    CK_ULONG c, CK_OBJECT_HANDLE_PTR k) {
    AZKV_GUARD(C_GenerateKey, bridge::GenerateKey(h, m, t, c, k));
}
AZKV_P11_EXPORT CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m,
                                        CK_ATTRIBUTE_PTR pt, CK_ULONG pc, CK_ATTRIBUTE_PTR st,
                                        CK_ULONG sc, CK_OBJECT_HANDLE_PTR pk,
                                        CK_OBJECT_HANDLE_PTR sk) {
    AZKV_GUARD(C_GenerateKeyPair, bridge::GenerateKeyPair(h, m, pt, pc, st, sc, pk, sk));
}
AZKV_P11_EXPORT CK_RV C_WrapKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE w,
                                CK_OBJECT_HANDLE k, CK_BYTE_PTR o, CK_ULONG_PTR ol) {
    AZKV_GUARD(C_WrapKey, bridge::KeyWrap(h, m, w, k, o, ol));
}
AZKV_P11_EXPORT CK_RV C_UnwrapKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE u,
                                  CK_BYTE_PTR w, CK_ULONG wl, CK_ATTRIBUTE_PTR t, CK_ULONG c,
                                  CK_OBJECT_HANDLE_PTR o) {
    AZKV_GUARD(C_UnwrapKey, bridge::KeyUnwrap(h, m, u, w, wl, t, c, o));
}
AZKV_UNSUPPORTED(C_DeriveKey, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_MECHANISM_PTR,
                 CK_OBJECT_HANDLE, CK_ATTRIBUTE_PTR, CK_ULONG, CK_OBJECT_HANDLE_PTR)
AZKV_P11_EXPORT CK_RV C_SeedRandom(CK_SESSION_HANDLE h, CK_BYTE_PTR s, CK_ULONG l) {
    AZKV_GUARD(C_SeedRandom, bridge::SeedRandom(h, s, l));
}
AZKV_P11_EXPORT CK_RV C_GenerateRandom(CK_SESSION_HANDLE h, CK_BYTE_PTR o, CK_ULONG l) {
    AZKV_GUARD(C_GenerateRandom, bridge::Random(h, o, l));
}
AZKV_UNSUPPORTED(C_GetFunctionStatus, CKR_FUNCTION_NOT_PARALLEL, CK_SESSION_HANDLE)
AZKV_UNSUPPORTED(C_CancelFunction, CKR_FUNCTION_NOT_PARALLEL, CK_SESSION_HANDLE)
AZKV_UNSUPPORTED(C_WaitForSlotEvent, CKR_FUNCTION_NOT_SUPPORTED, CK_FLAGS, CK_SLOT_ID_PTR,
                 CK_VOID_PTR)
// PKCS#11 3.0 message-based functions: not offered.
AZKV_UNSUPPORTED(C_MessageEncryptInit, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE,
                 CK_MECHANISM_PTR, CK_OBJECT_HANDLE)
AZKV_UNSUPPORTED(C_EncryptMessage, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_EncryptMessageBegin, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG)
AZKV_UNSUPPORTED(C_EncryptMessageNext, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR, CK_FLAGS)
AZKV_UNSUPPORTED(C_MessageEncryptFinal, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE)
AZKV_UNSUPPORTED(C_MessageDecryptInit, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE,
                 CK_MECHANISM_PTR, CK_OBJECT_HANDLE)
AZKV_UNSUPPORTED(C_DecryptMessage, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_DecryptMessageBegin, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG)
AZKV_UNSUPPORTED(C_DecryptMessageNext, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR, CK_FLAGS)
AZKV_UNSUPPORTED(C_MessageDecryptFinal, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE)
AZKV_UNSUPPORTED(C_MessageSignInit, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_MECHANISM_PTR,
                 CK_OBJECT_HANDLE)
AZKV_UNSUPPORTED(C_SignMessage, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_SignMessageBegin, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG)
AZKV_UNSUPPORTED(C_SignMessageNext, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR)
AZKV_UNSUPPORTED(C_MessageSignFinal, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE)
AZKV_UNSUPPORTED(C_MessageVerifyInit, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE,
                 CK_MECHANISM_PTR, CK_OBJECT_HANDLE)
AZKV_UNSUPPORTED(C_VerifyMessage, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG)
AZKV_UNSUPPORTED(C_VerifyMessageBegin, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG)
AZKV_UNSUPPORTED(C_VerifyMessageNext, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE, CK_VOID_PTR,
                 CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG)
AZKV_UNSUPPORTED(C_MessageVerifyFinal, CKR_FUNCTION_NOT_SUPPORTED, CK_SESSION_HANDLE)

}  // extern "C"
