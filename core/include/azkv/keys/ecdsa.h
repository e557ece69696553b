#pragma once
// ECDSA signature encodings and the digest rule.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "azkv/util/status.h"

namespace azkv::keys {

// Key Vault returns raw r||s, each half left-padded to the field size; OpenSSL and TLS want DER.
// Halves longer than any curve's field (P-521: 66 bytes) are refused.
inline constexpr size_t kMaxEcdsaHalfBytes = 66;
StatusOr<std::vector<uint8_t>> EcdsaRawToDer(std::span<const uint8_t> raw);
StatusOr<std::vector<uint8_t>> EcdsaDerToRaw(std::span<const uint8_t> der, size_t field_bytes);

// Makes any digest fit the fixed input of ES256/ES384/ES512 (`slot_bytes` = 32, 48, 64), as
// ECDSA itself treats it: a longer digest keeps its leftmost bits, a shorter one keeps its
// value (left-padded with zeros). `order_bits` is the curve order's bit length (256, 384, 521).
StatusOr<std::vector<uint8_t>> FitEcdsaDigest(std::span<const uint8_t> digest, size_t slot_bytes,
                                              size_t order_bits);

}  // namespace azkv::keys
