// C_WrapKey / C_UnwrapKey with CKM_RSA_PKCS_OAEP (SHA-1 and SHA-256) for session secret keys,
// the TDE envelope flow: the module wraps locally with the vault key's public part and unwraps
// in the vault. OpenSSL, holding only the vault's public JWK, is the independent party: what it
// encrypts must unwrap to the same bytes through the module.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "module_harness.h"

namespace p11_test {
namespace {

constexpr size_t kModulusBytes = 256;  // RSA 2048

struct OaepCase {
    const char* name;
    CK_MECHANISM_TYPE hash;
    CK_RSA_PKCS_MGF_TYPE mgf;
    const EVP_MD* (*md)();
    CK_KEY_TYPE key_type;
    size_t key_len;
};

class Pkcs11OaepWrap : public ::testing::TestWithParam<OaepCase> {
protected:
    void SetUp() override {
        pub_ = emu_test::pkey_from_jwk(
            env_.CreateKey("kek", {{"kty", "RSA-HSM"},
                                   {"key_size", 2048},
                                   {"key_ops", {"wrapKey", "unwrapKey", "encrypt", "decrypt"}}}));
        f_ = mod_.fns();
        CK_C_INITIALIZE_ARGS args = env_.InitArgs();
        ASSERT_EQ(f_->C_Initialize(&args), CKR_OK);
        s_ = OpenRwSession(f_);
        priv_ = FindPrivateKey(f_, s_, "kek");
        public_ = FindKey(f_, s_, CKO_PUBLIC_KEY, "kek");
        ASSERT_NE(priv_, CK_INVALID_HANDLE);
        ASSERT_NE(public_, CK_INVALID_HANDLE);
    }
    void TearDown() override { EXPECT_EQ(f_->C_Finalize(nullptr), CKR_OK); }

    // The wrap with the module: a length query, then the wrap.
    CK_RV Wrap(CK_MECHANISM* m, CK_OBJECT_HANDLE key, Bytes* wrapped) {
        CK_ULONG len = 0;
        CK_RV rv = f_->C_WrapKey(s_, m, public_, key, nullptr, &len);
        if (rv != CKR_OK)
            return rv;
        wrapped->resize(len);
        rv = f_->C_WrapKey(s_, m, public_, key, wrapped->data(), &len);
        wrapped->resize(rv == CKR_OK ? len : 0);
        return rv;
    }

    CK_RV Unwrap(CK_MECHANISM* m, const Bytes& wrapped, CK_KEY_TYPE type, bool sensitive,
                 bool extractable, CK_OBJECT_HANDLE* out) {
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_BBOOL no = CK_FALSE, sens = sensitive ? CK_TRUE : CK_FALSE,
                 extr = extractable ? CK_TRUE : CK_FALSE;
        CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                               {CKA_KEY_TYPE, &type, sizeof type},
                               {CKA_TOKEN, &no, sizeof no},
                               {CKA_SENSITIVE, &sens, sizeof sens},
                               {CKA_EXTRACTABLE, &extr, sizeof extr}};
        Bytes in = wrapped;
        return f_->C_UnwrapKey(s_, m, priv_, in.data(), static_cast<CK_ULONG>(in.size()), tmpl, 5,
                               out);
    }

    CK_RV ValueAttribute(CK_OBJECT_HANDLE o) {
        CK_ATTRIBUTE a = {CKA_VALUE, nullptr, 0};
        return f_->C_GetAttributeValue(s_, o, &a, 1);
    }

