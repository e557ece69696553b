#include "crypto_ops.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <memory>

#include "errors.h"
#include "jwk.h"

namespace azkv::emu {
namespace {

using Ctx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Ctx new_ctx(const KeyMaterial& m) {
    return Ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m.pkey.get(), nullptr), EVP_PKEY_CTX_free);
}

const EVP_MD* md_for(char bits_code) {
    switch (bits_code) {
        case '2':
            return EVP_sha256();
        case '3':
            return EVP_sha384();
        default:
            return EVP_sha512();
    }
}

// Sign/verify parameters of an RSA alg: padding + digest (nullptr for RSNULL).
struct RsaSig {
    int padding;
    const EVP_MD* md;
};

RsaSig rsa_sig_params(const std::string& alg, const Bytes& digest, size_t modulus_bytes,
                      bool allow_rsnull) {
    if (alg == "RSNULL") {
        if (!allow_rsnull)
            bad_parameter("alg: RSNULL is not supported on Managed HSM");
        if (digest.empty() || digest.size() > modulus_bytes - 11)
            bad_parameter("digest: RSNULL input must be 1 to k-11 bytes");
        return {RSA_PKCS1_PADDING, nullptr};
    }
    if (alg.size() == 5 && (alg.rfind("RS", 0) == 0 || alg.rfind("PS", 0) == 0) &&
        (alg.substr(2) == "256" || alg.substr(2) == "384" || alg.substr(2) == "512")) {
        const EVP_MD* md = md_for(alg[2]);
        if (digest.size() != static_cast<size_t>(EVP_MD_get_size(md)))
            bad_parameter("digest: " + alg + " needs a " + std::to_string(EVP_MD_get_size(md)) +
                          "-byte digest, got " + std::to_string(digest.size()));
        return {alg[0] == 'R' ? RSA_PKCS1_PADDING : RSA_PKCS1_PSS_PADDING, md};
    }
    bad_parameter("alg: " + alg + " is not a valid signature algorithm for an RSA key");
}

Ctx rsa_sig_ctx(const KeyMaterial& m, const RsaSig& p, bool for_sign) {
    Ctx ctx = new_ctx(m);
    if ((for_sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get())) != 1)
        throw std::runtime_error("RSA sign init");
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), p.padding);
    if (p.md)
        EVP_PKEY_CTX_set_signature_md(ctx.get(), p.md);
    if (p.padding == RSA_PKCS1_PSS_PADDING) {
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), p.md);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST);  // salt = hash length
    }
    return ctx;
}

void check_ec_alg(const KeyMaterial& m, const std::string& alg, const Bytes& digest) {
    if (alg != m.curve->alg)
        bad_parameter("alg: " + alg + " does not match the key's curve " + m.curve->crv);
    if (digest.size() != m.curve->digest_bytes)
        bad_parameter("digest: " + alg + " needs a " + std::to_string(m.curve->digest_bytes) +
                      "-byte digest, got " + std::to_string(digest.size()));
}

// Per-alg RSA encryption padding; nullptr md = PKCS#1 v1.5.
struct RsaEnc {
    int padding;
    const EVP_MD* oaep_md;
};

RsaEnc rsa_enc_params(const std::string& alg) {
    if (alg == "RSA1_5")
        return {RSA_PKCS1_PADDING, nullptr};
    if (alg == "RSA-OAEP")
        return {RSA_PKCS1_OAEP_PADDING, EVP_sha1()};
    if (alg == "RSA-OAEP-256")
        return {RSA_PKCS1_OAEP_PADDING, EVP_sha256()};
    bad_parameter("alg: " + alg + " is not a valid encryption algorithm for an RSA key");
}

CipherOutput rsa_cipher(const KeyMaterial& m, const CipherInput& in, bool enc) {
    RsaEnc p = rsa_enc_params(in.alg);
    size_t k = static_cast<size_t>(EVP_PKEY_get_size(m.pkey.get()));
    if (enc) {
        size_t max =
            p.oaep_md ? k - 2 * static_cast<size_t>(EVP_MD_get_size(p.oaep_md)) - 2 : k - 11;
        if (in.value.size() > max)
            bad_parameter("value: plaintext too long for " + in.alg + " (max " +
                          std::to_string(max) + " bytes)");
    } else if (in.value.size() != k) {
        bad_parameter("value: ciphertext must be " + std::to_string(k) + " bytes");
    }
    Ctx ctx = new_ctx(m);
    if ((enc ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) != 1)
        throw std::runtime_error("RSA cipher init");
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), p.padding);
    if (p.oaep_md) {
        EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), p.oaep_md);
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), p.oaep_md);
    }
    CipherOutput out;
    out.value.resize(k);
    size_t len = k;
    int rc =
        enc ? EVP_PKEY_encrypt(ctx.get(), out.value.data(), &len, in.value.data(), in.value.size())
            : EVP_PKEY_decrypt(ctx.get(), out.value.data(), &len, in.value.data(), in.value.size());
    if (rc != 1)
        bad_parameter("value: " + in.alg + (enc ? " encryption" : " decryption") + " failed");
    out.value.resize(len);
    return out;
}

