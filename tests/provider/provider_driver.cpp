// Drives azkv.so through the public OpenSSL API the way servers do, for the shell tests:
//   provider_driver URI fork N      load the key, fork N children that each sign and verify
//   provider_driver URI threads N   N threads signing at once through EVP_DigestSign
//   provider_driver URI tls-decrypt RSA_PKCS1_WITH_TLS_PADDING: a good premaster comes back
//                                   intact; bad ciphertexts give random 48-byte secrets, no error
//   provider_driver URI keymgmt CERT OTHER_CERT
//                                   the key's parameters equal its public half's (as libssl reads
//                                   them), X509_check_private_key and SSL_CTX_check_private_key
//                                   accept CERT and refuse OTHER_CERT, and the private key cannot
//                                   be exported
// Signatures are verified with the public key in the default provider, not through azkv.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

EVP_PKEY* LoadKey(const char* uri) {
    OSSL_STORE_CTX* store = OSSL_STORE_open(uri, nullptr, nullptr, nullptr, nullptr);
    EVP_PKEY* key = nullptr;
    while (store != nullptr && key == nullptr && !OSSL_STORE_eof(store)) {
        OSSL_STORE_INFO* info = OSSL_STORE_load(store);
        if (info != nullptr && OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
            key = OSSL_STORE_INFO_get1_PKEY(info);
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    return key;
}

// The public half, re-decoded in the default provider.
EVP_PKEY* PublicCopy(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key, &der);
    const unsigned char* p = der;
    EVP_PKEY* pub =
        len > 0 ? d2i_PUBKEY_ex(nullptr, &p, len, nullptr, "provider=default") : nullptr;
    OPENSSL_free(der);
    return pub;
}

bool SignAndVerify(EVP_PKEY* key, EVP_PKEY* pub, const std::string& message) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    std::vector<unsigned char> sig;
    bool ok = EVP_DigestSignInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, key, nullptr) == 1 &&
              EVP_DigestSign(ctx, nullptr, &len, nullptr, 0) == 1;
    if (ok) {
        sig.resize(len);
        ok = EVP_DigestSign(ctx, sig.data(), &len,
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
    }
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return false;
    ctx = EVP_MD_CTX_new();
    ok = EVP_DigestVerifyInit_ex(ctx, nullptr, "SHA256", nullptr, "provider=default", pub,
                                 nullptr) == 1 &&
         EVP_DigestVerify(ctx, sig.data(), len,
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

int Fork(EVP_PKEY* key, EVP_PKEY* pub, int n) {
    if (!SignAndVerify(key, pub, "parent"))  // the parent has live connections when it forks
        return 1;
    std::vector<pid_t> children;
    for (int i = 0; i < n; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            bool ok = SignAndVerify(key, pub, "child " + std::to_string(i)) &&
                      SignAndVerify(key, pub, "child again " + std::to_string(i));
            if (!ok)
                ERR_print_errors_fp(stderr);
            _exit(ok ? 0 : 1);
        }
        children.push_back(pid);
    }
    int failures = 0;
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            ++failures;
    }
    std::printf("fork: %d of %d children signed\n", n - failures, n);
    return failures == 0 && SignAndVerify(key, pub, "parent after") ? 0 : 1;
}

int Threads(EVP_PKEY* key, EVP_PKEY* pub, int n) {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            for (int j = 0; j < 4; ++j) {
                if (!SignAndVerify(key, pub,
                                   "thread " + std::to_string(i) + "/" + std::to_string(j)))
                    ++failures;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    std::printf("threads: %d signatures, %d failed\n", n * 4, failures.load());
    return failures == 0 ? 0 : 1;
}

bool TlsDecrypt(EVP_PKEY* key, const std::vector<unsigned char>& ct, unsigned int version,
                unsigned char out[48]) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    size_t len = 48;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &version),
        OSSL_PARAM_construct_end()};
    bool ok = EVP_PKEY_decrypt_init(ctx) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_WITH_TLS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_params(ctx, params) == 1 &&
              EVP_PKEY_decrypt(ctx, out, &len, ct.data(), ct.size()) == 1 && len == 48;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

