#include "mhsm_env.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace p11_test {
namespace {

azkv::testing::EmulatorOptions HsmOnly() {
    azkv::testing::EmulatorOptions options;
    options.vaults = {"hsm:mhsm"};
    return options;
}

const EVP_CIPHER* Cipher(const char* mode, size_t key_len) {
    std::string name = "AES-" + std::to_string(key_len * 8) + "-" + mode;
    return EVP_get_cipherbyname(name.c_str());
}

}  // namespace

MhsmEnv::MhsmEnv() : emu_(HsmOnly()) {
    char tmpl[] = "/tmp/azkv-p11-mhsm.XXXXXX";
    if (mkdtemp(tmpl) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    config_path_ = dir_ + "/azkv.json";
    nlohmann::json config = {
        {"vaults",
         {{{"url", emu_.Vault("hsm").url},
           {"label", "hsm"},
           {"type", "managedhsm"},
           {"allow_create", true}}}},
        {"identity", {{"type", "imds"}, {"endpoint", emu_.Info().imds_endpoint}}},
        {"http", {{"ca_file", emu_.Info().ca_file}}}};
    std::ofstream(config_path_) << config.dump(2);
    chmod(config_path_.c_str(), 0600);
}

MhsmEnv::~MhsmEnv() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

CK_C_INITIALIZE_ARGS MhsmEnv::InitArgs() {
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    args.pReserved = config_path_.data();
    return args;
}

void MhsmEnv::ImportAesKey(const std::string& name, const Bytes& key,
                           const nlohmann::json& key_ops) {
    const auto& hsm = emu_.Vault("hsm");
    nlohmann::json body = {
        {"key", {{"kty", "oct-HSM"}, {"k", emu_test::b64url(key)}, {"key_ops", key_ops}}},
        {"Hsm", true}};
    auto r = emu_.Request("PUT", hsm.url + "/keys/" + name + "?api-version=7.5", body.dump(),
                          emu_.GetToken(hsm.resource));
    if (r.status != 200)
        throw std::runtime_error("import key " + name + ": " + r.body);
}

void MhsmEnv::CreateAesKey(const std::string& name, int bits) {
    const auto& hsm = emu_.Vault("hsm");
    nlohmann::json body = {{"kty", "oct-HSM"}, {"key_size", bits}};
    auto r = emu_.Request("POST", hsm.url + "/keys/" + name + "/create?api-version=7.5",
                          body.dump(), emu_.GetToken(hsm.resource));
    if (r.status != 200)
        throw std::runtime_error("create key " + name + ": " + r.body);
}

nlohmann::json MhsmEnv::GetKey(const std::string& name) {
    const auto& hsm = emu_.Vault("hsm");
    auto r = emu_.Request("GET", hsm.url + "/keys/" + name + "?api-version=7.5", "",
                          emu_.GetToken(hsm.resource));
    return r.status == 200 ? r.Json() : nlohmann::json();
}

long MhsmEnv::OperationCount(const std::string& op) {
    return emu_.Stats()["operations"].value(op, 0L);
}

CK_SESSION_HANDLE OpenRwSession(CK_FUNCTION_LIST* f) {
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    EXPECT_EQ(
        f->C_OpenSession(FirstSlot(f), CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s),
        CKR_OK);
    return s;
}

CK_OBJECT_HANDLE FindSecretKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const std::string& label) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    std::string l = label;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                           {CKA_LABEL, l.data(), static_cast<CK_ULONG>(l.size())}};
    CK_OBJECT_HANDLE found[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjectsInit(s, tmpl, 2), CKR_OK);
    EXPECT_EQ(f->C_FindObjects(s, found, 2, &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
    EXPECT_EQ(n, 1u) << "secret keys labelled " << label;
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

CK_OBJECT_HANDLE CreateSessionAesKey(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, const Bytes& value) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
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

Bytes OpensslGcm(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& in,
                 Bytes* tag) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    Bytes out(in.size() + 16);
    int len = 0, fin = 0;
    bool ok = EVP_CipherInit_ex(ctx, Cipher("GCM", key.size()), nullptr, nullptr, nullptr,
                                encrypt) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()),
                                  nullptr) == 1 &&
              EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), iv.data(), encrypt) == 1;
    if (ok && !aad.empty())
        ok = EVP_CipherUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
    if (ok && !encrypt)
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag->data()) == 1;
    ok = ok && EVP_CipherUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1;
    ok = ok && EVP_CipherFinal_ex(ctx, out.data() + len, &fin) == 1;
    if (ok && encrypt) {
        tag->resize(16);
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag->data()) == 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return {};
    out.resize(static_cast<size_t>(len + fin));
    return out;
}

Bytes OpensslCbcPad(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& in) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    Bytes out(in.size() + 32);
    int len = 0, fin = 0;
    bool ok =
        EVP_CipherInit_ex(ctx, Cipher("CBC", key.size()), nullptr, key.data(), iv.data(),
                          encrypt) == 1 &&
        EVP_CipherUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1 &&
        EVP_CipherFinal_ex(ctx, out.data() + len, &fin) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return {};
    out.resize(static_cast<size_t>(len + fin));
    return out;
}

Bytes OpensslKeyWrap(bool wrap, const Bytes& kek, const Bytes& in) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    Bytes out(in.size() + 16);
    int len = 0, fin = 0;
    bool ok =
        EVP_CipherInit_ex(ctx, Cipher("WRAP", kek.size()), nullptr, kek.data(), nullptr, wrap) ==
            1 &&
        EVP_CipherUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) == 1 &&
        EVP_CipherFinal_ex(ctx, out.data() + len, &fin) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return {};
    out.resize(static_cast<size_t>(len + fin));
    return out;
}

}  // namespace p11_test
