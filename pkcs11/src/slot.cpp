#include "slot.h"

#include <cstring>

namespace azkv::p11 {

void PadField(unsigned char* field, size_t width, std::string_view text) {
    std::memset(field, ' ', width);
    size_t n = std::min(width, text.size());
    // Never cut a multi-byte UTF-8 sequence in half.
    while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
        --n;
    std::memcpy(field, text.data(), n);
}

void FillSlotInfo(const Token& token, CK_SLOT_INFO* info) {
    std::memset(info, 0, sizeof(*info));
    PadField(info->slotDescription, sizeof(info->slotDescription), token.vault().url);
    PadField(info->manufacturerID, sizeof(info->manufacturerID), "azkv");
    info->flags = CKF_TOKEN_PRESENT;
    info->hardwareVersion = {0, 0};
    info->firmwareVersion = {0, 0};
}

void FillTokenInfo(const Token& token, SessionCounts counts, CK_TOKEN_INFO* info) {
    std::memset(info, 0, sizeof(*info));
    PadField(info->label, sizeof(info->label), token.label());
    PadField(info->manufacturerID, sizeof(info->manufacturerID), "azkv");
    PadField(info->model, sizeof(info->model),
             token.caps().managed_hsm ? "Managed HSM" : "Key Vault");
    PadField(info->serialNumber, sizeof(info->serialNumber), token.serial());
    // No CKF_LOGIN_REQUIRED: the identity is the managed identity, not a PIN.
    info->flags = CKF_RNG | CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED | CKF_SO_PIN_LOCKED;
    info->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulSessionCount = counts.all;
    info->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulRwSessionCount = counts.read_write;
    info->ulMaxPinLen = 256;
    info->ulMinPinLen = 0;
    info->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->hardwareVersion = {1, 0};
    info->firmwareVersion = {1, 0};
    PadField(info->utcTime, sizeof(info->utcTime), "");
}

}  // namespace azkv::p11