std::vector<unsigned char> Encrypt(EVP_PKEY* pub, const unsigned char* pt, size_t ptlen) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pub, "provider=default");
    size_t len = static_cast<size_t>(EVP_PKEY_get_size(pub));
    std::vector<unsigned char> ct(len);
    if (EVP_PKEY_encrypt_init(ctx) != 1 || EVP_PKEY_encrypt(ctx, ct.data(), &len, pt, ptlen) != 1)
        ct.clear();
    EVP_PKEY_CTX_free(ctx);
    return ct;
}

int TlsDecryptTest(EVP_PKEY* key, EVP_PKEY* pub) {
    const unsigned int kTls12 = 0x0303;
    unsigned char premaster[48];
    RAND_bytes(premaster, sizeof(premaster));
    premaster[0] = 0x03;
    premaster[1] = 0x03;
    unsigned char out[48], out2[48];
    int failures = 0;
    auto expect = [&](bool cond, const char* what) {
        std::printf("%s: %s\n", cond ? "PASS" : "FAIL", what);
        failures += cond ? 0 : 1;
    };
    auto good = Encrypt(pub, premaster, sizeof(premaster));
    expect(TlsDecrypt(key, good, kTls12, out) && std::memcmp(out, premaster, 48) == 0,
           "a valid premaster decrypts to itself");
    premaster[1] = 0x01;  // a version rollback
    auto rolled = Encrypt(pub, premaster, sizeof(premaster));
    expect(TlsDecrypt(key, rolled, kTls12, out) && std::memcmp(out, premaster, 48) != 0,
           "a wrong client version gives a random premaster, no error");
    auto short_pt = Encrypt(pub, premaster, 20);
    expect(TlsDecrypt(key, short_pt, kTls12, out) && TlsDecrypt(key, short_pt, kTls12, out2) &&
               std::memcmp(out, out2, 48) != 0,
           "a wrong length gives a fresh random premaster each time, no error");
    std::vector<unsigned char> garbage(good.size());
    RAND_bytes(garbage.data(), static_cast<int>(garbage.size()));
    garbage[0] = 0;
    expect(TlsDecrypt(key, garbage, kTls12, out) && ERR_peek_error() == 0,
           "garbage gives a random premaster and leaves no error on the queue");
    return failures == 0 ? 0 : 1;
}

X509* ReadCert(const char* path) {
    FILE* f = std::fopen(path, "r");
    X509* cert = f != nullptr ? PEM_read_X509(f, nullptr, nullptr, nullptr) : nullptr;
    if (f != nullptr)
        std::fclose(f);
    return cert;
}

std::string IntParams(EVP_PKEY* key) {
    char digest[64] = "";
    EVP_PKEY_get_default_digest_name(key, digest, sizeof(digest));
    return "bits=" + std::to_string(EVP_PKEY_get_bits(key)) +
           " security-bits=" + std::to_string(EVP_PKEY_get_security_bits(key)) +
           " max-size=" + std::to_string(EVP_PKEY_get_size(key)) + " default-digest=" + digest;
}

std::string PublicParams(EVP_PKEY* key) {
    std::string out;
    for (const char* name : {OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E}) {
        BIGNUM* bn = nullptr;
        if (EVP_PKEY_get_bn_param(key, name, &bn) == 1) {
            char* hex = BN_bn2hex(bn);
            out += std::string(name) + "=" + hex + " ";
            OPENSSL_free(hex);
        }
        BN_free(bn);
    }
    char group[64] = "";
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       nullptr) == 1)
        out += std::string("group=") + group + " ";
    unsigned char pub[1024];
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &len) ==
        1) {
        out += "pub=";
        for (size_t i = 0; i < len; ++i) {
            char hex[3];
            std::snprintf(hex, sizeof(hex), "%02x", pub[i]);
            out += hex;
        }
    }
    return out;
}

