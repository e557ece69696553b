// Managed HSM AES keys through the module, against azkv-emulator's Managed HSM: the test makes
// each AES key itself, imports it as a JWK, and checks every ciphertext, tag and wrapped key
// with OpenSSL (EVP) using the same key material. pkcs11-tool 0.23 cannot pass GCM parameters
// (no --aad/--tag-bits-len, and no way to read back the IV the HSM generates), so GCM is
// driven from here; mhsm_pkcs11_tool_test.sh covers CBC-PAD, key wrap and random.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "mhsm_env.h"

namespace p11_test {
namespace {

const nlohmann::json kAllOps = {"encrypt", "decrypt", "wrapKey", "unwrapKey"};

class MhsmAes : public testing::Test {
protected:
    void Start() {
        args_ = env_.InitArgs();
        ASSERT_EQ(f_->C_Initialize(&args_), CKR_OK);
        s_ = OpenRwSession(f_);
    }
    void TearDown() override { f_->C_Finalize(nullptr); }

    CK_RV Encrypt(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& in, Bytes* out) {
        CK_RV rv = f_->C_EncryptInit(s_, m, key);
        if (rv != CKR_OK)
            return rv;
        Bytes data = in;
        CK_ULONG len = 0;
        if ((rv = f_->C_Encrypt(s_, data.data(), data.size(), nullptr, &len)) != CKR_OK)
            return rv;
        out->resize(len);
        rv = f_->C_Encrypt(s_, data.data(), data.size(), out->data(), &len);
        out->resize(rv == CKR_OK ? len : 0);
        return rv;
    }
    CK_RV Decrypt(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& in, Bytes* out) {
        CK_RV rv = f_->C_DecryptInit(s_, m, key);
        if (rv != CKR_OK)
            return rv;
        Bytes data = in;
        CK_ULONG len = data.size();
        out->resize(len);
        rv = f_->C_Decrypt(s_, data.data(), data.size(), out->data(), &len);
        out->resize(rv == CKR_OK ? len : 0);
        return rv;
    }

    MhsmEnv env_;
    LoadedModule mod_;
    CK_FUNCTION_LIST* f_ = mod_.fns();
    CK_C_INITIALIZE_ARGS args_{};
    CK_SESSION_HANDLE s_ = CK_INVALID_HANDLE;
};

TEST_F(MhsmAes, SecretKeyObjectsCarryTheirSizeAndUsage) {
    env_.ImportAesKey("k128", emu_test::random_bytes(16), kAllOps);
    env_.ImportAesKey("k192", emu_test::random_bytes(24), kAllOps);
    env_.ImportAesKey("k256", emu_test::random_bytes(32), kAllOps);
    env_.ImportAesKey("kek-only", emu_test::random_bytes(32), {"wrapKey", "unwrapKey"});
    env_.ImportAesKey("enc-only", emu_test::random_bytes(16), {"encrypt", "decrypt"});
    Start();
    CK_TOKEN_INFO info{};
    ASSERT_EQ(f_->C_GetTokenInfo(FirstSlot(f_), &info), CKR_OK);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(info.model), 11), "Managed HSM");
    const std::pair<const char*, CK_ULONG> sizes[] = {
        {"k128", 16}, {"k192", 24}, {"k256", 32}, {"kek-only", 32}, {"enc-only", 16}};
    for (const auto& [label, bytes] : sizes) {
        CK_OBJECT_HANDLE k = FindSecretKey(f_, s_, label);
        ASSERT_NE(k, CK_INVALID_HANDLE) << label;
        EXPECT_EQ(UlongAttribute(f_, s_, k, CKA_KEY_TYPE), CKK_AES) << label;
        EXPECT_EQ(UlongAttribute(f_, s_, k, CKA_VALUE_LEN), bytes) << label;
        EXPECT_TRUE(BoolAttribute(f_, s_, k, CKA_SENSITIVE)) << label;
        EXPECT_TRUE(BoolAttribute(f_, s_, k, CKA_ALWAYS_SENSITIVE)) << label;
        EXPECT_FALSE(BoolAttribute(f_, s_, k, CKA_EXTRACTABLE)) << label;
        EXPECT_TRUE(BoolAttribute(f_, s_, k, CKA_TOKEN)) << label;
        Bytes value(32);
        CK_ATTRIBUTE a = {CKA_VALUE, value.data(), static_cast<CK_ULONG>(value.size())};
        EXPECT_EQ(f_->C_GetAttributeValue(s_, k, &a, 1), CKR_ATTRIBUTE_SENSITIVE) << label;
    }
    CK_OBJECT_HANDLE kek = FindSecretKey(f_, s_, "kek-only");
    EXPECT_TRUE(BoolAttribute(f_, s_, kek, CKA_WRAP));
    EXPECT_TRUE(BoolAttribute(f_, s_, kek, CKA_UNWRAP));
    EXPECT_FALSE(BoolAttribute(f_, s_, kek, CKA_ENCRYPT));
    EXPECT_FALSE(BoolAttribute(f_, s_, kek, CKA_DECRYPT));
    CK_OBJECT_HANDLE enc = FindSecretKey(f_, s_, "enc-only");
    EXPECT_TRUE(BoolAttribute(f_, s_, enc, CKA_ENCRYPT));
    EXPECT_FALSE(BoolAttribute(f_, s_, enc, CKA_WRAP));
    // An operation the key's key_ops refuse never reaches the HSM.
    CK_BYTE iv[16] = {};
    CK_MECHANISM cbc = {CKM_AES_CBC_PAD, iv, sizeof iv};
    EXPECT_EQ(f_->C_EncryptInit(s_, &cbc, kek), CKR_KEY_FUNCTION_NOT_PERMITTED);

