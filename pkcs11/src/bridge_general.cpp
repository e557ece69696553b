#include <openssl/rand.h>

#include <cstring>

#include "bridge.h"
#include "bridge_util.h"
#include "slot.h"

#ifndef AZKV_VERSION_MAJOR
#define AZKV_VERSION_MAJOR 0
#define AZKV_VERSION_MINOR 0
#endif

namespace azkv::p11::bridge {

CK_RV Initialize(CK_VOID_PTR init_args) {
    return InitializeModule(init_args);
}

CK_RV Finalize(CK_VOID_PTR reserved) {
    return FinalizeModule(reserved);
}

CK_RV GetInfo(CK_INFO_PTR info) {
    CurrentModule();
    if (info == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    std::memset(info, 0, sizeof(*info));
    info->cryptokiVersion = {3, 0};
    PadField(info->manufacturerID, sizeof(info->manufacturerID), "azkv");
    PadField(info->libraryDescription, sizeof(info->libraryDescription),
             "Azure Key Vault and Managed HSM");
    info->libraryVersion = {AZKV_VERSION_MAJOR, AZKV_VERSION_MINOR};
    return CKR_OK;
}

CK_RV GetSlotList(CK_BBOOL, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
    auto m = CurrentModule();
    if (count == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    CK_ULONG n = m->tokens.size();
    if (list == nullptr) {
        *count = n;
        return CKR_OK;
    }
    if (*count < n) {
        *count = n;
        return CKR_BUFFER_TOO_SMALL;
    }
    for (CK_ULONG i = 0; i < n; ++i)
        list[i] = m->tokens[i]->slot_id();
    *count = n;
    return CKR_OK;
}

CK_RV GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
    auto m = CurrentModule();
    if (info == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    FillSlotInfo(m->TokenForSlot(slot), info);
    return CKR_OK;
}

CK_RV GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
    auto m = CurrentModule();
    if (info == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    Token& token = m->TokenForSlot(slot);
    FillTokenInfo(token, m->sessions.Count(slot), info);
    return CKR_OK;
}

CK_RV GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count) {
    auto m = CurrentModule();
    if (count == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    auto types = TokenMechanisms(m->TokenForSlot(slot).caps());
    if (list == nullptr) {
        *count = types.size();
        return CKR_OK;
    }
    if (*count < types.size()) {
        *count = types.size();
        return CKR_BUFFER_TOO_SMALL;
    }
    std::copy(types.begin(), types.end(), list);
    *count = types.size();
    return CKR_OK;
}

CK_RV GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info) {
    auto m = CurrentModule();
    if (info == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    const MechanismSpec* spec = TokenMechanism(m->TokenForSlot(slot).caps(), type);
    if (spec == nullptr)
        Fail(CKR_MECHANISM_INVALID);
    *info = MechanismInfo(*spec);
    return CKR_OK;
}

CK_RV GenerateRandom(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG len) {
    EnterSession(h);
    if (out == nullptr && len != 0)
        Fail(CKR_ARGUMENTS_BAD);
    // Local CSPRNG (OpenSSL's DRBG, seeded by the OS).
    if (len != 0 && RAND_bytes(out, static_cast<int>(len)) != 1)
        throw P11Error(CKR_FUNCTION_FAILED, "RAND_bytes failed", LogLevel::kError);
    return CKR_OK;
}

CK_RV SeedRandom(CK_SESSION_HANDLE h, CK_BYTE_PTR, CK_ULONG) {
    EnterSession(h);
    return CKR_RANDOM_SEED_NOT_SUPPORTED;
}

}  // namespace azkv::p11::bridge
