#include "aes_params.h"

#include <string>

#include "p11_error.h"

namespace azkv::p11 {
namespace {

[[noreturn]] void BadParams(const std::string& why) {
    Fail(CKR_MECHANISM_PARAM_INVALID, why);
}

std::vector<uint8_t> Bytes(const void* p, CK_ULONG len) {
    const auto* b = static_cast<const uint8_t*>(p);
    return std::vector<uint8_t>(b, b + len);
}

AesParams GcmParams(const CK_MECHANISM& m, bool encrypt) {
    if (m.pParameter == nullptr || m.ulParameterLen != sizeof(CK_GCM_PARAMS))
        BadParams("CKM_AES_GCM needs CK_GCM_PARAMS");
    const auto* p = static_cast<const CK_GCM_PARAMS*>(m.pParameter);
    if (p->ulTagBits != 128) {
        BadParams("Managed HSM's AES-GCM tag is 128 bits; ulTagBits is " +
                  std::to_string(p->ulTagBits));
    }
    if (p->pAAD == nullptr && p->ulAADLen != 0)
        BadParams("CK_GCM_PARAMS.pAAD is NULL but ulAADLen is not 0");
    if (p->pIv == nullptr)
        BadParams("CK_GCM_PARAMS.pIv is NULL");
    AesParams out;
    out.mode = keys::AesMode::kGcm;
    if (p->ulAADLen != 0)
        out.aad = Bytes(p->pAAD, p->ulAADLen);
    if (encrypt) {
        // The HSM generates the IV; the caller provides the buffer it is returned in.
        if (p->ulIvLen != kGcmGeneratedIvBytes || (p->ulIvBits != 0 && p->ulIvBits != 96)) {
            BadParams(
                "the HSM generates a 12-byte GCM IV: pIv must point to a 12-byte buffer "
                "(ulIvLen 12, ulIvBits 0 or 96), got ulIvLen " +
                std::to_string(p->ulIvLen));
        }
        out.iv_out = p->pIv;
        return out;
    }
    if (p->ulIvLen != 12 && p->ulIvLen != 16) {
        BadParams("the GCM IV must be the 12 (or 16) bytes the HSM returned at encryption, got " +
                  std::to_string(p->ulIvLen));
    }
    if (p->ulIvBits != 0 && p->ulIvBits != p->ulIvLen * 8)
        BadParams("CK_GCM_PARAMS.ulIvBits does not match ulIvLen");
    out.iv = Bytes(p->pIv, p->ulIvLen);
    return out;
}

}  // namespace

AesParams AesParamsFor(const CK_MECHANISM& m, bool encrypt) {
    switch (m.mechanism) {
        case CKM_AES_GCM:
            return GcmParams(m, encrypt);
        case CKM_AES_CBC_PAD: {
            if (m.pParameter == nullptr || m.ulParameterLen != keys::AesKey::kBlockBytes)
                BadParams("CKM_AES_CBC_PAD needs the 16-byte IV as its parameter");
            AesParams out;
            out.mode = keys::AesMode::kCbcPad;
            out.iv = Bytes(m.pParameter, m.ulParameterLen);
            return out;
        }
        case CKM_AES_KEY_WRAP: {
            static const uint8_t kDefaultIv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6};
            if (m.ulParameterLen != 0 &&
                (m.pParameter == nullptr || m.ulParameterLen != sizeof(kDefaultIv) ||
                 Bytes(m.pParameter, m.ulParameterLen) != Bytes(kDefaultIv, sizeof(kDefaultIv)))) {
                BadParams("Managed HSM's AES key wrap uses the RFC 3394 default IV only");
            }
            AesParams out;
            out.mode = keys::AesMode::kKeyWrap;
            return out;
        }
        default:
            Fail(CKR_MECHANISM_INVALID, "not an AES mechanism");
    }
}

}  // namespace azkv::p11