    CK_ULONG n = 0;
    ASSERT_EQ(f_->C_GetMechanismList(FirstSlot(f_), nullptr, &n), CKR_OK);
    std::vector<CK_MECHANISM_TYPE> mechs(n);
    ASSERT_EQ(f_->C_GetMechanismList(FirstSlot(f_), mechs.data(), &n), CKR_OK);
    for (CK_MECHANISM_TYPE t : {CKM_AES_GCM, CKM_AES_CBC_PAD, CKM_AES_KEY_WRAP, CKM_AES_KEY_GEN})
        EXPECT_EQ(std::count(mechs.begin(), mechs.end(), t), 1) << std::hex << t;
    CK_MECHANISM_INFO mi{};
    ASSERT_EQ(f_->C_GetMechanismInfo(FirstSlot(f_), CKM_AES_GCM, &mi), CKR_OK);
    EXPECT_EQ(mi.ulMinKeySize, 16u);
    EXPECT_EQ(mi.ulMaxKeySize, 32u);
}

class MhsmAesSizes : public MhsmAes, public testing::WithParamInterface<size_t> {};

TEST_P(MhsmAesSizes, GcmWithHsmIvMatchesOpenssl) {
    Bytes key = emu_test::random_bytes(GetParam());
    env_.ImportAesKey("gcm", key, kAllOps);
    Start();
    CK_OBJECT_HANDLE k = FindSecretKey(f_, s_, "gcm");
    env_.emu().ResetStats();

    Bytes plain = emu_test::random_bytes(1000), aad = emu_test::random_bytes(20);
    Bytes iv(12, 0);
    CK_GCM_PARAMS p = {iv.data(), 12, 96, aad.data(), aad.size(), 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof p};
    Bytes out;
    ASSERT_EQ(Encrypt(&m, k, plain, &out), CKR_OK);
    EXPECT_EQ(env_.OperationCount("encrypt"), 1) << "the length query must not reach the HSM";
    ASSERT_EQ(out.size(), plain.size() + 16);
    EXPECT_NE(iv, Bytes(12, 0)) << "the HSM's IV was not returned through pIv";
    Bytes ct(out.begin(), out.end() - 16), tag(out.end() - 16, out.end());
    EXPECT_EQ(OpensslGcm(false, key, iv, aad, ct, &tag), plain) << "OpenSSL disagrees";

    // The other way: OpenSSL encrypts with its own IV, the HSM decrypts.
    Bytes iv2 = emu_test::random_bytes(12), tag2;
    Bytes ct2 = OpensslGcm(true, key, iv2, aad, plain, &tag2);
    Bytes in = ct2;
    in.insert(in.end(), tag2.begin(), tag2.end());
    CK_GCM_PARAMS p2 = {iv2.data(), 12, 96, aad.data(), aad.size(), 128};
    CK_MECHANISM m2 = {CKM_AES_GCM, &p2, sizeof p2};
    Bytes back;
    ASSERT_EQ(Decrypt(&m2, k, in, &back), CKR_OK);
    EXPECT_EQ(back, plain);
    // A forged tag, or other AAD, is refused; nothing is returned.
    in.back() ^= 1;
    EXPECT_EQ(Decrypt(&m2, k, in, &back), CKR_ENCRYPTED_DATA_INVALID);
    in.back() ^= 1;
    Bytes other_aad = emu_test::random_bytes(20);
    p2.pAAD = other_aad.data();
    EXPECT_EQ(Decrypt(&m2, k, in, &back), CKR_ENCRYPTED_DATA_INVALID);
}

