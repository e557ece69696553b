// Certificates: self-signed create, the CSR + merge flow, PEM/PFX import, get/list/versions and
// the secret holding the chain. Certificates, CSRs and PFX files are parsed and verified with
// OpenSSL in the test; signatures made through the certificate's kid are verified against the
// certificate's own public key.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <set>

#include "emu_test_util.h"

namespace emu_test {
namespace {

using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

Bytes unb64std(const std::string& s) {
    EXPECT_EQ(s.find_first_of("-_"), std::string::npos) << "expected standard base64";
    EXPECT_EQ(s.size() % 4, 0u) << "expected padded base64";
    Bytes out(s.size() / 4 * 3 + 3);
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()),
                            static_cast<int>(s.size()));
    EXPECT_GE(n, 0);
    size_t pad = s.size() >= 2 ? (s[s.size() - 1] == '=') + (s[s.size() - 2] == '=') : 0;
    out.resize(static_cast<size_t>(std::max(n, 0)) - pad);
    return out;
}

std::string b64std(const Bytes& b) {
    std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(),
                            static_cast<int>(b.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

Cert cert_from(const Bytes& der) {
    const unsigned char* p = der.data();
    return Cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
}

Bytes der_of(X509* c) {
    int n = i2d_X509(c, nullptr);
    Bytes out(static_cast<size_t>(n));
    unsigned char* p = out.data();
    i2d_X509(c, &p);
    return out;
}

std::string subject_of(X509* c) {
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(c), buf, sizeof buf);
    return buf;
}

std::vector<Cert> certs_in_pem(const std::string& pem) {
    std::vector<Cert> out;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    while (X509* c = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr))
        out.emplace_back(c, X509_free);
    BIO_free(bio);
    ERR_clear_error();
    return out;
}

// A test-side CA (independent of the emulator) and leaf certificates it issues.
struct TestCa {
    PKey key{EVP_EC_gen("P-256"), EVP_PKEY_free};
    Cert cert{X509_new(), X509_free};

    TestCa() {
        X509_set_version(cert.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
        X509_NAME* n = X509_get_subject_name(cert.get());
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("Test CA"), -1, -1, 0);
        X509_set_issuer_name(cert.get(), n);
        X509_set_pubkey(cert.get(), key.get());
        X509_sign(cert.get(), key.get(), EVP_sha256());
    }
    Cert issue(X509_NAME* subject, EVP_PKEY* pub, long serial) {
        Cert c(X509_new(), X509_free);
        X509_set_version(c.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial);
        X509_gmtime_adj(X509_getm_notBefore(c.get()), -60);
        X509_gmtime_adj(X509_getm_notAfter(c.get()), 86400 * 30);
        X509_set_subject_name(c.get(), subject);
        X509_set_issuer_name(c.get(), X509_get_subject_name(cert.get()));
        X509_set_pubkey(c.get(), pub);
        X509_sign(c.get(), key.get(), EVP_sha256());
        return c;
    }
};

class CertsTest : public EmulatorSuite {
protected:
    static nlohmann::json policy(const nlohmann::json& key_props, const std::string& issuer,
                                 const std::string& content_type) {
        return {{"key_props", key_props},
                {"secret_props", {{"contentType", content_type}}},
                {"x509_props",
                 {{"subject", "CN=web.example, O=Contoso"},
                  {"sans", {{"dns_names", {"web.example", "www.web.example"}}}},
                  {"ekus", {"1.3.6.1.5.5.7.3.1"}},
                  {"key_usage", {"digitalSignature"}},
                  {"validity_months", 6}}},
                {"issuer", {{"name", issuer}}}};
    }
    static nlohmann::json create(const std::string& name, const nlohmann::json& pol) {
        auto r = call("POST", "demo", "/certificates/" + name + "/create", {{"policy", pol}});
        EXPECT_EQ(r.status, 202) << r.body;
        return r.Json();
    }
    static std::string path_of(const std::string& url) {
        return url.substr(emu().Vault("demo").url.size());
    }
};

