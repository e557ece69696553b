#include "module_harness.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace p11_test {

LoadedModule::LoadedModule() {
    handle_ = dlopen(AZKV_PKCS11_MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr)
        throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle_, "C_GetFunctionList"));
    if (get == nullptr || get(&fns_) != CKR_OK || fns_ == nullptr)
        throw std::runtime_error("C_GetFunctionList failed");
}

LoadedModule::~LoadedModule() {
    if (handle_ != nullptr)
        dlclose(handle_);
}

namespace {

azkv::testing::EmulatorOptions DemoVault(std::vector<std::string> emulator_args) {
    azkv::testing::EmulatorOptions options;
    options.vaults = {"demo:vault"};
    options.extra_args = std::move(emulator_args);
    return options;
}

}  // namespace

ModuleConfig::ModuleConfig(azkv::testing::EmulatorProcess& emu, const nlohmann::json& vaults,
                           const nlohmann::json& identity) {
    char tmpl[] = "/tmp/azkv-p11-test.XXXXXX";
    if (mkdtemp(tmpl) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    path_ = dir_ + "/azkv.json";
    nlohmann::json id_config = {{"type", "imds"}, {"endpoint", emu.Info().imds_endpoint}};
    id_config.update(identity);
    nlohmann::json config = {
        {"vaults", vaults}, {"identity", id_config}, {"http", {{"ca_file", emu.Info().ca_file}}}};
    std::ofstream(path_) << config.dump(2);
    chmod(path_.c_str(), 0600);
}

ModuleConfig::~ModuleConfig() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

CK_C_INITIALIZE_ARGS ModuleConfig::InitArgs() {
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    args.pReserved = path_.data();
    return args;
}

long OperationCount(azkv::testing::EmulatorProcess& emu, const std::string& op) {
    return emu.Stats()["operations"].value(op, 0L);
}

long TotalOperations(azkv::testing::EmulatorProcess& emu) {
    long total = 0;
    for (const auto& [op, count] : emu.Stats()["operations"].items())
        total += count.get<long>();
    return total;
}

namespace {

nlohmann::json IdentityNamed(azkv::testing::EmulatorProcess& emu, const std::string& identity) {
    if (identity.empty())
        return nlohmann::json::object();  // the system identity
    for (const auto& known : emu.Info().identities)
        if (known.name == identity)
            return {{"client_id", known.client_id}};
    throw std::runtime_error("the emulator has no identity " + identity);
}

}  // namespace

VaultEnv::VaultEnv(std::vector<std::string> emulator_args, const std::string& identity)
    : emu_(DemoVault(std::move(emulator_args))),
      config_(emu_, {{{"url", emu_.Vault("demo").url}, {"label", "demo"}}},
              IdentityNamed(emu_, identity)) {}

nlohmann::json VaultEnv::CreateKey(const std::string& name, const nlohmann::json& params) {
    const auto& vault = emu_.Vault("demo");
    auto r = emu_.Request("POST", vault.url + "/keys/" + name + "/create?api-version=7.5",
                          params.dump(), emu_.GetToken(vault.resource));
    if (r.status != 200)
        throw std::runtime_error("create key " + name + ": " + r.body);
    return r.Json().at("key");
}

long VaultEnv::TlsConnections() {
    return emu_.Stats()["vaults"]["demo"].value("tls_connections", 0L);
}

CK_SLOT_ID FirstSlot(CK_FUNCTION_LIST* f) {
    CK_ULONG count = 1;
    CK_SLOT_ID slot = 0;
    EXPECT_EQ(f->C_GetSlotList(CK_TRUE, &slot, &count), CKR_OK);
    return slot;
}

CK_SESSION_HANDLE OpenSession(CK_FUNCTION_LIST* f) {
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_OpenSession(FirstSlot(f), CKF_SERIAL_SESSION, nullptr, nullptr, &s), CKR_OK);
    return s;
}

CK_SESSION_HANDLE OpenRwSession(CK_FUNCTION_LIST* f) {
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    EXPECT_EQ(
        f->C_OpenSession(FirstSlot(f), CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s),
        CKR_OK);
    return s;
}

CK_OBJECT_HANDLE FindKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
                         const std::string& label) {
    std::string l = label;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                           {CKA_LABEL, l.data(), static_cast<CK_ULONG>(l.size())}};
    CK_OBJECT_HANDLE found[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjectsInit(s, tmpl, 2), CKR_OK);
    EXPECT_EQ(f->C_FindObjects(s, found, 2, &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
    EXPECT_EQ(n, 1u) << "objects of class " << cls << " labelled " << label;
    return n == 1 ? found[0] : CK_INVALID_HANDLE;
}

CK_ULONG UlongAttribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                        CK_ATTRIBUTE_TYPE type) {
    CK_ULONG v = 0;
    CK_ATTRIBUTE a = {type, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(s, o, &a, 1), CKR_OK);
    return v;
}

bool BoolAttribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                   CK_ATTRIBUTE_TYPE type) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a = {type, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(s, o, &a, 1), CKR_OK);
    return v == CK_TRUE;
}

CK_OBJECT_HANDLE CreateSessionSecretKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_KEY_TYPE type,
                                        const Bytes& value) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    Bytes v = value;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                           {CKA_KEY_TYPE, &type, sizeof type},
                           {CKA_TOKEN, &no, sizeof no},
                           {CKA_SENSITIVE, &no, sizeof no},
                           {CKA_EXTRACTABLE, &yes, sizeof yes},
                           {CKA_VALUE, v.data(), static_cast<CK_ULONG>(v.size())}};
    CK_OBJECT_HANDLE o = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(s, tmpl, 6, &o), CKR_OK);
    return o;
}

Bytes ReadValue(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o) {
    CK_ATTRIBUTE a = {CKA_VALUE, nullptr, 0};
    if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK)
        return {};
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK)
        return {};
    return v;
}

CK_RV Sign(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mech,
           const Bytes& data, Bytes* signature) {
    CK_MECHANISM m = {mech, nullptr, 0};
    CK_RV rv = f->C_SignInit(s, &m, key);
    if (rv != CKR_OK)
        return rv;
    Bytes in = data;
    CK_ULONG len = 0;
    rv = f->C_Sign(s, in.data(), in.size(), nullptr, &len);
    if (rv != CKR_OK)
        return rv;
    signature->resize(len);
    rv = f->C_Sign(s, in.data(), in.size(), signature->data(), &len);
    signature->resize(rv == CKR_OK ? len : 0);
    return rv;
}

namespace {

// PKCS#11's raw r||s as the DER ECDSA-Sig-Value OpenSSL verifies.
Bytes EcdsaDer(const Bytes& raw) {
    size_t half = raw.size() / 2;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(raw.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr));
    unsigned char* der = nullptr;
    int n = i2d_ECDSA_SIG(sig, &der);
    Bytes out(der, der + (n > 0 ? n : 0));
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return out;
}

}  // namespace

bool VerifiesWithOpenssl(const PKey& key, CK_MECHANISM_TYPE mech, const Bytes& data,
                         const Bytes& signature) {
    if (signature.empty())
        return false;
    Bytes sig = mech == CKM_ECDSA_SHA256 ? EcdsaDer(signature) : signature;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
              EVP_DigestVerify(ctx, sig.data(), sig.size(), data.data(), data.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

}  // namespace p11_test
