#pragma once
// SubjectPublicKeyInfo DER for RSA and EC public keys, built from their raw parts.
//
// Why not EVP_PKEY_fromdata: a process that loads libp11's engine (nginx `ssl_engine pkcs11`,
// `openssl -engine pkcs11`) makes that engine the default for RSA and EC, and fromdata then
// fails with "operation not supported for this keytype". Decoding DER works in every process.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace azkv::keyvault::detail {

// n and e: unsigned big-endian without leading zeros.
std::vector<uint8_t> RsaSpki(std::span<const uint8_t> n, std::span<const uint8_t> e);
// curve: a JWK curve name (P-256, P-384, P-521, P-256K); point: 0x04 || x || y.
// Returns an empty vector for an unknown curve.
std::vector<uint8_t> EcSpki(const std::string& curve, std::span<const uint8_t> point);

}  // namespace azkv::keyvault::detail