// "A128GCM" -> {mode "GCM", bits 128}; empty mode when the alg is not an AES alg.
struct AesAlg {
    std::string mode;
    int bits = 0;
};

AesAlg parse_aes(const std::string& alg) {
    if (alg.size() < 5 || alg[0] != 'A')
        return {};
    int bits = std::atoi(alg.substr(1, 3).c_str());
    std::string mode = alg.substr(4);
    if ((bits != 128 && bits != 192 && bits != 256) ||
        (mode != "GCM" && mode != "CBC" && mode != "CBCPAD" && mode != "KW"))
        return {};
    return {mode, bits};
}

const EVP_CIPHER* aes_cipher(const AesAlg& a) {
    std::string name = "AES-" + std::to_string(a.bits) +
                       (a.mode == "GCM"  ? "-GCM"
                        : a.mode == "KW" ? "-WRAP"
                                         : "-CBC");
    return EVP_get_cipherbyname(name.c_str());
}

Bytes run_cipher(EVP_CIPHER_CTX* ctx, const Bytes& in, const std::string& alg) {
    Bytes out(in.size() + 32);
    int len = 0, fin = 0;
    if (EVP_CipherUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
        EVP_CipherFinal_ex(ctx, out.data() + len, &fin) != 1)
        bad_parameter("value: " + alg + " operation failed (bad length, padding, key or tag)");
    out.resize(static_cast<size_t>(len + fin));
    return out;
}

CipherOutput aes_cipher_op(const KeyMaterial& m, const CipherInput& in, bool enc, bool wrap) {
    AesAlg a = parse_aes(in.alg);
    if (a.mode.empty())
        bad_parameter("alg: " + in.alg + " is not a valid algorithm for a symmetric key");
    if (a.bits != m.bits)
        bad_parameter("alg: " + in.alg + " does not match the key size " + std::to_string(m.bits));
    if (a.mode == "KW" && !wrap)
        bad_parameter("alg: " + in.alg + " is only valid for wrapkey/unwrapkey");
    CipherOutput out;
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    const EVP_CIPHER* cipher = aes_cipher(a);
    if (a.mode == "GCM") {
        Bytes iv;
        if (enc) {
            if (in.iv)
                bad_parameter("iv: the service generates the GCM IV; do not send one");
            iv = random_bytes(12);
        } else {
            if (!in.iv || in.iv->empty())
                bad_parameter("iv is required for " + in.alg + " decryption");
            if (!in.tag || in.tag->size() != 16)
                bad_parameter("tag: 16-byte tag is required for " + in.alg);
            iv = *in.iv;
        }
        EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, enc ? 1 : 0);
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()),
                            nullptr);
        EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, m.oct.data(), iv.data(), enc ? 1 : 0);
        if (in.aad && !in.aad->empty()) {
            int len = 0;
            EVP_CipherUpdate(ctx.get(), nullptr, &len, in.aad->data(),
                             static_cast<int>(in.aad->size()));
        }
        if (!enc)
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16,
                                const_cast<unsigned char*>(in.tag->data()));
        out.value = run_cipher(ctx.get(), in.value, in.alg);
        if (enc) {
            Bytes tag(16);
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag.data());
            out.iv = iv;
            out.tag = tag;
            if (in.aad)
                out.aad = in.aad;
        }
        return out;
    }
    if (a.mode == "KW") {
        if (in.value.size() < (enc ? 16u : 24u) || in.value.size() % 8 != 0)
            bad_parameter("value: " + in.alg + " input must be a multiple of 8 bytes, at least " +
                          (enc ? "16" : "24"));
        EVP_CipherInit_ex(ctx.get(), cipher, nullptr, m.oct.data(), nullptr, enc ? 1 : 0);
        out.value = run_cipher(ctx.get(), in.value, in.alg);
        return out;
    }
    // CBC / CBCPAD: the client supplies a 16-byte IV.
    if (!in.iv || in.iv->size() != 16)
        bad_parameter("iv: " + in.alg + " needs a 16-byte iv");
    if (a.mode == "CBC" && in.value.size() % 16 != 0)
        bad_parameter("value: " + in.alg + " input must be a multiple of 16 bytes");
    EVP_CipherInit_ex(ctx.get(), cipher, nullptr, m.oct.data(), in.iv->data(), enc ? 1 : 0);
    EVP_CIPHER_CTX_set_padding(ctx.get(), a.mode == "CBCPAD" ? 1 : 0);
    out.value = run_cipher(ctx.get(), in.value, in.alg);
    out.iv = in.iv;
    return out;
}

