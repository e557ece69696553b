// Crypto operations, always checked by independent OpenSSL code in the test.
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "emu_test_util.h"

namespace emu_test {
namespace {

class CryptoTest : public EmulatorSuite {
protected:
    static nlohmann::json sign(const std::string& vault, const std::string& kid_path,
                               const std::string& alg, const Bytes& digest) {
        return call("POST", vault, kid_path + "/sign", {{"alg", alg}, {"value", b64url(digest)}})
            .Json();
    }
    static std::string path_of(const nlohmann::json& bundle) {
        std::string kid = bundle["key"]["kid"];
        return kid.substr(kid.find("/keys/"));
    }
};

bool local_ecdsa_verify(EVP_PKEY* pub, const Bytes& raw, const Bytes& digest) {
    size_t half = raw.size() / 2;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(raw.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr));
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig, &der);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub, nullptr);
    EVP_PKEY_verify_init(ctx);
    int rc = EVP_PKEY_verify(ctx, der, static_cast<size_t>(len), digest.data(), digest.size());
    EVP_PKEY_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return rc == 1;
}

TEST_F(CryptoTest, EcdsaRawSignaturesVerifyLocally) {
    struct Case {
        const char* crv;
        const char* alg;
        const char* bits;
        size_t sig_len;
    } cases[] = {{"P-256", "ES256", "256", 64},
                 {"P-256K", "ES256K", "256", 64},
                 {"P-384", "ES384", "384", 96},
                 {"P-521", "ES512", "512", 132}};
    for (auto& c : cases) {
        for (const char* vault : {"demo", "hsm"}) {
            auto key = create_key(vault, {{"kty", "EC-HSM"}, {"crv", c.crv}});
            PKey pub = pkey_from_jwk(key["key"]);
            for (int i = 0; i < 5; ++i) {
                Bytes digest = sha(c.bits, "message " + std::to_string(i));
                auto r = sign(vault, path_of(key), c.alg, digest);
                EXPECT_EQ(r["kid"], key["key"]["kid"]);
                Bytes sig = unb64url(r["value"]);
                ASSERT_EQ(sig.size(), c.sig_len) << c.alg;
                EXPECT_TRUE(local_ecdsa_verify(pub.get(), sig, digest)) << c.alg;
            }
            // Wrong digest length and wrong curve/alg pairing are refused.
            EXPECT_EQ(call("POST", vault, path_of(key) + "/sign",
                           {{"alg", c.alg}, {"value", b64url(Bytes(20))}})
                          .status,
                      400);
            const char* other = std::string(c.alg) == "ES384" ? "ES256" : "ES384";
            EXPECT_EQ(call("POST", vault, path_of(key) + "/sign",
                           {{"alg", other}, {"value", b64url(sha("384", "x"))}})
                          .status,
                      400);
        }
    }
}

TEST_F(CryptoTest, RsaPkcs1AndPssVerifyLocallyAtModulusLength) {
    auto key = create_key("demo", {{"kty", "RSA"}, {"key_size", 3072}});
    PKey pub = pkey_from_jwk(key["key"]);
    for (std::string alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}) {
        std::string bits = alg.substr(2);
        Bytes digest = sha(bits, alg);
        auto r = sign("demo", path_of(key), alg, digest);
        Bytes sig = unb64url(r["value"]);
        ASSERT_EQ(sig.size(), 384u) << alg;
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub.get(), nullptr);
        EVP_PKEY_verify_init(ctx);
        const EVP_MD* md = bits == "256"   ? EVP_sha256()
                           : bits == "384" ? EVP_sha384()
                                           : EVP_sha512();
        EVP_PKEY_CTX_set_signature_md(ctx, md);
        if (alg[0] == 'P') {
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md);
            EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx,
                                             EVP_MD_get_size(md));  // salt = hash length exactly
        } else {
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
        }
        EXPECT_EQ(EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()), 1)
            << alg;
        EVP_PKEY_CTX_free(ctx);
        // The emulator's verify agrees, and rejects a tampered or short signature.
        auto v = call("POST", "demo", path_of(key) + "/verify",
                      {{"alg", alg}, {"digest", b64url(digest)}, {"value", b64url(sig)}});
        EXPECT_EQ(v.Json()["value"], true);
        Bytes bad = sig;
        bad[10] ^= 1;
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/verify",
                       {{"alg", alg}, {"digest", b64url(digest)}, {"value", b64url(bad)}})
                      .Json()["value"],
                  false);
        Bytes shorter(sig.begin() + 1, sig.end());
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/verify",
                       {{"alg", alg}, {"digest", b64url(digest)}, {"value", b64url(shorter)}})
                      .Json()["value"],
                  false);
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/sign",
                       {{"alg", alg}, {"value", b64url(Bytes(digest.size() + 1))}})
                      .status,
                  400)
            << alg;
    }
    EXPECT_EQ(call("POST", "demo", path_of(key) + "/sign",
                   {{"alg", "ES256"}, {"value", b64url(sha("256", "x"))}})
                  .status,
              400);
    EXPECT_EQ(
        call("POST", "demo", path_of(key) + "/sign", {{"alg", "RS256"}, {"value", "***"}}).status,
        400);
}

