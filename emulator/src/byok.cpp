#include "byok.h"

#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "errors.h"
#include "ids.h"
#include "jwk.h"

namespace azkv::emu {
namespace {

using Ctx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

[[noreturn]] void bad_blob(const std::string& what) {
    bad_parameter("key.key_hsm: " + what);
}

nlohmann::json parse_blob(const nlohmann::json& jwk) {
    if (!jwk["key_hsm"].is_string())
        bad_blob("must be a base64url string holding the .byok transfer blob");
    auto raw = b64_decode(jwk["key_hsm"].get<std::string>());
    if (!raw || raw->empty())
        bad_blob("is not valid base64url");
    auto blob = nlohmann::json::parse(raw->begin(), raw->end(), nullptr, false);
    if (blob.is_discarded() || !blob.is_object())
        bad_blob("does not decode to a BYOK transfer blob (a JSON object)");
    if (blob.value("schema_version", "") != "1.0.0")
        bad_blob("schema_version must be \"1.0.0\"");
    if (!blob.contains("header") || !blob["header"].is_object())
        bad_blob("the header object is missing");
    const auto& h = blob["header"];
    if (h.value("alg", "") != "dir")
        bad_blob("header.alg must be \"dir\"");
    if (h.value("enc", "") != "CKM_RSA_AES_KEY_WRAP")
        bad_blob(
            "header.enc must be \"CKM_RSA_AES_KEY_WRAP\" (the only transfer wrapping "
            "Key Vault imports)");
    if (!h.contains("kid") || !h["kid"].is_string())
        bad_blob("header.kid (the key-exchange key's kid) is missing");
    if (!blob.contains("ciphertext") || !blob["ciphertext"].is_string())
        bad_blob("ciphertext is missing");
    return blob;
}

// The KEK named by header.kid: a key of this vault, RSA-HSM, key_ops exactly ["import"].
KeyVersionPtr find_kek(const VaultContext& vault, const std::string& kid) {
    std::string prefix = vault.origin + "/keys/";
    if (kid.size() <= prefix.size() || !iequals(kid.substr(0, prefix.size()), prefix))
        bad_blob("header.kid " + kid + " is not a key of this vault (" + vault.origin + ")");
    std::string rest = kid.substr(prefix.size());
    auto slash = rest.find('/');
    std::string name = rest.substr(0, slash);
    std::string version = slash == std::string::npos ? "" : rest.substr(slash + 1);
    KeyVersionPtr kek;
    try {
        kek = vault.keys->get(name, version, nullptr);
    } catch (const ApiError&) {
        bad_blob("the key-exchange key " + kid + " was not found in this vault");
    }
    if (kek->kty != "RSA-HSM")
        bad_blob("the key-exchange key " + kid + " must be RSA-HSM, not " + kek->kty);
    if (kek->key_ops.size() != 1 || kek->key_ops[0] != "import")
        bad_blob("the key-exchange key " + kid +
                 " must have key_ops [\"import\"] and nothing else");
    if (!kek->enabled)
        bad_blob("the key-exchange key " + kid + " is disabled");
    int64_t now = unix_now();
    if ((kek->nbf && now < *kek->nbf) || (kek->exp && now >= *kek->exp))
        bad_blob("the key-exchange key " + kid + " is outside its nbf/exp validity");
    return kek;
}

Bytes rsa_oaep_sha1_decrypt(EVP_PKEY* kek, const unsigned char* in, size_t len) {
    Ctx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, kek, nullptr), EVP_PKEY_CTX_free);
    size_t out_len = len;
    Bytes out(len);
    bool ok = ctx && EVP_PKEY_decrypt_init(ctx.get()) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha1()) == 1 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha1()) == 1 &&
              EVP_PKEY_decrypt(ctx.get(), out.data(), &out_len, in, len) == 1;
    if (!ok)
        bad_blob(
            "the RSA-OAEP part of the ciphertext cannot be decrypted with the key-exchange "
            "key (was the blob made for another KEK?)");
    out.resize(out_len);
    return out;
}