    // OpenSSL's RSA-OAEP with the vault's public key (label empty, MGF1 with the same hash).
    Bytes OpensslWrap(const EVP_MD* md, const Bytes& secret) {
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pub_.get(), nullptr);
        size_t len = 0;
        bool ok = EVP_PKEY_encrypt_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
                  EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) == 1 &&
                  EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 &&
                  EVP_PKEY_encrypt(ctx, nullptr, &len, secret.data(), secret.size()) == 1;
        Bytes out(len);
        ok = ok && EVP_PKEY_encrypt(ctx, out.data(), &len, secret.data(), secret.size()) == 1;
        EVP_PKEY_CTX_free(ctx);
        out.resize(ok ? len : 0);
        return out;
    }

    VaultEnv env_;
    LoadedModule mod_;
    CK_FUNCTION_LIST* f_ = nullptr;
    CK_SESSION_HANDLE s_ = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE priv_ = CK_INVALID_HANDLE, public_ = CK_INVALID_HANDLE;
    PKey pub_{nullptr, EVP_PKEY_free};
};

TEST_P(Pkcs11OaepWrap, WrapsLocallyUnwrapsInTheVaultAndAgreesWithOpenssl) {
    const OaepCase& c = GetParam();
    CK_RSA_PKCS_OAEP_PARAMS params = {c.hash, c.mgf, CKZ_DATA_SPECIFIED, nullptr, 0};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &params, sizeof params};
    const Bytes secret = emu_test::random_bytes(c.key_len);
    CK_OBJECT_HANDLE session_key = CreateSessionSecretKey(f_, s_, c.key_type, secret);
    ASSERT_NE(session_key, CK_INVALID_HANDLE);

    // Wrap: local, with the public key; OAEP is randomised, so two wraps differ.
    env_.emu().ResetStats();
    Bytes wrapped, wrapped_again;
    ASSERT_EQ(Wrap(&m, session_key, &wrapped), CKR_OK);
    ASSERT_EQ(Wrap(&m, session_key, &wrapped_again), CKR_OK);
    EXPECT_EQ(wrapped.size(), kModulusBytes);
    EXPECT_EQ(wrapped_again.size(), kModulusBytes);
    EXPECT_NE(wrapped, wrapped_again);
    EXPECT_EQ(TotalOperations(env_.emu()), 0) << "C_WrapKey with a public key is local";

    // Unwrap in the vault, once per C_UnwrapKey; the value is readable as the template says.
    CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
    ASSERT_EQ(Unwrap(&m, wrapped, c.key_type, false, true, &back), CKR_OK);
    EXPECT_EQ(OperationCount(env_.emu(), "unwrapKey"), 1);
    EXPECT_EQ(ReadValue(f_, s_, back), secret);
    EXPECT_EQ(UlongAttribute(f_, s_, back, CKA_KEY_TYPE), c.key_type);
    EXPECT_EQ(UlongAttribute(f_, s_, back, CKA_VALUE_LEN), c.key_len);
    ASSERT_EQ(Unwrap(&m, wrapped_again, c.key_type, false, true, &back), CKR_OK);
    EXPECT_EQ(ReadValue(f_, s_, back), secret);

    // OpenSSL wraps the same secret with the exported public key; the vault unwraps it.
    Bytes theirs = OpensslWrap(c.md(), secret);
    ASSERT_EQ(theirs.size(), kModulusBytes);
    ASSERT_EQ(Unwrap(&m, theirs, c.key_type, false, true, &back), CKR_OK);
    EXPECT_EQ(ReadValue(f_, s_, back), secret);
    EXPECT_EQ(OperationCount(env_.emu(), "unwrapKey"), 3);

    // Sensitive or unextractable: the key exists and is usable, its value is not readable.
    for (auto [sensitive, extractable] : {std::pair{true, true}, {false, false}, {true, false}}) {
        CK_OBJECT_HANDLE hidden = CK_INVALID_HANDLE;
        ASSERT_EQ(Unwrap(&m, theirs, c.key_type, sensitive, extractable, &hidden), CKR_OK);
        EXPECT_EQ(ValueAttribute(hidden), CKR_ATTRIBUTE_SENSITIVE)
            << "sensitive=" << sensitive << " extractable=" << extractable;
        EXPECT_EQ(BoolAttribute(f_, s_, hidden, CKA_SENSITIVE), sensitive);
        EXPECT_EQ(BoolAttribute(f_, s_, hidden, CKA_EXTRACTABLE), extractable);
    }
    // An unextractable key cannot be wrapped again.
    CK_OBJECT_HANDLE locked = CK_INVALID_HANDLE;
    ASSERT_EQ(Unwrap(&m, theirs, c.key_type, true, false, &locked), CKR_OK);
    Bytes rewrapped;
    EXPECT_EQ(Wrap(&m, locked, &rewrapped), CKR_KEY_UNEXTRACTABLE);
}