TEST_F(CertsTest, SelfSignedHsmCertificateBundleKeyAndSecret) {
    std::string name = unique_name("c");
    auto op = create(name, policy({{"kty", "RSA-HSM"}, {"key_size", 2048}, {"exportable", false}},
                                  "Self", "application/x-pem-file"));
    EXPECT_EQ(op["status"], "completed");
    EXPECT_EQ(op["issuer"]["name"], "Self");
    EXPECT_EQ(op["id"], emu().Vault("demo").url + "/certificates/" + name + "/pending");
    Bytes csr_der = unb64std(op["csr"]);
    const unsigned char* p = csr_der.data();
    X509_REQ* csr = d2i_X509_REQ(nullptr, &p, static_cast<long>(csr_der.size()));
    ASSERT_NE(csr, nullptr);
    EXPECT_EQ(X509_REQ_verify(csr, X509_REQ_get0_pubkey(csr)), 1);
    X509_REQ_free(csr);

    auto pending = call("GET", "demo", "/certificates/" + name + "/pending");
    ASSERT_EQ(pending.status, 200);
    EXPECT_EQ(pending.Json()["status"], "completed");
    EXPECT_EQ(pending.Json()["target"], emu().Vault("demo").url + "/certificates/" + name);

    auto got = call("GET", "demo", "/certificates/" + name);
    ASSERT_EQ(got.status, 200) << got.body;
    auto b = got.Json();
    std::string id = b["id"], kid = b["kid"], sid = b["sid"];
    std::string version = id.substr(id.rfind('/') + 1);
    EXPECT_EQ(version.size(), 32u);
    EXPECT_EQ(kid, emu().Vault("demo").url + "/keys/" + name + "/" + version);
    EXPECT_EQ(sid, emu().Vault("demo").url + "/secrets/" + name + "/" + version);
    EXPECT_FALSE(b.contains("x5c"));
    Bytes der = unb64std(b["cer"]);
    Cert leaf = cert_from(der);
    ASSERT_NE(leaf, nullptr);
    // Self-signed by the certificate's own key, checked by OpenSSL.
    EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(leaf.get())), 1);
    EXPECT_EQ(subject_of(leaf.get()), "/CN=web.example/O=Contoso");
    unsigned char sha1[20];
    unsigned int n = 0;
    EVP_Digest(der.data(), der.size(), sha1, &n, EVP_sha1(), nullptr);
    EXPECT_EQ(b["x5t"], b64url(Bytes(sha1, sha1 + n)));
    auto* sans = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr));
    ASSERT_NE(sans, nullptr);
    EXPECT_EQ(sk_GENERAL_NAME_num(sans), 2);
    GENERAL_NAMES_free(sans);
    EXPECT_EQ(X509_get_extended_key_usage(leaf.get()), static_cast<uint32_t>(XKU_SSL_SERVER));
    int64_t nbf = b["attributes"]["nbf"], exp = b["attributes"]["exp"];
    EXPECT_NEAR(static_cast<double>(exp - nbf), 6 * 30.4 * 86400, 4 * 86400);
    EXPECT_EQ(b["policy"]["key_props"]["kty"], "RSA-HSM");
    EXPECT_EQ(b["policy"]["key_props"]["exportable"], false);
    EXPECT_EQ(b["policy"]["issuer"]["name"], "Self");
    EXPECT_EQ(b["policy"]["secret_props"]["contentType"], "application/x-pem-file");

    // The certificate's key is a managed HSM key with the same name and version.
    auto key = call("GET", "demo", path_of(kid));
    ASSERT_EQ(key.status, 200);
    EXPECT_EQ(key.Json()["key"]["kty"], "RSA-HSM");
    EXPECT_EQ(key.Json()["managed"], true);
    PKey pub = pkey_from_jwk(key.Json()["key"]);
    EXPECT_EQ(EVP_PKEY_eq(pub.get(), X509_get0_pubkey(leaf.get())), 1);
    // A TLS server signs through the kid; the certificate's public key verifies it.
    Bytes digest = sha("256", "tls handshake transcript");
    auto sig =
        call("POST", "demo", path_of(kid) + "/sign", {{"alg", "PS256"}, {"value", b64url(digest)}});
    ASSERT_EQ(sig.status, 200);
    Bytes s = unb64url(sig.Json()["value"]);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(leaf.get()), nullptr);
    EVP_PKEY_verify_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32);
    EXPECT_EQ(EVP_PKEY_verify(ctx, s.data(), s.size(), digest.data(), digest.size()), 1);
    EVP_PKEY_CTX_free(ctx);

    // The secret: the chain as PEM, no private key (HSM keys never leave the HSM).
    auto secret = call("GET", "demo", path_of(sid));
    ASSERT_EQ(secret.status, 200) << secret.body;
    auto sj = secret.Json();
    EXPECT_EQ(sj["contentType"], "application/x-pem-file");
    EXPECT_EQ(sj["kid"], kid);
    EXPECT_EQ(sj["id"], sid);
    EXPECT_EQ(sj["managed"], true);
    std::string pem = sj["value"];
    EXPECT_EQ(pem.find("PRIVATE KEY"), std::string::npos);
    auto chain = certs_in_pem(pem);
    ASSERT_EQ(chain.size(), 1u);
    EXPECT_EQ(der_of(chain[0].get()), der);
    EXPECT_EQ(call("GET", "demo", "/secrets/" + name).status, 200);  // latest
}

