// BYOK import (key_hsm): the transfer blob is built here with independent OpenSSL code, as a
// vendor tool would: RSA-OAEP-SHA1(AES key) || AES-KWP(PKCS#8 or raw key) for the vault's KEK.
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "emu_test_util.h"

namespace emu_test {
namespace {

Bytes pkcs8_der(EVP_PKEY* k) {
    PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(k);
    int n = i2d_PKCS8_PRIV_KEY_INFO(p8, nullptr);
    Bytes out(static_cast<size_t>(n));
    unsigned char* p = out.data();
    i2d_PKCS8_PRIV_KEY_INFO(p8, &p);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return out;
}

Bytes rsa_oaep_sha1(EVP_PKEY* pub, const Bytes& in) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub, nullptr);
    EVP_PKEY_encrypt_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING);
    EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha1());
    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha1());
    size_t len = 0;
    EVP_PKEY_encrypt(ctx, nullptr, &len, in.data(), in.size());
    Bytes out(len);
    EXPECT_EQ(EVP_PKEY_encrypt(ctx, out.data(), &len, in.data(), in.size()), 1);
    out.resize(len);
    EVP_PKEY_CTX_free(ctx);
    return out;
}

Bytes aes_kwp(const Bytes& kek, const Bytes& plain) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    EVP_EncryptInit_ex(ctx, EVP_aes_256_wrap_pad(), nullptr, kek.data(), nullptr);
    Bytes out(plain.size() + 16);
    int n1 = 0, n2 = 0;
    EVP_EncryptUpdate(ctx, out.data(), &n1, plain.data(), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx, out.data() + n1, &n2);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(static_cast<size_t>(n1 + n2));
    return out;
}

struct BlobParts {
    std::string kid;
    Bytes ciphertext;
    std::string schema = "1.0.0", alg = "dir", enc = "CKM_RSA_AES_KEY_WRAP";
};

std::string encode_blob(const BlobParts& p) {
    nlohmann::json blob = {{"schema_version", p.schema},
                           {"header", {{"kid", p.kid}, {"alg", p.alg}, {"enc", p.enc}}},
                           {"ciphertext", b64url(p.ciphertext)},
                           {"generator", "azkv byok_test; OpenSSL"}};
    std::string text = blob.dump();
    return b64url(Bytes(text.begin(), text.end()));
}

BlobParts make_blob(const nlohmann::json& kek_bundle, const Bytes& target) {
    PKey kek_pub = pkey_from_jwk(kek_bundle["key"]);
    Bytes aes = random_bytes(32);
    Bytes ct = rsa_oaep_sha1(kek_pub.get(), aes);
    Bytes wrapped = aes_kwp(aes, target);
    ct.insert(ct.end(), wrapped.begin(), wrapped.end());
    return {kek_bundle["key"]["kid"], ct};
}

class ByokTest : public EmulatorSuite {
protected:
    static nlohmann::json kek(const std::string& vault, int bits = 2048) {
        return create_key(vault, {{"kty", "RSA-HSM"}, {"key_size", bits}, {"key_ops", {"import"}}});
    }
    static HttpResponse put(const std::string& vault, const std::string& name,
                            const nlohmann::json& key) {
        return call("PUT", vault, "/keys/" + name, {{"key", key}});
    }
};

TEST_F(ByokTest, RsaAndEcKeysArriveIntactAndSign) {
    auto k = kek("demo", 3072);
    // RSA target: the emulator's signature verifies with the test's own copy of the key.
    PKey rsa(EVP_RSA_gen(2048), EVP_PKEY_free);
    std::string name = unique_name("byok-rsa");
    auto r = put("demo", name,
                 {{"kty", "RSA-HSM"},
                  {"key_ops", {"sign", "verify"}},
                  {"key_hsm", encode_blob(make_blob(k, pkcs8_der(rsa.get())))}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto b = r.Json();
    EXPECT_EQ(b["key"]["kty"], "RSA-HSM");
    EXPECT_FALSE(b["key"].contains("key_hsm"));
    EXPECT_FALSE(b["key"].contains("d"));
    PKey got = pkey_from_jwk(b["key"]);
    EXPECT_EQ(EVP_PKEY_eq(got.get(), rsa.get()), 1);
    Bytes digest = sha("256", "byok");
    auto sig = call("POST", "demo", "/keys/" + name + "/sign",
                    {{"alg", "RS256"}, {"value", b64url(digest)}});
    ASSERT_EQ(sig.status, 200);
    Bytes s = unb64url(sig.Json()["value"]);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(rsa.get(), nullptr);
    EVP_PKEY_verify_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
    EXPECT_EQ(EVP_PKEY_verify(ctx, s.data(), s.size(), digest.data(), digest.size()), 1);
    EVP_PKEY_CTX_free(ctx);

    for (auto [group, crv] :
         {std::pair{"P-256", "P-256"}, std::pair{"P-384", "P-384"}, std::pair{"P-521", "P-521"}}) {
        PKey ec(EVP_EC_gen(group), EVP_PKEY_free);
        std::string n = unique_name("byok-ec");
        auto e = put("demo", n,
                     {{"kty", "EC-HSM"},
                      {"crv", crv},
                      {"key_hsm", encode_blob(make_blob(k, pkcs8_der(ec.get())))}});
        ASSERT_EQ(e.status, 200) << e.body;
        EXPECT_EQ(e.Json()["key"]["kty"], "EC-HSM");
        EXPECT_EQ(e.Json()["key"]["crv"], crv);
        PKey pub = pkey_from_jwk(e.Json()["key"]);
        EXPECT_EQ(EVP_PKEY_eq(pub.get(), ec.get()), 1) << crv;
    }
}

TEST_F(ByokTest, ManagedHsmSymmetricKey) {
    auto k = kek("hsm");
    Bytes aes = random_bytes(32);
    std::string name = unique_name("byok-oct");
    auto r = put("hsm", name,
                 {{"kty", "oct-HSM"},
                  {"key_ops", {"encrypt", "decrypt"}},
                  {"key_hsm", encode_blob(make_blob(k, aes))}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["key"]["kty"], "oct-HSM");
    // The emulator's AES-GCM ciphertext opens with the test's copy of the key.
    Bytes plain = {'h', 'e', 'l', 'l', 'o'};
    auto enc = call("POST", "hsm", "/keys/" + name + "/encrypt",
                    {{"alg", "A256GCM"}, {"value", b64url(plain)}});
    ASSERT_EQ(enc.status, 200) << enc.body;
    Bytes ct = unb64url(enc.Json()["value"]), iv = unb64url(enc.Json()["iv"]),
          tag = unb64url(enc.Json()["tag"]);
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), nullptr, nullptr, nullptr);
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr);
    EVP_DecryptInit_ex(c, nullptr, nullptr, aes.data(), iv.data());
    Bytes out(ct.size());
    int n = 0, f = 0;
    EVP_DecryptUpdate(c, out.data(), &n, ct.data(), static_cast<int>(ct.size()));
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()), tag.data());
    EXPECT_EQ(EVP_DecryptFinal_ex(c, out.data() + n, &f), 1);
    EVP_CIPHER_CTX_free(c);
    out.resize(static_cast<size_t>(n + f));
    EXPECT_EQ(out, plain);
    // Symmetric BYOK is Managed HSM only.
    auto vk = kek("demo");
    auto v = put("demo", unique_name("byok-oct"),
                 {{"kty", "oct-HSM"}, {"key_hsm", encode_blob(make_blob(vk, aes))}});
    EXPECT_EQ(v.status, 400);
}