TEST_P(MhsmAesSizes, CbcPadSingleAndMultiPartMatchOpenssl) {
    Bytes key = emu_test::random_bytes(GetParam());
    env_.ImportAesKey("cbc", key, kAllOps);
    Start();
    CK_OBJECT_HANDLE k = FindSecretKey(f_, s_, "cbc");
    Bytes iv = emu_test::random_bytes(16);
    CK_MECHANISM m = {CKM_AES_CBC_PAD, iv.data(), 16};
    for (size_t n : {0u, 1u, 16u, 1000u, 4096u}) {
        Bytes plain = emu_test::random_bytes(n), ct;
        ASSERT_EQ(Encrypt(&m, k, plain, &ct), CKR_OK) << n;
        EXPECT_EQ(ct, OpensslCbcPad(true, key, iv, plain)) << n;
        Bytes back;
        ASSERT_EQ(Decrypt(&m, k, OpensslCbcPad(true, key, iv, plain), &back), CKR_OK) << n;
        EXPECT_EQ(back, plain) << n;
    }
    // Multi-part: buffered, one remote call at Final, same output as single-part.
    env_.emu().ResetStats();
    Bytes plain = emu_test::random_bytes(3000);
    ASSERT_EQ(f_->C_EncryptInit(s_, &m, k), CKR_OK);
    Bytes out(4096);
    CK_ULONG len = out.size();
    for (size_t off = 0; off < plain.size(); off += 1024) {
        CK_ULONG part = std::min<size_t>(1024, plain.size() - off);
        len = out.size();
        ASSERT_EQ(f_->C_EncryptUpdate(s_, plain.data() + off, part, out.data(), &len), CKR_OK);
        EXPECT_EQ(len, 0u);
    }
    EXPECT_EQ(env_.OperationCount("encrypt"), 0);
    len = 0;
    ASSERT_EQ(f_->C_EncryptFinal(s_, nullptr, &len), CKR_OK);
    EXPECT_EQ(len, 3008u);
    len = 100;
    EXPECT_EQ(f_->C_EncryptFinal(s_, out.data(), &len), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(env_.OperationCount("encrypt"), 0);
    len = out.size();
    ASSERT_EQ(f_->C_EncryptFinal(s_, out.data(), &len), CKR_OK);
    out.resize(len);
    EXPECT_EQ(out, OpensslCbcPad(true, key, iv, plain));
    EXPECT_EQ(env_.OperationCount("encrypt"), 1);

    ASSERT_EQ(f_->C_DecryptInit(s_, &m, k), CKR_OK);
    Bytes back(4096);
    len = back.size();
    ASSERT_EQ(f_->C_DecryptUpdate(s_, out.data(), 2000, back.data(), &len), CKR_OK);
    len = back.size();
    ASSERT_EQ(f_->C_DecryptUpdate(s_, out.data() + 2000, out.size() - 2000, back.data(), &len),
              CKR_OK);
    len = back.size();
    ASSERT_EQ(f_->C_DecryptFinal(s_, back.data(), &len), CKR_OK);
    back.resize(len);
    EXPECT_EQ(back, plain);
    // Beyond the buffering limit: refused, never truncated.
    Bytes big(64 * 1024 + 1);
    ASSERT_EQ(f_->C_EncryptInit(s_, &m, k), CKR_OK);
    len = 0;
    EXPECT_EQ(f_->C_EncryptUpdate(s_, big.data(), big.size(), nullptr, &len), CKR_DATA_LEN_RANGE);
}

TEST_P(MhsmAesSizes, KeyWrapOfSessionKeysMatchesOpenssl) {
    Bytes kek = emu_test::random_bytes(GetParam());
    env_.ImportAesKey("kek", kek, {"wrapKey", "unwrapKey"});
    Start();
    CK_OBJECT_HANDLE master = FindSecretKey(f_, s_, "kek");
    Bytes dek = emu_test::random_bytes(32);
    CK_OBJECT_HANDLE session_key = CreateSessionAesKey(f_, s_, dek);
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, nullptr, 0};
    CK_ULONG len = 0;
    ASSERT_EQ(f_->C_WrapKey(s_, &kw, master, session_key, nullptr, &len), CKR_OK);
    EXPECT_EQ(len, 40u);
    Bytes wrapped(len);
    ASSERT_EQ(f_->C_WrapKey(s_, &kw, master, session_key, wrapped.data(), &len), CKR_OK);
    EXPECT_EQ(wrapped, OpensslKeyWrap(true, kek, dek)) << "RFC 3394 is deterministic";

    Bytes theirs = OpensslKeyWrap(true, kek, emu_test::random_bytes(16));
    Bytes expected = OpensslKeyWrap(false, kek, theirs);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                           {CKA_KEY_TYPE, &type, sizeof type},
                           {CKA_SENSITIVE, &no, sizeof no},
                           {CKA_EXTRACTABLE, &yes, sizeof yes}};
    CK_OBJECT_HANDLE unwrapped = CK_INVALID_HANDLE;
    ASSERT_EQ(f_->C_UnwrapKey(s_, &kw, master, theirs.data(), theirs.size(), tmpl, 4, &unwrapped),
              CKR_OK);
    EXPECT_EQ(ReadValue(f_, s_, unwrapped), expected);
    EXPECT_EQ(UlongAttribute(f_, s_, unwrapped, CKA_VALUE_LEN), 16u);
    theirs[3] ^= 1;  // the integrity check fails in the HSM
    EXPECT_EQ(f_->C_UnwrapKey(s_, &kw, master, theirs.data(), theirs.size(), tmpl, 4, &unwrapped),
              CKR_WRAPPED_KEY_INVALID);
}

