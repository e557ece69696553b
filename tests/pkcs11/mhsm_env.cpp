#include "mhsm_env.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

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

MhsmEnv::MhsmEnv()
    : emu_(HsmOnly()),
      config_(emu_, {{{"url", emu_.Vault("hsm").url},
                      {"label", "hsm"},
                      {"type", "managedhsm"},
                      {"allow_create", true}}}) {}

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