TEST_F(CertsTest, ExportableSoftwareKeyPfxSecretHoldsTheKey) {
    std::string name = unique_name("c");
    create(name, policy({{"kty", "RSA"}, {"key_size", 3072}, {"exportable", true}}, "Self",
                        "application/x-pkcs12"));
    auto b = call("GET", "demo", "/certificates/" + name).Json();
    auto secret = call("GET", "demo", path_of(b["sid"])).Json();
    EXPECT_EQ(secret["contentType"], "application/x-pkcs12");
    Bytes pfx = unb64std(secret["value"]);
    const unsigned char* p = pfx.data();
    PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(pfx.size()));
    ASSERT_NE(p12, nullptr);
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    ASSERT_EQ(PKCS12_parse(p12, "", &key, &cert, nullptr), 1);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(EVP_PKEY_get_bits(key), 3072);
    EXPECT_EQ(X509_check_private_key(cert, key), 1);
    EXPECT_EQ(der_of(cert), unb64std(b["cer"]));
    EVP_PKEY_free(key);
    X509_free(cert);
    PKCS12_free(p12);
    EXPECT_EQ(call("GET", "demo", path_of(b["kid"])).Json()["key"]["kty"], "RSA");
}

TEST_F(CertsTest, EcCertificatesOnEveryCurve) {
    for (auto crv : {"P-256", "P-256K", "P-384", "P-521"}) {
        std::string name = unique_name("ec");
        create(name, policy({{"kty", "EC-HSM"}, {"crv", crv}, {"exportable", false}}, "Self",
                            "application/x-pem-file"));
        auto b = call("GET", "demo", "/certificates/" + name).Json();
        Cert leaf = cert_from(unb64std(b["cer"]));
        ASSERT_NE(leaf, nullptr) << crv;
        EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(leaf.get())), 1) << crv;
        EXPECT_EQ(b["policy"]["key_props"]["crv"], crv);
        auto key = call("GET", "demo", path_of(b["kid"])).Json()["key"];
        EXPECT_EQ(key["kty"], "EC-HSM");
        EXPECT_EQ(key["crv"], crv);
    }
}