INSTANTIATE_TEST_SUITE_P(KeySizes, MhsmAesSizes, testing::Values(16u, 24u, 32u),
                         [](const testing::TestParamInfo<size_t>& i) {
                             return "aes" + std::to_string(i.param * 8);
                         });

TEST_F(MhsmAes, ParameterErrorsGetTheSpecCodesWithoutRemoteCalls) {
    env_.ImportAesKey("p", emu_test::random_bytes(32), kAllOps);
    Start();
    CK_OBJECT_HANDLE k = FindSecretKey(f_, s_, "p");
    env_.emu().ResetStats();
    Bytes iv(16), aad(8);
    auto gcm_init = [&](CK_ULONG iv_len, CK_ULONG tag_bits, bool encrypt) {
        CK_GCM_PARAMS p = {iv.data(), iv_len, iv_len * 8, aad.data(), aad.size(), tag_bits};
        CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof p};
        return encrypt ? f_->C_EncryptInit(s_, &m, k) : f_->C_DecryptInit(s_, &m, k);
    };
    EXPECT_EQ(gcm_init(12, 96, true), CKR_MECHANISM_PARAM_INVALID) << "tag bits != 128";
    EXPECT_EQ(gcm_init(12, 64, false), CKR_MECHANISM_PARAM_INVALID) << "tag bits != 128";
    EXPECT_EQ(gcm_init(16, 128, true), CKR_MECHANISM_PARAM_INVALID) << "HSM IVs are 12 bytes";
    EXPECT_EQ(gcm_init(8, 128, false), CKR_MECHANISM_PARAM_INVALID) << "wrong IV length";
    CK_MECHANISM gcm_no_params = {CKM_AES_GCM, nullptr, 0};
    EXPECT_EQ(f_->C_EncryptInit(s_, &gcm_no_params, k), CKR_MECHANISM_PARAM_INVALID);
    CK_MECHANISM cbc_no_iv = {CKM_AES_CBC_PAD, nullptr, 0};
    EXPECT_EQ(f_->C_EncryptInit(s_, &cbc_no_iv, k), CKR_MECHANISM_PARAM_INVALID) << "missing IV";
    CK_MECHANISM cbc_short_iv = {CKM_AES_CBC_PAD, iv.data(), 8};
    EXPECT_EQ(f_->C_DecryptInit(s_, &cbc_short_iv, k), CKR_MECHANISM_PARAM_INVALID);
    CK_MECHANISM kw_iv = {CKM_AES_KEY_WRAP, iv.data(), 8};
    CK_OBJECT_HANDLE odd = CreateSessionAesKey(f_, s_, emu_test::random_bytes(16));
    CK_ULONG len = 0;
    EXPECT_EQ(f_->C_WrapKey(s_, &kw_iv, k, odd, nullptr, &len), CKR_MECHANISM_PARAM_INVALID);

    // Unsupported key sizes.
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, nullptr, 0};
    CK_ULONG bad_len = 20;
    std::string label = "bad-size";
    CK_ATTRIBUTE tmpl[] = {{CKA_VALUE_LEN, &bad_len, sizeof bad_len},
                           {CKA_LABEL, label.data(), static_cast<CK_ULONG>(label.size())}};
    CK_OBJECT_HANDLE made = CK_INVALID_HANDLE;
    EXPECT_EQ(f_->C_GenerateKey(s_, &gen, tmpl, 2, &made), CKR_KEY_SIZE_RANGE);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE generic = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    Bytes twenty = emu_test::random_bytes(20);
    CK_ATTRIBUTE secret[] = {{CKA_CLASS, &cls, sizeof cls},
                             {CKA_KEY_TYPE, &generic, sizeof generic},
                             {CKA_SENSITIVE, &no, sizeof no},
                             {CKA_EXTRACTABLE, &yes, sizeof yes},
                             {CKA_VALUE, twenty.data(), 20}};
    CK_OBJECT_HANDLE s20 = CK_INVALID_HANDLE;
    ASSERT_EQ(f_->C_CreateObject(s_, secret, 5, &s20), CKR_OK);
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, nullptr, 0};
    EXPECT_EQ(f_->C_WrapKey(s_, &kw, k, s20, nullptr, &len), CKR_KEY_SIZE_RANGE);
    // A session key is not an HSM key: AES mechanisms run in the HSM only.
    CK_MECHANISM cbc = {CKM_AES_CBC_PAD, iv.data(), 16};
    EXPECT_EQ(f_->C_EncryptInit(s_, &cbc, s20), CKR_KEY_TYPE_INCONSISTENT);
    // GCM input shorter than the tag.
    CK_GCM_PARAMS p = {iv.data(), 12, 96, nullptr, 0, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof p};
    ASSERT_EQ(f_->C_DecryptInit(s_, &m, k), CKR_OK);
    Bytes out(32);
    len = out.size();
    EXPECT_EQ(f_->C_Decrypt(s_, iv.data(), 10, out.data(), &len), CKR_ENCRYPTED_DATA_LEN_RANGE);
    auto ops = env_.emu().Stats()["operations"];
    EXPECT_EQ(ops.value("encrypt", 0) + ops.value("decrypt", 0) + ops.value("wrapKey", 0) +
                  ops.value("create", 0),
              0)
        << ops.dump();
}