bool SslCheck(X509* cert, EVP_PKEY* key) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    bool ok = ctx != nullptr && SSL_CTX_use_certificate(ctx, cert) == 1 &&
              SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

int KeymgmtTest(EVP_PKEY* key, EVP_PKEY* pub, const char* cert_path, const char* other_path) {
    int failures = 0;
    auto expect = [&](bool cond, const std::string& what) {
        std::printf("%s: %s\n", cond ? "PASS" : "FAIL", what.c_str());
        failures += cond ? 0 : 1;
    };
    const OSSL_PROVIDER* owner = EVP_PKEY_get0_provider(key);
    expect(owner != nullptr && std::strcmp(OSSL_PROVIDER_get0_name(owner), "azkv") == 0,
           "the vault key is held by azkv");
    expect(EVP_PKEY_is_a(key, EVP_PKEY_is_a(pub, "RSA") ? "RSA" : "EC") == 1,
           "EVP_PKEY_is_a answers OpenSSL's standard name");
    expect(IntParams(key) == IntParams(pub), "bits, security bits, max size, default digest: " +
                                                 IntParams(key) + " / " + IntParams(pub));
    std::string mine = PublicParams(key);
    expect(!mine.empty() && mine == PublicParams(pub), "n/e or group/pub equal the public half's");
    expect(EVP_PKEY_can_sign(key) == 1, "EVP_PKEY_can_sign");
    expect(EVP_PKEY_eq(key, pub) == 1, "EVP_PKEY_eq with its public half");
    X509* cert = ReadCert(cert_path);
    X509* other = ReadCert(other_path);
    expect(cert != nullptr && X509_check_private_key(cert, key) == 1,
           "X509_check_private_key accepts its certificate");
    expect(other != nullptr && X509_check_private_key(other, key) != 1,
           "X509_check_private_key refuses another key's certificate");
    ERR_clear_error();
    expect(cert != nullptr && SslCheck(cert, key), "SSL_CTX_check_private_key accepts it");
    expect(other != nullptr && !SslCheck(other, key), "SSL_CTX_check_private_key refuses another");
    X509_free(cert);
    X509_free(other);
    unsigned char* der = nullptr;
    int len = i2d_PrivateKey(key, &der);
    OPENSSL_free(der);
    ERR_clear_error();
    expect(len <= 0, "the private key does not export (i2d_PrivateKey)");
    EVP_PKEY* dup = EVP_PKEY_dup(key);
    expect(dup != nullptr && EVP_PKEY_eq(dup, pub) == 1 && SignAndVerify(dup, pub, "dup"),
           "EVP_PKEY_dup yields a key that still signs in the vault");
    EVP_PKEY_free(dup);
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: %s URI fork|threads N | tls-decrypt | keymgmt CERT OTHER_CERT\n",
                     argv[0]);
        return 2;
    }
    EVP_PKEY* key = LoadKey(argv[1]);
    EVP_PKEY* pub = key != nullptr ? PublicCopy(key) : nullptr;
    if (pub == nullptr) {
        std::fprintf(stderr, "cannot load %s\n", argv[1]);
        ERR_print_errors_fp(stderr);
        return 1;
    }
    std::string mode = argv[2];
    int n = argc > 3 ? std::atoi(argv[3]) : 4;
    int rc = mode == "fork"                  ? Fork(key, pub, n)
             : mode == "threads"             ? Threads(key, pub, n)
             : mode == "tls-decrypt"         ? TlsDecryptTest(key, pub)
             : mode == "keymgmt" && argc > 4 ? KeymgmtTest(key, pub, argv[3], argv[4])
                                             : 2;
    if (rc != 0)
        ERR_print_errors_fp(stderr);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(key);
    return rc;
}
