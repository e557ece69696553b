// Harness for tests that drive libazkv-pkcs11.so exactly as applications do (dlopen +
// C_GetFunctionList, p11-kit's pkcs11.h rather than the module's own headers) against a fresh
// azkv-emulator, and check the results with OpenSSL.
#pragma once

#include <p11-kit/pkcs11.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emu_test_util.h"

namespace p11_test {

using emu_test::Bytes;
using emu_test::PKey;

// The module loaded with dlopen; unloaded at destruction.
class LoadedModule {
public:
    LoadedModule();
    ~LoadedModule();
    LoadedModule(const LoadedModule&) = delete;
    LoadedModule& operator=(const LoadedModule&) = delete;
    CK_FUNCTION_LIST* operator->() const { return fns_; }
    CK_FUNCTION_LIST* fns() const { return fns_; }

private:
    void* handle_ = nullptr;
    CK_FUNCTION_LIST* fns_ = nullptr;
};

// An emulator with the Key Vault "demo" and an azkv config (in a temp dir) that points at it.
// identity names one of the emulator's identities (e.g. "uai"); empty = the system identity.
class VaultEnv {
public:
    explicit VaultEnv(std::vector<std::string> emulator_args = {},
                      const std::string& identity = "");
    ~VaultEnv();
    VaultEnv(const VaultEnv&) = delete;
    VaultEnv& operator=(const VaultEnv&) = delete;

    azkv::testing::EmulatorProcess& emu() { return emu_; }
    // CKF_OS_LOCKING_OK, config path in pReserved.
    CK_C_INITIALIZE_ARGS InitArgs();
    // Creates the key as the system identity; returns its public JWK.
    nlohmann::json CreateKey(const std::string& name, const nlohmann::json& params);
    long OperationCount(const std::string& op);
    long TlsConnections();

private:
    azkv::testing::EmulatorProcess emu_;
    std::string dir_, config_path_;
};

CK_SLOT_ID FirstSlot(CK_FUNCTION_LIST* f);
CK_SESSION_HANDLE OpenSession(CK_FUNCTION_LIST* f);
// The one private key with this CKA_LABEL; CK_INVALID_HANDLE (and a test failure) otherwise.
CK_OBJECT_HANDLE FindPrivateKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const std::string& label);
// Single-part C_SignInit + C_Sign with a length query first.
CK_RV Sign(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mech,
           const Bytes& data, Bytes* signature);
// Verifies with OpenSSL: CKM_SHA256_RSA_PKCS or CKM_ECDSA_SHA256 (raw r||s).
bool VerifiesWithOpenssl(const PKey& key, CK_MECHANISM_TYPE mech, const Bytes& data,
                         const Bytes& signature);

}  // namespace p11_test
