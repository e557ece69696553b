// A fresh azkv-emulator with one Managed HSM ("hsm", allow_create) and the module's config for
// it, for the Managed HSM AES tests. The test makes its own AES keys and imports them as JWKs,
// so every result can be checked against OpenSSL with the same key material.
#pragma once

#include <string>

#include "module_harness.h"

namespace p11_test {

class MhsmEnv {
public:
    MhsmEnv();
    MhsmEnv(const MhsmEnv&) = delete;
    MhsmEnv& operator=(const MhsmEnv&) = delete;

    azkv::testing::EmulatorProcess& emu() { return emu_; }
    CK_C_INITIALIZE_ARGS InitArgs() { return config_.InitArgs(); }
    // Imports `key` (raw AES bytes) as an oct-HSM JWK with these key_ops.
    void ImportAesKey(const std::string& name, const Bytes& key, const nlohmann::json& key_ops);
    // Creates an oct-HSM key of `bits` in the HSM.
    void CreateAesKey(const std::string& name, int bits);
    // The key's JSON as the HSM returns it (GET, latest version).
    nlohmann::json GetKey(const std::string& name);
    long OperationCount(const std::string& op) { return p11_test::OperationCount(emu_, op); }

private:
    azkv::testing::EmulatorProcess emu_;
    ModuleConfig config_;
};

// Independent AES with OpenSSL (EVP).
Bytes OpensslGcm(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& in,
                 Bytes* tag);  // decrypt: *tag in, empty result on failure
Bytes OpensslCbcPad(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& in);
Bytes OpensslKeyWrap(bool wrap, const Bytes& kek, const Bytes& in);

}  // namespace p11_test
