#pragma once
// The Cryptoki headers azkv builds against: p11-kit's pkcs11.h (2.40), plus the 3.0 additions
// that older p11-kit releases lack, plus azkv's vendor-defined values.

#include <p11-kit/pkcs11.h>

#include "cryptoki_3_0.h"

// Entry points are the only symbols the module exports (see exports.map).
#define AZKV_P11_EXPORT __attribute__((visibility("default")))

namespace azkv::p11 {

// Vendor attribute: the full versioned kid URL of a key object ("https://v/keys/name/ver").
// 0x80000000 | 'A' 'Z' 0x0001; documented in docs/pkcs11.md.
constexpr CK_ATTRIBUTE_TYPE kCkaAzkvKid = CKA_VENDOR_DEFINED | 0x415A0001UL;

}  // namespace azkv::p11