TEST_F(ByokTest, EveryMalformedPartIsABadParameter) {
    auto k = kek("demo");
    PKey rsa(EVP_RSA_gen(2048), EVP_PKEY_free);
    Bytes target = pkcs8_der(rsa.get());
    BlobParts good = make_blob(k, target);
    auto expect_400 = [&](const std::string& key_hsm, const std::string& what,
                          const std::string& kty = "RSA-HSM") {
        auto r = put("demo", unique_name("bad"), {{"kty", kty}, {"key_hsm", key_hsm}});
        EXPECT_EQ(r.status, 400) << what;
        EXPECT_EQ(r.Json()["error"]["code"], "BadParameter") << what;
        std::string msg = r.Json()["error"]["message"];
        EXPECT_FALSE(msg.empty()) << what;
        return msg;
    };
    expect_400("!!!", "not base64url");
    expect_400(b64url(Bytes{'n', 'o', 't', ' ', 'j', 's', 'o', 'n'}), "not JSON");
    auto p = good;
    p.schema = "2.0.0";
    EXPECT_NE(expect_400(encode_blob(p), "schema").find("schema_version"), std::string::npos);
    p = good;
    p.alg = "RSA-OAEP";
    EXPECT_NE(expect_400(encode_blob(p), "alg").find("header.alg"), std::string::npos);
    p = good;
    p.enc = "RSA_AES_KEY_WRAP_256";
    EXPECT_NE(expect_400(encode_blob(p), "enc").find("header.enc"), std::string::npos);
    p = good;
    p.kid = "https://elsewhere.vault.azure.net/keys/kek/00000000000000000000000000000000";
    EXPECT_NE(expect_400(encode_blob(p), "foreign kid").find("not a key of this vault"),
              std::string::npos);
    p = good;
    p.kid = emu().Vault("demo").url + "/keys/" + unique_name("missing");
    EXPECT_NE(expect_400(encode_blob(p), "missing kek").find("not found"), std::string::npos);
    // KEKs that are not RSA-HSM with key_ops ["import"].
    auto wide = create_key("demo", {{"kty", "RSA-HSM"}, {"key_ops", {"import", "decrypt"}}});
    EXPECT_NE(expect_400(encode_blob(make_blob(wide, target)), "kek ops").find("key_ops"),
              std::string::npos);
    auto soft = create_key("demo", {{"kty", "RSA"}, {"key_ops", {"import"}}});
    EXPECT_NE(expect_400(encode_blob(make_blob(soft, target)), "soft kek").find("RSA-HSM"),
              std::string::npos);
    // Ciphertext problems.
    p = good;
    p.ciphertext.resize(200);
    EXPECT_NE(expect_400(encode_blob(p), "short").find("too short"), std::string::npos);
    p = good;
    p.ciphertext.back() ^= 1;
    EXPECT_NE(expect_400(encode_blob(p), "kwp tamper").find("AES-KWP"), std::string::npos);
    p = good;
    p.ciphertext[10] ^= 1;
    EXPECT_NE(expect_400(encode_blob(p), "oaep tamper").find("RSA-OAEP"), std::string::npos);
    auto other = kek("demo");
    p = good;
    p.kid = other["key"]["kid"];  // made for one KEK, sent naming another
    expect_400(encode_blob(p), "wrong kek");
    // The transported key does not match kty / crv.
    expect_400(encode_blob(good), "kty mismatch", "EC-HSM");
    expect_400(encode_blob(make_blob(k, Bytes(48, 7))), "not pkcs8");
    // Nothing was stored by any refused import.
    auto list = call("GET", "demo", "/keys?maxresults=25");
    for (auto& item : list.Json()["value"])
        EXPECT_EQ(item["kid"].get<std::string>().find("/keys/bad-"), std::string::npos);
}

}  // namespace
}  // namespace emu_test
