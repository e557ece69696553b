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

// The module's azkv.json (mode 0600, in its own temp dir, removed at destruction) for these
// vaults of `emu`, with its managed identity endpoint and CA. `identity` adds fields to the
// identity section (e.g. a client_id).
class ModuleConfig {
public:
    ModuleConfig(azkv::testing::EmulatorProcess& emu, const nlohmann::json& vaults,
                 const nlohmann::json& identity = nlohmann::json::object());
    ~ModuleConfig();
    ModuleConfig(const ModuleConfig&) = delete;
    ModuleConfig& operator=(const ModuleConfig&) = delete;
    // CKF_OS_LOCKING_OK, config path in pReserved.
    CK_C_INITIALIZE_ARGS InitArgs();

private:
    std::string dir_, path_;
};

// How many times the emulator performed `op` (e.g. "sign", "unwrapKey") since its last reset.
long OperationCount(azkv::testing::EmulatorProcess& emu, const std::string& op);
// All remote key operations and reads the emulator served since its last reset.
long TotalOperations(azkv::testing::EmulatorProcess& emu);

// An emulator with the Key Vault "demo" and an azkv config (in a temp dir) that points at it.
// identity names one of the emulator's identities (e.g. "uai"); empty = the system identity.
class VaultEnv {
public:
    explicit VaultEnv(std::vector<std::string> emulator_args = {},
                      const std::string& identity = "");
    VaultEnv(const VaultEnv&) = delete;
    VaultEnv& operator=(const VaultEnv&) = delete;

    azkv::testing::EmulatorProcess& emu() { return emu_; }
    CK_C_INITIALIZE_ARGS InitArgs() { return config_.InitArgs(); }
    // Creates the key as the system identity; returns its public JWK.
    nlohmann::json CreateKey(const std::string& name, const nlohmann::json& params);
    long OperationCount(const std::string& op) { return p11_test::OperationCount(emu_, op); }
    long TlsConnections();

private:
    azkv::testing::EmulatorProcess emu_;
    ModuleConfig config_;
};

CK_SLOT_ID FirstSlot(CK_FUNCTION_LIST* f);
CK_SESSION_HANDLE OpenSession(CK_FUNCTION_LIST* f);
CK_SESSION_HANDLE OpenRwSession(CK_FUNCTION_LIST* f);
// The one key of this class with this CKA_LABEL; CK_INVALID_HANDLE (and a test failure) otherwise.
CK_OBJECT_HANDLE FindKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                         const std::string& label);
inline CK_OBJECT_HANDLE FindPrivateKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                       const std::string& label) {
    return FindKey(f, s, CKO_PRIVATE_KEY, label);
}
inline CK_OBJECT_HANDLE FindSecretKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                      const std::string& label) {
    return FindKey(f, s, CKO_SECRET_KEY, label);
}
CK_ULONG UlongAttribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                        CK_ATTRIBUTE_TYPE type);
bool BoolAttribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                   CK_ATTRIBUTE_TYPE type);
// A session secret key (CKK_AES or CKK_GENERIC_SECRET) holding `value`, extractable and not
// sensitive, so that it can be wrapped and its CKA_VALUE read back.
CK_OBJECT_HANDLE CreateSessionSecretKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_KEY_TYPE type,
                                        const Bytes& value);
inline CK_OBJECT_HANDLE CreateSessionAesKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s,
                                            const Bytes& value) {
    return CreateSessionSecretKey(f, s, CKK_AES, value);
}
// CKA_VALUE, or empty when the module refuses to reveal it.
Bytes ReadValue(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o);

// Single-part C_SignInit + C_Sign with a length query first.
CK_RV Sign(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mech,
           const Bytes& data, Bytes* signature);
// Verifies with OpenSSL: CKM_SHA256_RSA_PKCS or CKM_ECDSA_SHA256 (raw r||s).
bool VerifiesWithOpenssl(const PKey& key, CK_MECHANISM_TYPE mech, const Bytes& data,
                         const Bytes& signature);

}  // namespace p11_test
