// The cryptography behind the keys API. Inputs are validated the way the service does it
// (digest length per alg, curve/alg pairing, RSA input limits) and rejected with 400 BadParameter.
#pragma once

#include <optional>
#include <string>

#include "key_material.h"

namespace azkv::emu {

KeyMaterial generate_rsa(int bits, unsigned long public_exponent);
KeyMaterial generate_ec(const CurveInfo& curve);
KeyMaterial generate_oct(int bits);

// allow_rsnull: RSNULL works on vaults, Managed HSM refuses it (protocol §1.8).
Bytes sign(const KeyMaterial& m, const std::string& alg, const Bytes& digest, bool allow_rsnull);
bool verify(const KeyMaterial& m, const std::string& alg, const Bytes& digest, const Bytes& sig,
            bool allow_rsnull);

struct CipherInput {
    std::string alg;
    Bytes value;
    std::optional<Bytes> iv, aad, tag;
};
struct CipherOutput {
    Bytes value;
    std::optional<Bytes> iv, tag, aad;
};
// wrap = wrapkey/unwrapkey: the AES key-wrap algorithms are only allowed there.
CipherOutput encrypt(const KeyMaterial& m, const CipherInput& in, bool wrap);
CipherOutput decrypt(const KeyMaterial& m, const CipherInput& in, bool wrap);

Bytes random_bytes(size_t n);

}  // namespace azkv::emu
