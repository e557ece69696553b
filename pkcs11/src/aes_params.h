#pragma once
// Parameters of the AES mechanisms, checked exactly as PKCS#11 3.0 defines them and as
// Managed HSM can serve them. Every violation is CKR_MECHANISM_PARAM_INVALID.

#include <vector>

#include "azkv/keys/aes_key.h"
#include "cryptoki.h"

namespace azkv::p11 {

// Managed HSM generates a 96-bit GCM IV (some older HSMs 128 bits, ending in 4 zero bytes).
constexpr size_t kGcmGeneratedIvBytes = 12;

struct AesParams {
    keys::AesMode mode = keys::AesMode::kGcm;
    std::vector<uint8_t> iv;   // CBC: the caller's IV; GCM decrypt: the IV encryption returned
    std::vector<uint8_t> aad;  // GCM
    // GCM encrypt: the caller's CK_GCM_PARAMS.pIv, which receives the HSM's IV when the
    // remote call completes (C_Encrypt / C_EncryptFinal).
    CK_BYTE_PTR iv_out = nullptr;
};

// CKM_AES_GCM: CK_GCM_PARAMS with ulTagBits 128; encrypt: pIv -> a 12-byte buffer
// (ulIvLen 12, ulIvBits 0 or 96) whose content is ignored; decrypt: the 12- or 16-byte IV.
// CKM_AES_CBC_PAD: the 16-byte IV as the parameter. CKM_AES_KEY_WRAP: no parameter, or the
// RFC 3394 default IV A6A6A6A6A6A6A6A6 (the only one Managed HSM uses).
AesParams AesParamsFor(const CK_MECHANISM& mechanism, bool encrypt);

}  // namespace azkv::p11
