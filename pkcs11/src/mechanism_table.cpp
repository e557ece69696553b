#include "mechanism_table.h"

namespace azkv::p11 {
namespace {

using keys::DigestAlg;

constexpr CK_FLAGS kSignFlags = CKF_HW | CKF_SIGN | CKF_VERIFY;
constexpr CK_FLAGS kCipherFlags = CKF_HW | CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP;
constexpr CK_FLAGS kEcFlags = CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS;

// Key Vault's sizes: RSA 2048/3072/4096; EC P-256, P-256K, P-384, P-521.
constexpr CK_ULONG kRsaMinBits = 2048, kRsaMaxBits = 4096;
constexpr CK_ULONG kEcMinBits = 256, kEcMaxBits = 521;
// AES sizes are in bytes (PKCS#11's unit for secret keys): oct-HSM 128/192/256 bits.
constexpr CK_ULONG kAesMinBytes = 16, kAesMaxBytes = 32;
constexpr CK_FLAGS kAesCipherFlags = CKF_HW | CKF_ENCRYPT | CKF_DECRYPT;

const MechanismSpec kTable[] = {
    {CKM_RSA_PKCS_KEY_PAIR_GEN, KeyFamily::kRsa, MechanismUse::kKeyPairGen,
     CKF_HW | CKF_GENERATE_KEY_PAIR},
    {CKM_RSA_PKCS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags | kCipherFlags},
    {CKM_SHA1_RSA_PKCS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha1, false,
     true, true},
    {CKM_SHA224_RSA_PKCS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha224,
     false, true, true},
    {CKM_SHA256_RSA_PKCS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha256,
     false, false, true},
    {CKM_SHA384_RSA_PKCS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha384,
     false, false, true},
    {CKM_SHA512_RSA_PKCS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha512,
     false, false, true},
    {CKM_RSA_PKCS_PSS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, std::nullopt, true},
    {CKM_SHA256_RSA_PKCS_PSS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha256,
     true, false, true},
    {CKM_SHA384_RSA_PKCS_PSS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha384,
     true, false, true},
    {CKM_SHA512_RSA_PKCS_PSS, KeyFamily::kRsa, MechanismUse::kSign, kSignFlags, DigestAlg::kSha512,
     true, false, true},
    {CKM_RSA_PKCS_OAEP, KeyFamily::kRsa, MechanismUse::kCipher, kCipherFlags},
    {CKM_EC_KEY_PAIR_GEN, KeyFamily::kEc, MechanismUse::kKeyPairGen,
     CKF_HW | CKF_GENERATE_KEY_PAIR | kEcFlags},
    {CKM_ECDSA, KeyFamily::kEc, MechanismUse::kSign, kSignFlags | kEcFlags},
    {CKM_ECDSA_SHA256, KeyFamily::kEc, MechanismUse::kSign, kSignFlags | kEcFlags,
     DigestAlg::kSha256, false, false, true},
    {CKM_ECDSA_SHA384, KeyFamily::kEc, MechanismUse::kSign, kSignFlags | kEcFlags,
     DigestAlg::kSha384, false, false, true},
    {CKM_ECDSA_SHA512, KeyFamily::kEc, MechanismUse::kSign, kSignFlags | kEcFlags,
     DigestAlg::kSha512, false, false, true},
    // Managed HSM oct-HSM keys (A*GCM, A*CBCPAD, A*KW); every operation is remote.
    {CKM_AES_KEY_GEN, KeyFamily::kAes, MechanismUse::kKeyGen, CKF_HW | CKF_GENERATE, std::nullopt,
     false, false, false, true},
    {CKM_AES_GCM, KeyFamily::kAes, MechanismUse::kCipher, kAesCipherFlags, std::nullopt, false,
     false, true, true},
    {CKM_AES_CBC_PAD, KeyFamily::kAes, MechanismUse::kCipher, kAesCipherFlags, std::nullopt, false,
     false, true, true},
    {CKM_AES_KEY_WRAP, KeyFamily::kAes, MechanismUse::kCipher, CKF_HW | CKF_WRAP | CKF_UNWRAP,
     std::nullopt, false, false, false, true},
    {CKM_SHA256, KeyFamily::kNone, MechanismUse::kDigest, CKF_DIGEST, DigestAlg::kSha256, false,
     false, true},
    {CKM_SHA384, KeyFamily::kNone, MechanismUse::kDigest, CKF_DIGEST, DigestAlg::kSha384, false,
     false, true},
    {CKM_SHA512, KeyFamily::kNone, MechanismUse::kDigest, CKF_DIGEST, DigestAlg::kSha512, false,
     false, true},
};

bool Offered(const TokenCapabilities& caps, const MechanismSpec& m) {
    if (m.vault_only && caps.managed_hsm)
        return false;
    if ((m.use == MechanismUse::kKeyPairGen || m.use == MechanismUse::kKeyGen) &&
        !caps.allow_create)
        return false;
    if (m.mhsm_only && !caps.managed_hsm)
        return false;
    return true;
}

}  // namespace

const MechanismSpec* FindMechanism(CK_MECHANISM_TYPE type) {
    for (const auto& m : kTable) {
        if (m.type == type)
            return &m;
    }
    return nullptr;
}

const MechanismSpec* TokenMechanism(const TokenCapabilities& caps, CK_MECHANISM_TYPE type) {
    const MechanismSpec* m = FindMechanism(type);
    return m != nullptr && Offered(caps, *m) ? m : nullptr;
}

std::vector<CK_MECHANISM_TYPE> TokenMechanisms(const TokenCapabilities& caps) {
    std::vector<CK_MECHANISM_TYPE> out;
    for (const auto& m : kTable) {
        if (Offered(caps, m))
            out.push_back(m.type);
    }
    return out;
}

CK_MECHANISM_INFO MechanismInfo(const MechanismSpec& spec) {
    CK_MECHANISM_INFO info{};
    info.flags = spec.flags;
    if (spec.family == KeyFamily::kRsa) {
        info.ulMinKeySize = kRsaMinBits;
        info.ulMaxKeySize = kRsaMaxBits;
    } else if (spec.family == KeyFamily::kEc) {
        info.ulMinKeySize = kEcMinBits;
        info.ulMaxKeySize = kEcMaxBits;
    } else if (spec.family == KeyFamily::kAes) {
        info.ulMinKeySize = kAesMinBytes;
        info.ulMaxKeySize = kAesMaxBytes;
    }
    return info;
}

std::vector<CK_MECHANISM_TYPE> KeyMechanisms(const TokenCapabilities& caps, KeyFamily family) {
    std::vector<CK_MECHANISM_TYPE> out;
    for (const auto& m : kTable) {
        if (m.family == family && m.use != MechanismUse::kKeyPairGen &&
            m.use != MechanismUse::kKeyGen && Offered(caps, m))
            out.push_back(m.type);
    }
    return out;
}

}  // namespace azkv::p11