TEST_F(CertsTest, PendingCsrThenMergeWithExternalCa) {
    std::string name = unique_name("csr");
    auto op = create(name, policy({{"kty", "EC-HSM"}, {"crv", "P-256"}, {"exportable", false}},
                                  "Unknown", "application/x-pem-file"));
    EXPECT_EQ(op["status"], "inProgress");
    EXPECT_EQ(call("GET", "demo", "/certificates/" + name).status, 404);
    auto pending = call("GET", "demo", "/certificates/" + name + "/pending").Json();
    EXPECT_EQ(pending["status"], "inProgress");
    Bytes csr_der = unb64std(pending["csr"]);
    const unsigned char* p = csr_der.data();
    X509_REQ* csr = d2i_X509_REQ(nullptr, &p, static_cast<long>(csr_der.size()));
    ASSERT_NE(csr, nullptr);
    EXPECT_EQ(X509_REQ_verify(csr, X509_REQ_get0_pubkey(csr)), 1);  // signed by the HSM key

    TestCa ca;
    // A certificate for some other key is refused.
    PKey other(EVP_EC_gen("P-256"), EVP_PKEY_free);
    Cert wrong = ca.issue(X509_REQ_get_subject_name(csr), other.get(), 7);
    auto bad = call("POST", "demo", "/certificates/" + name + "/pending/merge",
                    {{"x5c", {b64std(der_of(wrong.get()))}}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.Json()["error"]["code"], "BadParameter");
    EXPECT_EQ(call("POST", "demo", "/certificates/" + name + "/pending/merge",
                   {{"x5c", {"bm90IGEgY2VydA=="}}})
                  .status,
              400);

    Cert leaf = ca.issue(X509_REQ_get_subject_name(csr), X509_REQ_get0_pubkey(csr), 8);
    X509_REQ_free(csr);
    auto merged = call("POST", "demo", "/certificates/" + name + "/pending/merge",
                       {{"x5c", {b64std(der_of(leaf.get())), b64std(der_of(ca.cert.get()))}}});
    ASSERT_EQ(merged.status, 201) << merged.body;
    auto b = merged.Json();
    EXPECT_EQ(unb64std(b["cer"]), der_of(leaf.get()));
    EXPECT_EQ(call("GET", "demo", "/certificates/" + name + "/pending").Json()["status"],
              "completed");
    auto chain = certs_in_pem(call("GET", "demo", path_of(b["sid"])).Json()["value"]);
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(der_of(chain[0].get()), der_of(leaf.get()));
    EXPECT_EQ(X509_verify(chain[0].get(), X509_get0_pubkey(chain[1].get())), 1);
    // Nothing left to merge.
    EXPECT_EQ(call("POST", "demo", "/certificates/" + name + "/pending/merge",
                   {{"x5c", {b64std(der_of(leaf.get()))}}})
                  .status,
              404);
    // The merged certificate's kid signs; the CA-issued certificate's key verifies.
    Bytes digest = sha("256", "merged");
    auto sig = call("POST", "demo", path_of(b["kid"]) + "/sign",
                    {{"alg", "ES256"}, {"value", b64url(digest)}});
    ASSERT_EQ(sig.status, 200);
    EXPECT_EQ(unb64url(sig.Json()["value"]).size(), 64u);
}

std::string pem_of_key(EVP_PKEY* k) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
    char* d = nullptr;
    long n = BIO_get_mem_data(bio, &d);
    std::string out(d, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
}

std::string pem_of_cert(X509* c) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, c);
    char* d = nullptr;
    long n = BIO_get_mem_data(bio, &d);
    std::string out(d, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
}