TEST_F(CryptoTest, RsnullOnVaultButNotOnMhsm) {
    // SHA-1 DigestInfo built by the caller, as jsign/AzureSignTool do.
    Bytes input = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                   0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    Bytes h(20, 0xab);
    input.insert(input.end(), h.begin(), h.end());
    auto key = create_key("demo", {{"kty", "RSA"}});
    auto r = sign("demo", path_of(key), "RSNULL", input);
    Bytes sig = unb64url(r["value"]);
    ASSERT_EQ(sig.size(), 256u);
    PKey pub = pkey_from_jwk(key["key"]);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub.get(), nullptr);
    EVP_PKEY_verify_recover_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
    Bytes recovered(256);
    size_t len = recovered.size();
    ASSERT_EQ(EVP_PKEY_verify_recover(ctx, recovered.data(), &len, sig.data(), sig.size()), 1);
    recovered.resize(len);
    EXPECT_EQ(recovered, input);
    EVP_PKEY_CTX_free(ctx);
    EXPECT_EQ(call("POST", "demo", path_of(key) + "/sign",
                   {{"alg", "RSNULL"}, {"value", b64url(Bytes(246))}})
                  .status,
              400);
    EXPECT_EQ(call("POST", "demo", path_of(key) + "/sign",
                   {{"alg", "RSNULL"}, {"value", b64url(Bytes(245, 1))}})
                  .status,
              200);
    auto hkey = create_key("hsm", {{"kty", "RSA-HSM"}});
    auto refused =
        call("POST", "hsm", path_of(hkey) + "/sign", {{"alg", "RSNULL"}, {"value", b64url(input)}});
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.Json()["error"]["code"], "BadParameter");
}

TEST_F(CryptoTest, RsaEncryptLocallyDecryptRemotely) {
    for (const char* vault : {"demo", "hsm"}) {
        auto key = create_key(vault, {{"kty", "RSA-HSM"}});
        PKey pub = pkey_from_jwk(key["key"]);
        for (std::string alg : {"RSA1_5", "RSA-OAEP", "RSA-OAEP-256"}) {
            Bytes plain = random_bytes(32);
            EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub.get(), nullptr);
            EVP_PKEY_encrypt_init(ctx);
            if (alg == "RSA1_5") {
                EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
            } else {
                EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING);
                const EVP_MD* md = alg == "RSA-OAEP" ? EVP_sha1() : EVP_sha256();
                EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md);
                EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md);
            }
            Bytes ct(256);
            size_t len = ct.size();
            ASSERT_EQ(EVP_PKEY_encrypt(ctx, ct.data(), &len, plain.data(), plain.size()), 1);
            EVP_PKEY_CTX_free(ctx);
            for (std::string op : {"decrypt", "unwrapkey"}) {
                auto r = call("POST", vault, path_of(key) + "/" + op,
                              {{"alg", alg}, {"value", b64url(ct)}});
                ASSERT_EQ(r.status, 200) << r.body;
                EXPECT_EQ(unb64url(r.Json()["value"]), plain) << alg;
            }
            // And the other way: emulator encrypt/wrap, emulator decrypt (ciphertext at modulus
            // length).
            for (auto [enc, dec] :
                 {std::pair{"encrypt", "decrypt"}, std::pair{"wrapKey", "unwrapKey"}}) {
                auto e = call("POST", vault, path_of(key) + "/" + enc,
                              {{"alg", alg}, {"value", b64url(plain)}});
                Bytes c = unb64url(e.Json()["value"]);
                EXPECT_EQ(c.size(), 256u);
                auto d = call("POST", vault, path_of(key) + "/" + dec,
                              {{"alg", alg}, {"value", b64url(c)}});
                EXPECT_EQ(unb64url(d.Json()["value"]), plain);
            }
        }
        EXPECT_EQ(call("POST", vault, path_of(key) + "/encrypt",
                       {{"alg", "RSA-OAEP-512"}, {"value", "AAAA"}})
                      .status,
                  400);
        EXPECT_EQ(call("POST", vault, path_of(key) + "/encrypt",
                       {{"alg", "RSA-OAEP-256"}, {"value", b64url(Bytes(200))}})
                      .status,
                  400);
    }
}

