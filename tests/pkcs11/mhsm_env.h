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
    ~MhsmEnv();
    MhsmEnv(const MhsmEnv&) = delete;
    MhsmEnv& operator=(const MhsmEnv&) = delete;

    azkv::testing::EmulatorProcess& emu() { return emu_; }
    CK_C_INITIALIZE_ARGS InitArgs();
    // Imports `key` (raw AES bytes) as an oct-HSM JWK with these key_ops.
    void ImportAesKey(const std::string& name, const Bytes& key, const nlohmann::json& key_ops);
    // Creates an oct-HSM key of `bits` in the HSM.
    void CreateAesKey(const std::string& name, int bits);
    // The key's JSON as the HSM returns it (GET, latest version).
    nlohmann::json GetKey(const std::string& name);
    long OperationCount(const std::string& op);

private:
    azkv::testing::EmulatorProcess emu_;
    std::string dir_, config_path_;
};

// Helpers over the loaded module.
CK_SESSION_HANDLE OpenRwSession(CK_FUNCTION_LIST* f);
// The one CKO_SECRET_KEY with this label, else CK_INVALID_HANDLE (and a test failure).
CK_OBJECT_HANDLE FindSecretKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const std::string& label);
CK_ULONG UlongAttribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                        CK_ATTRIBUTE_TYPE type);
bool BoolAttribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                   CK_ATTRIBUTE_TYPE type);
// A session AES key holding `value`, extractable and not sensitive (so it can be wrapped and
// its CKA_VALUE read back).
CK_OBJECT_HANDLE CreateSessionAesKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const Bytes& value);
// Template for C_UnwrapKey of an AES key whose value can be read back.
Bytes ReadValue(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o);

// Independent AES with OpenSSL (EVP).
Bytes OpensslGcm(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& in,
                 Bytes* tag);  // decrypt: *tag in, empty result on failure
Bytes OpensslCbcPad(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& in);
Bytes OpensslKeyWrap(bool wrap, const Bytes& kek, const Bytes& in);

}  // namespace p11_test