CipherOutput cipher_op(const KeyMaterial& m, const CipherInput& in, bool enc, bool wrap) {
    switch (m.family) {
        case KeyFamily::Rsa:
            return rsa_cipher(m, in, enc);
        case KeyFamily::Oct:
            return aes_cipher_op(m, in, enc, wrap);
        default:
            bad_parameter("alg: EC keys cannot encrypt, decrypt, wrap or unwrap");
    }
}

}  // namespace

Bytes random_bytes(size_t n) {
    Bytes b(n);
    if (n && RAND_bytes(b.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes");
    return b;
}

KeyMaterial generate_rsa(int bits, unsigned long public_exponent) {
    Ctx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> e(BN_new(), BN_free);
    BN_set_word(e.get(), public_exponent);
    EVP_PKEY* pkey = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) != 1 ||
        EVP_PKEY_keygen(ctx.get(), &pkey) != 1)
        bad_parameter("public_exponent: RSA key generation failed");
    KeyMaterial m;
    m.family = KeyFamily::Rsa;
    m.pkey = wrap_pkey(pkey);
    finish_material(m);
    return m;
}

KeyMaterial generate_ec(const CurveInfo& curve) {
    KeyMaterial m;
    m.family = KeyFamily::Ec;
    m.pkey = wrap_pkey(EVP_EC_gen(curve.group));
    if (!m.pkey)
        throw std::runtime_error("EC key generation failed");
    finish_material(m);
    return m;
}

KeyMaterial generate_oct(int bits) {
    KeyMaterial m;
    m.family = KeyFamily::Oct;
    m.oct = random_bytes(static_cast<size_t>(bits / 8));
    finish_material(m);
    return m;
}

Bytes sign(const KeyMaterial& m, const std::string& alg, const Bytes& digest, bool allow_rsnull) {
    if (m.family == KeyFamily::Oct)
        bad_parameter("alg: " + alg + " is not supported for symmetric keys");
    if (m.family == KeyFamily::Rsa) {
        size_t k = static_cast<size_t>(EVP_PKEY_get_size(m.pkey.get()));
        Ctx ctx = rsa_sig_ctx(m, rsa_sig_params(alg, digest, k, allow_rsnull), true);
        Bytes sig(k);
        size_t len = k;
        if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()) != 1)
            throw std::runtime_error("RSA sign failed");
        sig.resize(len);  // always k: OpenSSL keeps leading zero bytes (I2OSP)
        return sig;
    }
    check_ec_alg(m, alg, digest);
    Ctx ctx = new_ctx(m);
    size_t len = 0;
    EVP_PKEY_sign_init(ctx.get());
    EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size());
    Bytes der(len);
    if (EVP_PKEY_sign(ctx.get(), der.data(), &len, digest.data(), digest.size()) != 1)
        throw std::runtime_error("ECDSA sign failed");
    const unsigned char* p = der.data();
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> es(
        d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)), ECDSA_SIG_free);
    // The service returns raw r||s, each half left-padded to the curve size.
    int half = static_cast<int>(m.curve->field_bytes);
    Bytes raw(2 * m.curve->field_bytes);
    BN_bn2binpad(ECDSA_SIG_get0_r(es.get()), raw.data(), half);
    BN_bn2binpad(ECDSA_SIG_get0_s(es.get()), raw.data() + half, half);
    return raw;
}

bool verify(const KeyMaterial& m, const std::string& alg, const Bytes& digest, const Bytes& sig,
            bool allow_rsnull) {
    if (m.family == KeyFamily::Oct)
        bad_parameter("alg: " + alg + " is not supported for symmetric keys");
    if (m.family == KeyFamily::Rsa) {
        size_t k = static_cast<size_t>(EVP_PKEY_get_size(m.pkey.get()));
        Ctx ctx = rsa_sig_ctx(m, rsa_sig_params(alg, digest, k, allow_rsnull), false);
        if (sig.size() != k)
            return false;  // a short signature is never valid
        return EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), digest.data(), digest.size()) ==
               1;
    }
    check_ec_alg(m, alg, digest);
    size_t half = m.curve->field_bytes;
    if (sig.size() != 2 * half)
        return false;
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> es(ECDSA_SIG_new(), ECDSA_SIG_free);
    ECDSA_SIG_set0(es.get(), BN_bin2bn(sig.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(sig.data() + half, static_cast<int>(half), nullptr));
    unsigned char* der = nullptr;
    int der_len = i2d_ECDSA_SIG(es.get(), &der);
    Ctx ctx = new_ctx(m);
    EVP_PKEY_verify_init(ctx.get());
    bool ok = der_len > 0 && EVP_PKEY_verify(ctx.get(), der, static_cast<size_t>(der_len),
                                             digest.data(), digest.size()) == 1;
    OPENSSL_free(der);
    return ok;
}

CipherOutput encrypt(const KeyMaterial& m, const CipherInput& in, bool wrap) {
    return cipher_op(m, in, true, wrap);
}

CipherOutput decrypt(const KeyMaterial& m, const CipherInput& in, bool wrap) {
    return cipher_op(m, in, false, wrap);
}

}  // namespace azkv::emu