TEST_F(MhsmAes, GenerateKeyCreatesAnOctHsmKeyNamedByTheLabel) {
    Start();
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, nullptr, 0};
    CK_ULONG len = 24;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    std::string label = "table-master";
    CK_ATTRIBUTE tmpl[] = {{CKA_VALUE_LEN, &len, sizeof len},
                           {CKA_TOKEN, &yes, sizeof yes},
                           {CKA_ENCRYPT, &no, sizeof no},
                           {CKA_DECRYPT, &no, sizeof no},
                           {CKA_LABEL, label.data(), static_cast<CK_ULONG>(label.size())}};
    CK_OBJECT_HANDLE k = CK_INVALID_HANDLE;
    ASSERT_EQ(f_->C_GenerateKey(s_, &gen, tmpl, 5, &k), CKR_OK);
    nlohmann::json made = env_.GetKey(label);
    ASSERT_TRUE(made.contains("key")) << "the HSM has no key " << label;
    EXPECT_EQ(made["key"]["kty"], "oct-HSM");
    EXPECT_EQ(made["key"]["key_ops"], nlohmann::json({"wrapKey", "unwrapKey"}));
    EXPECT_EQ(UlongAttribute(f_, s_, k, CKA_VALUE_LEN), 24u);
    EXPECT_TRUE(BoolAttribute(f_, s_, k, CKA_WRAP));
    EXPECT_FALSE(BoolAttribute(f_, s_, k, CKA_ENCRYPT));
    EXPECT_EQ(FindSecretKey(f_, s_, label), k);
    // Usable at once; the size came from the request, not from a probe.
    env_.emu().ResetStats();
    Bytes dek = emu_test::random_bytes(32);
    CK_OBJECT_HANDLE sk = CreateSessionAesKey(f_, s_, dek);
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, nullptr, 0};
    Bytes wrapped(40);
    CK_ULONG wlen = wrapped.size();
    ASSERT_EQ(f_->C_WrapKey(s_, &kw, k, sk, wrapped.data(), &wlen), CKR_OK);
    EXPECT_EQ(env_.OperationCount("wrapKey"), 1);
}