TEST_F(CertsTest, ImportPemAndPfx) {
    TestCa ca;
    PKey key(EVP_RSA_gen(2048), EVP_PKEY_free);
    X509_NAME* subj = X509_NAME_new();
    X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("imported"), -1, -1, 0);
    Cert leaf = ca.issue(subj, key.get(), 42);
    X509_NAME_free(subj);

    // PEM with the CA first: the emulator puts the leaf (the key's certificate) first.
    std::string name = unique_name("imp");
    std::string pem = pem_of_cert(ca.cert.get()) + pem_of_key(key.get()) + pem_of_cert(leaf.get());
    auto r = call("POST", "demo", "/certificates/" + name + "/import",
                  {{"value", pem},
                   {"policy",
                    {{"key_props", {{"kty", "RSA-HSM"}, {"exportable", false}}},
                     {"secret_props", {{"contentType", "application/x-pem-file"}}}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto b = r.Json();
    EXPECT_EQ(unb64std(b["cer"]), der_of(leaf.get()));
    EXPECT_EQ(b["policy"]["x509_props"]["subject"], "CN=imported");
    auto k = call("GET", "demo", path_of(b["kid"])).Json();
    EXPECT_EQ(k["key"]["kty"], "RSA-HSM");
    PKey pub = pkey_from_jwk(k["key"]);
    EXPECT_EQ(EVP_PKEY_eq(pub.get(), key.get()), 1);
    auto secret = call("GET", "demo", path_of(b["sid"])).Json();
    auto chain = certs_in_pem(secret["value"]);
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(der_of(chain[0].get()), der_of(leaf.get()));
    EXPECT_EQ(secret["value"].get<std::string>().find("PRIVATE KEY"), std::string::npos);

    // PFX with a password; a software key, exportable by default.
    STACK_OF(X509)* cas = sk_X509_new_null();
    sk_X509_push(cas, ca.cert.get());
    PKCS12* p12 = PKCS12_create("s3cret", nullptr, key.get(), leaf.get(), cas, 0, 0, 0, 0, 0);
    sk_X509_free(cas);
    ASSERT_NE(p12, nullptr);
    int len = i2d_PKCS12(p12, nullptr);
    Bytes pfx(static_cast<size_t>(len));
    unsigned char* w = pfx.data();
    i2d_PKCS12(p12, &w);
    PKCS12_free(p12);
    std::string name2 = unique_name("pfx");
    auto wrong = call("POST", "demo", "/certificates/" + name2 + "/import",
                      {{"value", b64std(pfx)}, {"pwd", "nope"}});
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(wrong.Json()["error"]["code"], "BadParameter");
    auto ok = call("POST", "demo", "/certificates/" + name2 + "/import",
                   {{"value", b64std(pfx)}, {"pwd", "s3cret"}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto b2 = ok.Json();
    EXPECT_EQ(b2["policy"]["secret_props"]["contentType"], "application/x-pkcs12");
    EXPECT_EQ(call("GET", "demo", path_of(b2["kid"])).Json()["key"]["kty"], "RSA");
    Bytes back = unb64std(call("GET", "demo", path_of(b2["sid"])).Json()["value"]);
    const unsigned char* q = back.data();
    PKCS12* again = d2i_PKCS12(nullptr, &q, static_cast<long>(back.size()));
    EVP_PKEY* k2 = nullptr;
    X509* c2 = nullptr;
    STACK_OF(X509)* ca2 = nullptr;
    ASSERT_EQ(PKCS12_parse(again, "", &k2, &c2, &ca2), 1);
    EXPECT_EQ(EVP_PKEY_eq(k2, key.get()), 1);
    EXPECT_EQ(sk_X509_num(ca2), 1);
    EVP_PKEY_free(k2);
    X509_free(c2);
    sk_X509_pop_free(ca2, X509_free);
    PKCS12_free(again);

    // A certificate without its key cannot be imported.
    EXPECT_EQ(call("POST", "demo", "/certificates/" + unique_name("nokey") + "/import",
                   {{"value", pem_of_cert(leaf.get())}})
                  .status,
              400);
}

TEST_F(CertsTest, ListVersionsAndPaging) {
    std::string name = unique_name("ver");
    auto pol = policy({{"kty", "EC"}, {"crv", "P-256"}}, "Self", "application/x-pem-file");
    create(name, pol);
    create(name, pol);
    auto versions = call("GET", "demo", "/certificates/" + name + "/versions").Json();
    ASSERT_EQ(versions["value"].size(), 2u);
    std::string v0 = versions["value"][0]["id"];
    EXPECT_EQ(v0.rfind(emu().Vault("demo").url + "/certificates/" + name + "/", 0), 0u);
    EXPECT_EQ(call("GET", "demo", path_of(v0)).status, 200);
    EXPECT_NE(call("GET", "demo", "/certificates/" + name).Json()["id"], v0);  // latest
    for (int i = 0; i < 3; ++i)
        create(unique_name("page"), pol);
    std::set<std::string> seen;
    std::string next = url("demo", "/certificates?maxresults=2");
    int pages = 0;
    while (!next.empty()) {
        auto page = emu().Request("GET", next, "", token("demo")).Json();
        EXPECT_LE(page["value"].size(), 2u);
        for (auto& item : page["value"]) {
            std::string id = item["id"];
            EXPECT_EQ(id.find('/', id.find("/certificates/") + 14), std::string::npos);  // base id
            EXPECT_TRUE(item.contains("x5t"));
            seen.insert(id);
        }
        next = page["nextLink"].is_null() ? "" : page["nextLink"].get<std::string>();
        ++pages;
    }
    EXPECT_GE(seen.size(), 4u);
    EXPECT_GE(pages, 2);
}

TEST_F(CertsTest, PolicyAndRequestErrors) {
    auto err = [](const std::string& name, const nlohmann::json& body) {
        auto r = call("POST", "demo", "/certificates/" + name + "/create", body);
        EXPECT_EQ(r.status, 400) << body.dump();
        EXPECT_EQ(r.Json()["error"]["code"], "BadParameter") << r.body;
        return r.Json()["error"]["message"].get<std::string>();
    };
    auto good = policy({{"kty", "RSA"}}, "Self", "application/x-pem-file");
    std::string n = unique_name("bad");
    EXPECT_NE(err(n, nlohmann::json::object()).find("policy"), std::string::npos);
    auto p = good;
    p["issuer"]["name"] = "DigiCert";
    EXPECT_NE(err(n, {{"policy", p}}).find("issuer.name"), std::string::npos);
    p = good;
    p["x509_props"]["subject"] = "not a dn";
    EXPECT_NE(err(n, {{"policy", p}}).find("subject"), std::string::npos);
    p = good;
    p["key_props"] = {{"kty", "RSA-HSM"}, {"exportable", true}};
    EXPECT_NE(err(n, {{"policy", p}}).find("exportable"), std::string::npos);
    p = good;
    p["key_props"] = {{"kty", "oct"}};
    err(n, {{"policy", p}});
    p = good;
    p["secret_props"]["contentType"] = "text/plain";
    err(n, {{"policy", p}});
    p = good;
    p["x509_props"]["key_usage"] = {"signEverything"};
    err(n, {{"policy", p}});
    p = good;
    p["x509_props"]["validity_months"] = 0;
    err(n, {{"policy", p}});
    // Nothing was stored by the failed attempts.
    EXPECT_EQ(call("GET", "demo", "/certificates/" + n).Json()["error"]["code"],
              "CertificateNotFound");
    EXPECT_EQ(call("GET", "demo", "/keys/" + n).status, 404);
    EXPECT_EQ(call("GET", "demo", "/secrets/" + n + "/00000000000000000000000000000000")
                  .Json()["error"]["code"],
              "SecretNotFound");
    EXPECT_EQ(call("GET", "demo", "/certificates/" + n + "/pending").status, 404);
    // Managed HSM has no certificates API.
    auto m = call("POST", "hsm", "/certificates/" + n + "/create", {{"policy", good}});
    EXPECT_EQ(m.status, 404);
}

TEST_F(CertsTest, CertificatesSurviveRestart) {
    std::string name = unique_name("persist");
    create(name, policy({{"kty", "EC-HSM"}, {"crv", "P-384"}, {"exportable", false}}, "Self",
                        "application/x-pem-file"));
    auto before = call("GET", "demo", "/certificates/" + name).Json();
    emu().Restart();
    tokens_.clear();
    auto after = call("GET", "demo", "/certificates/" + name);
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.Json()["cer"], before["cer"]);
    EXPECT_EQ(after.Json()["kid"].get<std::string>().substr(
                  after.Json()["kid"].get<std::string>().rfind('/')),
              before["kid"].get<std::string>().substr(before["kid"].get<std::string>().rfind('/')));
    std::string sid = after.Json()["sid"];
    EXPECT_EQ(call("GET", "demo", sid.substr(sid.find("/secrets/"))).status, 200);
}

TEST(CertsRbac, CertificateAndSecretActionsAreSeparate) {
    std::string file = ::testing::TempDir() + "/rbac-certs-" + std::to_string(getpid()) + ".json";
    {
        std::ofstream out(file);
        out << R"({"assignments":[
            {"identity":"system","vault":"*","key":"*","actions":["*"]},
            {"identity":"uai","vault":"demo","key":"site","actions":["certificates/get","get","sign"]}]})";
    }
    EmulatorOptions o;
    o.extra_args = {"--rbac", file};
    EmulatorProcess emu(o);
    std::string base = emu.Vault("demo").url;
    std::string admin = emu.GetToken(base), uai = emu.GetToken(base, "uai");
    auto created = emu.Request(
        "POST", base + "/certificates/site/create?api-version=7.5",
        R"({"policy":{"key_props":{"kty":"EC-HSM","exportable":false},"x509_props":{"subject":"CN=site"},"issuer":{"name":"Self"}}})",
        admin);
    ASSERT_EQ(created.status, 202) << created.body;
    auto cert = emu.Request("GET", base + "/certificates/site?api-version=7.5", "", uai);
    ASSERT_EQ(cert.status, 200);
    std::string sid = cert.Json()["sid"];
    auto secret = emu.Request("GET", sid + "?api-version=7.5", "", uai);
    EXPECT_EQ(secret.status, 403);
    EXPECT_EQ(secret.Json()["error"]["innererror"]["code"], "ForbiddenByRbac");
    EXPECT_NE(secret.Json()["error"]["message"].get<std::string>().find(
                  "Microsoft.KeyVault/vaults/secrets/getSecret/action"),
              std::string::npos);
    EXPECT_EQ(emu.Request("GET", base + "/certificates?api-version=7.5", "", uai).status, 403);
    EXPECT_EQ(emu.Request("POST", base + "/certificates/site/create?api-version=7.5",
                          R"({"policy":{}})", uai)
                  .status,
              403);
    EXPECT_EQ(emu.Request("GET", sid + "?api-version=7.5", "", admin).status, 200);
    auto stats = emu.Stats();
    EXPECT_EQ(stats["operations"]["create_certificate"], 2);
    EXPECT_EQ(stats["operations"]["get_secret"], 2);
    std::remove(file.c_str());
}

}  // namespace
}  // namespace emu_test