Bytes aes_kwp_unwrap(const Bytes& aes_key, const unsigned char* in, size_t len) {
    const EVP_CIPHER* cipher = aes_key.size() == 16   ? EVP_aes_128_wrap_pad()
                               : aes_key.size() == 24 ? EVP_aes_192_wrap_pad()
                               : aes_key.size() == 32 ? EVP_aes_256_wrap_pad()
                                                      : nullptr;
    if (!cipher)
        bad_blob("the transported AES key must be 128, 192 or 256 bits");
    if (len < 16 || len % 8 != 0)
        bad_blob("the AES-KWP part of the ciphertext has an invalid length");
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    Bytes out(len + 16);
    int n1 = 0, n2 = 0;
    bool ok = EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, aes_key.data(), nullptr) == 1 &&
              EVP_DecryptUpdate(ctx.get(), out.data(), &n1, in, static_cast<int>(len)) == 1 &&
              EVP_DecryptFinal_ex(ctx.get(), out.data() + n1, &n2) == 1;
    if (!ok || n1 + n2 <= 0)
        bad_blob("the AES-KWP (RFC 5649) part of the ciphertext fails its integrity check");
    out.resize(static_cast<size_t>(n1 + n2));
    return out;
}

KeyMaterial parse_target(const VaultContext& vault, const nlohmann::json& jwk,
                         const std::string& family, const Bytes& plain) {
    KeyMaterial m;
    if (family == "oct") {
        if (!vault.mhsm())
            bad_parameter(
                "key.kty: symmetric (oct-HSM) BYOK keys are only supported on Managed HSM");
        if (plain.size() != 16 && plain.size() != 24 && plain.size() != 32)
            bad_blob("the transported symmetric key must be 128, 192 or 256 bits");
        m.family = KeyFamily::Oct;
        m.oct = plain;
        finish_material(m);
        return m;
    }
    const unsigned char* p = plain.data();
    PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(plain.size()));
    EVP_PKEY* pkey = p8 ? EVP_PKCS82PKEY(p8) : nullptr;
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (!pkey)
        bad_blob("the transported key is not a PKCS#8 private key");
    m.pkey = wrap_pkey(pkey);
    bool ec = EVP_PKEY_is_a(pkey, "EC");
    if (!ec && !EVP_PKEY_is_a(pkey, "RSA"))
        bad_blob("the transported key is neither RSA nor EC");
    if ((family == "EC") != ec)
        bad_parameter("key.kty: " + jwk.value("kty", std::string()) +
                      " does not match the "
                      "transported " +
                      (ec ? "EC" : "RSA") + " key");
    m.family = ec ? KeyFamily::Ec : KeyFamily::Rsa;
    try {
        finish_material(m);
    } catch (const std::exception&) {
        bad_blob("the transported EC key's curve is not supported");
    }
    if (ec && jwk.contains("crv") && jwk["crv"].is_string() && jwk["crv"] != m.curve->crv)
        bad_parameter("key.crv: " + jwk["crv"].get<std::string>() +
                      " does not match the transported key's curve " + m.curve->crv);
    if (!ec && m.bits != 2048 && m.bits != 3072 && m.bits != 4096)
        bad_blob("the transported RSA key must be 2048, 3072 or 4096 bits");
    return m;
}

}  // namespace

KeyMaterial unwrap_byok(const VaultContext& vault, const nlohmann::json& jwk,
                        const std::string& family) {
    nlohmann::json blob = parse_blob(jwk);
    KeyVersionPtr kek = find_kek(vault, blob["header"]["kid"]);
    auto ct = b64_decode(blob["ciphertext"].get<std::string>());
    if (!ct)
        bad_blob("ciphertext is not valid base64url");
    size_t k = static_cast<size_t>(kek->material->bits + 7) / 8;
    if (ct->size() < k + 16)
        bad_blob("ciphertext is too short: it must hold the " + std::to_string(k) +
                 "-byte RSA-OAEP part and an AES-KWP part");
    EVP_PKEY* kek_key = kek->material->pkey.get();
    Bytes aes_key = rsa_oaep_sha1_decrypt(kek_key, ct->data(), k);
    Bytes plain = aes_kwp_unwrap(aes_key, ct->data() + k, ct->size() - k);
    KeyMaterial m = parse_target(vault, jwk, family, plain);
    OPENSSL_cleanse(plain.data(), plain.size());
    OPENSSL_cleanse(aes_key.data(), aes_key.size());
    return m;
}

}  // namespace azkv::emu