TEST_F(MhsmAes, GenerateRandomUsesTheHsmRngInBatchesOf128) {
    Start();
    env_.emu().ResetStats();
    Bytes a(300), b(300);
    ASSERT_EQ(f_->C_GenerateRandom(s_, a.data(), a.size()), CKR_OK);
    EXPECT_EQ(env_.OperationCount("rng"), 3);  // 128 + 128 + 44
    ASSERT_EQ(f_->C_GenerateRandom(s_, b.data(), b.size()), CKR_OK);
    EXPECT_NE(a, b);
    EXPECT_NE(Bytes(a.end() - 44, a.end()), Bytes(44, 0)) << "the last batch was not filled";
    ASSERT_EQ(f_->C_GenerateRandom(s_, a.data(), 0), CKR_OK);
    EXPECT_EQ(env_.OperationCount("rng"), 6);
}

// Envelope encryption as a TDE product runs it: table keys wrapped and unwrapped with the HSM
// master key from 8 threads, each with its own session.
TEST_F(MhsmAes, EnvelopeEncryptionOf1000TableKeysAcross8Threads) {
    Bytes master_bytes = emu_test::random_bytes(32);
    env_.ImportAesKey("tde-master", master_bytes, {"wrapKey", "unwrapKey"});
    Start();
    CK_OBJECT_HANDLE master = FindSecretKey(f_, s_, "tde-master");
    env_.emu().ResetStats();
    constexpr int kThreads = 8, kKeys = 1000;
    std::atomic<int> ok{0}, checked_with_openssl{0};
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            CK_SESSION_HANDLE s = OpenRwSession(f_);
            CK_MECHANISM kw = {CKM_AES_KEY_WRAP, nullptr, 0};
            CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
            CK_KEY_TYPE type = CKK_AES;
            CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
            CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                                   {CKA_KEY_TYPE, &type, sizeof type},
                                   {CKA_SENSITIVE, &no, sizeof no},
                                   {CKA_EXTRACTABLE, &yes, sizeof yes}};
            for (int i = t; i < kKeys; i += kThreads) {
                Bytes table_key = emu_test::random_bytes(32);
                CK_OBJECT_HANDLE sk = CreateSessionAesKey(f_, s, table_key);
                Bytes wrapped(40);
                CK_ULONG len = wrapped.size();
                if (f_->C_WrapKey(s, &kw, master, sk, wrapped.data(), &len) != CKR_OK)
                    continue;
                if (i % 50 == 0 && wrapped == OpensslKeyWrap(true, master_bytes, table_key))
                    ++checked_with_openssl;
                CK_OBJECT_HANDLE back = CK_INVALID_HANDLE;
                if (f_->C_UnwrapKey(s, &kw, master, wrapped.data(), len, tmpl, 4, &back) != CKR_OK)
                    continue;
                if (ReadValue(f_, s, back) == table_key)
                    ++ok;
                f_->C_DestroyObject(s, sk);
                f_->C_DestroyObject(s, back);
            }
            f_->C_CloseSession(s);
        });
    }
    for (auto& th : threads)
        th.join();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(ok.load(), kKeys);
    EXPECT_EQ(checked_with_openssl.load(), kKeys / 50);
    EXPECT_EQ(env_.OperationCount("wrapKey"), kKeys);
    EXPECT_EQ(env_.OperationCount("unwrapKey"), kKeys);
    EXPECT_LT(seconds, 60.0);
    RecordProperty("envelope_seconds", std::to_string(seconds));
    std::printf("envelope: %d table keys wrapped+unwrapped in %.2f s (8 threads)\n", kKeys,
                seconds);
}

}  // namespace
}  // namespace p11_test