TEST_F(CryptoTest, AesModesOnMhsmMatchLocalOpenSsl) {
    Bytes k = random_bytes(32);
    std::string name = unique_name("aes");
    ASSERT_EQ(call("PUT", "hsm", "/keys/" + name, {{"key", {{"kty", "oct-HSM"}, {"k", b64url(k)}}}})
                  .status,
              200);
    std::string p = "/keys/" + name;
    Bytes plain = random_bytes(45);
    // GCM: the service picks a 12-byte IV and returns iv + tag; decrypt locally.
    Bytes aad = {1, 2, 3};
    auto e = call("POST", "hsm", p + "/encrypt",
                  {{"alg", "A256GCM"}, {"value", b64url(plain)}, {"aad", b64url(aad)}});
    ASSERT_EQ(e.status, 200) << e.body;
    auto ej = e.Json();
    Bytes iv = unb64url(ej["iv"]), tag = unb64url(ej["tag"]), ct = unb64url(ej["value"]);
    EXPECT_EQ(iv.size(), 12u);
    EXPECT_EQ(tag.size(), 16u);
    EXPECT_EQ(ej["alg"], "A256GCM");
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), nullptr, k.data(), iv.data());
    int len = 0;
    EVP_DecryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size()));
    Bytes out(ct.size() + 16);
    EVP_DecryptUpdate(c, out.data(), &len, ct.data(), static_cast<int>(ct.size()));
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag.data());
    int fin = 0;
    EXPECT_EQ(EVP_DecryptFinal_ex(c, out.data() + len, &fin), 1);
    out.resize(static_cast<size_t>(len + fin));
    EVP_CIPHER_CTX_free(c);
    EXPECT_EQ(out, plain);
    auto d = call("POST", "hsm", p + "/decrypt",
                  {{"alg", "A256GCM"},
                   {"value", ej["value"]},
                   {"iv", ej["iv"]},
                   {"tag", ej["tag"]},
                   {"aad", b64url(aad)}});
    EXPECT_EQ(unb64url(d.Json()["value"]), plain);
    tag[0] ^= 1;
    EXPECT_EQ(call("POST", "hsm", p + "/decrypt",
                   {{"alg", "A256GCM"},
                    {"value", ej["value"]},
                    {"iv", ej["iv"]},
                    {"tag", b64url(tag)},
                    {"aad", b64url(aad)}})
                  .status,
              400);
    EXPECT_EQ(call("POST", "hsm", p + "/encrypt",
                   {{"alg", "A256GCM"}, {"value", b64url(plain)}, {"iv", b64url(Bytes(12))}})
                  .status,
              400);
    EXPECT_EQ(
        call("POST", "hsm", p + "/encrypt", {{"alg", "A128GCM"}, {"value", b64url(plain)}}).status,
        400);

    // CBCPAD with a client IV: compare with a local encryption.
    Bytes civ = random_bytes(16);
    auto cb = call("POST", "hsm", p + "/encrypt",
                   {{"alg", "A256CBCPAD"}, {"value", b64url(plain)}, {"iv", b64url(civ)}});
    ASSERT_EQ(cb.status, 200) << cb.body;
    c = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), nullptr, k.data(), civ.data());
    Bytes local(plain.size() + 16);
    EVP_EncryptUpdate(c, local.data(), &len, plain.data(), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(c, local.data() + len, &fin);
    local.resize(static_cast<size_t>(len + fin));
    EVP_CIPHER_CTX_free(c);
    EXPECT_EQ(unb64url(cb.Json()["value"]), local);
    EXPECT_EQ(call("POST", "hsm", p + "/encrypt",
                   {{"alg", "A256CBC"}, {"value", b64url(plain)}, {"iv", b64url(civ)}})
                  .status,
              400);
    Bytes block = random_bytes(32);
    auto raw = call("POST", "hsm", p + "/encrypt",
                    {{"alg", "A256CBC"}, {"value", b64url(block)}, {"iv", b64url(civ)}});
    EXPECT_EQ(unb64url(raw.Json()["value"]).size(), 32u);
    auto back = call("POST", "hsm", p + "/decrypt",
                     {{"alg", "A256CBC"}, {"value", raw.Json()["value"]}, {"iv", b64url(civ)}});
    EXPECT_EQ(unb64url(back.Json()["value"]), block);
    EXPECT_EQ(call("POST", "hsm", p + "/encrypt", {{"alg", "A256CBCPAD"}, {"value", b64url(plain)}})
                  .status,
              400);

    // A256KW (RFC 3394): equals a local wrap; only on wrapkey/unwrapkey.
    Bytes cek = random_bytes(32);
    auto w = call("POST", "hsm", p + "/wrapkey", {{"alg", "A256KW"}, {"value", b64url(cek)}});
    ASSERT_EQ(w.status, 200) << w.body;
    c = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    EVP_EncryptInit_ex(c, EVP_aes_256_wrap(), nullptr, k.data(), nullptr);
    Bytes wrapped(cek.size() + 8);
    EVP_EncryptUpdate(c, wrapped.data(), &len, cek.data(), static_cast<int>(cek.size()));
    EVP_CIPHER_CTX_free(c);
    EXPECT_EQ(unb64url(w.Json()["value"]), wrapped);
    auto uw =
        call("POST", "hsm", p + "/unwrapKey", {{"alg", "A256KW"}, {"value", w.Json()["value"]}});
    EXPECT_EQ(unb64url(uw.Json()["value"]), cek);
    EXPECT_EQ(
        call("POST", "hsm", p + "/encrypt", {{"alg", "A256KW"}, {"value", b64url(cek)}}).status,
        400);
}