TEST_P(Pkcs11OaepWrap, ParametersKeyVaultCannotHonourFailBeforeAnyRemoteCall) {
    const OaepCase& c = GetParam();
    const Bytes secret = emu_test::random_bytes(c.key_len);
    CK_OBJECT_HANDLE session_key = CreateSessionSecretKey(f_, s_, c.key_type, secret);
    CK_RSA_PKCS_OAEP_PARAMS good = {c.hash, c.mgf, CKZ_DATA_SPECIFIED, nullptr, 0};
    CK_MECHANISM good_m = {CKM_RSA_PKCS_OAEP, &good, sizeof good};
    Bytes wrapped;
    ASSERT_EQ(Wrap(&good_m, session_key, &wrapped), CKR_OK);

    unsigned char label[] = {'l', 'b', 'l'};
    const CK_RSA_PKCS_MGF_TYPE other_mgf = c.mgf == CKG_MGF1_SHA1 ? CKG_MGF1_SHA256 : CKG_MGF1_SHA1;
    const CK_RSA_PKCS_OAEP_PARAMS bad[] = {
        {c.hash, c.mgf, CKZ_DATA_SPECIFIED, label, sizeof label},       // a label
        {c.hash, other_mgf, CKZ_DATA_SPECIFIED, nullptr, 0},            // MGF1 with another hash
        {CKM_SHA384, CKG_MGF1_SHA384, CKZ_DATA_SPECIFIED, nullptr, 0},  // a hash KV lacks
    };
    env_.emu().ResetStats();
    for (const CK_RSA_PKCS_OAEP_PARAMS& p : bad) {
        CK_RSA_PKCS_OAEP_PARAMS params = p;
        CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &params, sizeof params};
        Bytes out;
        EXPECT_EQ(Wrap(&m, session_key, &out), CKR_MECHANISM_PARAM_INVALID)
            << "hash " << p.hashAlg << " mgf " << p.mgf << " label " << p.ulSourceDataLen;
        CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
        EXPECT_EQ(Unwrap(&m, wrapped, c.key_type, false, true, &back), CKR_MECHANISM_PARAM_INVALID)
            << "hash " << p.hashAlg << " mgf " << p.mgf << " label " << p.ulSourceDataLen;
        EXPECT_EQ(back, CK_INVALID_HANDLE);
    }
    CK_MECHANISM truncated = {CKM_RSA_PKCS_OAEP, &good, sizeof good - 1};
    CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
    EXPECT_EQ(Unwrap(&truncated, wrapped, c.key_type, false, true, &back),
              CKR_MECHANISM_PARAM_INVALID);
    EXPECT_EQ(TotalOperations(env_.emu()), 0) << "a bad parameter reached the vault";
}

INSTANTIATE_TEST_SUITE_P(
    Sha1AndSha256, Pkcs11OaepWrap,
    ::testing::Values(
        OaepCase{"Sha1Aes", CKM_SHA_1, CKG_MGF1_SHA1, EVP_sha1, CKK_AES, 32},
        OaepCase{"Sha256Aes", CKM_SHA256, CKG_MGF1_SHA256, EVP_sha256, CKK_AES, 16},
        OaepCase{"Sha1Generic", CKM_SHA_1, CKG_MGF1_SHA1, EVP_sha1, CKK_GENERIC_SECRET, 48},
        OaepCase{"Sha256Generic", CKM_SHA256, CKG_MGF1_SHA256, EVP_sha256, CKK_GENERIC_SECRET, 20}),
    [](const ::testing::TestParamInfo<OaepCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace p11_test