TEST_F(CryptoTest, KeyOpsAreEnforced) {
    auto key = create_key("demo", {{"kty", "RSA"}, {"key_ops", {"verify", "encrypt"}}});
    auto r = call("POST", "demo", path_of(key) + "/sign",
                  {{"alg", "RS256"}, {"value", b64url(sha("256", "x"))}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(call("POST", "demo", path_of(key) + "/decrypt",
                   {{"alg", "RSA-OAEP"}, {"value", b64url(Bytes(256))}})
                  .status,
              403);
    EXPECT_EQ(
        call("POST", "demo", path_of(key) + "/encrypt", {{"alg", "RSA-OAEP"}, {"value", "AAAA"}})
            .status,
        200);
    auto ec = create_key("demo", {{"kty", "EC"}});
    EXPECT_EQ(
        call("POST", "demo", path_of(ec) + "/encrypt", {{"alg", "RSA-OAEP"}, {"value", "AAAA"}})
            .status,
        403);
}

TEST_F(CryptoTest, NbfExpWindow) {
    int64_t now = std::time(nullptr);
    for (auto attrs : {nlohmann::json{{"exp", now - 10}}, nlohmann::json{{"nbf", now + 3600}}}) {
        auto key = create_key("demo", {{"kty", "RSA"}, {"attributes", attrs}});
        Bytes digest = sha("256", "x");
        EXPECT_EQ(call("GET", "demo", path_of(key)).status, 200);
        auto s = call("POST", "demo", path_of(key) + "/sign",
                      {{"alg", "RS256"}, {"value", b64url(digest)}});
        EXPECT_EQ(s.status, 403) << attrs;
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/encrypt",
                       {{"alg", "RSA-OAEP"}, {"value", "AAAA"}})
                      .status,
                  403);
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/wrapkey",
                       {{"alg", "RSA-OAEP"}, {"value", "AAAA"}})
                      .status,
                  403);
        // verify, decrypt and unwrap still work outside the window.
        EXPECT_EQ(
            call("POST", "demo", path_of(key) + "/verify",
                 {{"alg", "RS256"}, {"digest", b64url(digest)}, {"value", b64url(Bytes(256))}})
                .status,
            200);
        PKey pub = pkey_from_jwk(key["key"]);
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub.get(), nullptr);
        EVP_PKEY_encrypt_init(ctx);
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING);
        Bytes ct(256), pt = {7, 7, 7};
        size_t len = ct.size();
        EVP_PKEY_encrypt(ctx, ct.data(), &len, pt.data(), pt.size());
        EVP_PKEY_CTX_free(ctx);
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/decrypt",
                       {{"alg", "RSA-OAEP"}, {"value", b64url(ct)}})
                      .status,
                  200);
        EXPECT_EQ(call("POST", "demo", path_of(key) + "/unwrapkey",
                       {{"alg", "RSA-OAEP"}, {"value", b64url(ct)}})
                      .status,
                  200);
    }
}

TEST_F(CryptoTest, UnversionedCryptoUsesLatestAndReturnsVersionedKid) {
    std::string name;
    create_key("demo", {{"kty", "EC"}}, &name);
    auto latest = call("POST", "demo", "/keys/" + name + "/create", {{"kty", "EC"}}).Json();
    auto r = call("POST", "demo", "/keys/" + name + "/sign",
                  {{"alg", "ES256"}, {"value", b64url(sha("256", "x"))}});
    EXPECT_EQ(r.Json()["kid"], latest["key"]["kid"]);
    PKey pub = pkey_from_jwk(latest["key"]);
    EXPECT_TRUE(local_ecdsa_verify(pub.get(), unb64url(r.Json()["value"]), sha("256", "x")));
}

}  // namespace
}  // namespace emu_test
