#include "x509_util.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "base64url.h"
#include "errors.h"

namespace azkv::emu {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Req = std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)>;
using Name = std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)>;

const char* kKeyUsages[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                            "dataEncipherment", "keyAgreement",   "keyCertSign",
                            "cRLSign",          "encipherOnly",   "decipherOnly"};

X509Ptr own(X509* c) {
    return X509Ptr(c, X509_free);
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "CN=a, O=b\, c" -> X509_NAME; RDNs in the order written.
Name parse_subject(const std::string& subject) {
    Name name(X509_NAME_new(), X509_NAME_free);
    std::vector<std::string> parts;
    std::string cur;
    for (size_t i = 0; i < subject.size(); ++i) {
        if (subject[i] == '\\' && i + 1 < subject.size()) {
            cur += subject[++i];
        } else if (subject[i] == ',' || subject[i] == ';') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += subject[i];
        }
    }
    parts.push_back(cur);
    for (auto& raw : parts) {
        std::string p = trim(raw);
        auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 >= p.size())
            bad_parameter("x509_props.subject: '" + subject +
                          "' is not a distinguished name such as \"CN=example.com, O=Contoso\"");
        std::string type = trim(p.substr(0, eq)), value = trim(p.substr(eq + 1));
        if (type == "E")
            type = "emailAddress";
        if (X509_NAME_add_entry_by_txt(name.get(), type.c_str(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                       -1, 0) != 1)
            bad_parameter("x509_props.subject: unknown or invalid attribute '" + type + "' in '" +
                          subject + "'");
    }
    return name;
}

// GENERAL_NAMES config string for subjectAltName ("DNS:a,IP:1.2.3.4,..."); "" when none.
std::string san_config(const nlohmann::json& sans) {
    static const std::pair<const char*, const char*> kinds[] = {
        {"dns_names", "DNS:"},
        {"emails", "email:"},
        {"uris", "URI:"},
        {"ipAddresses", "IP:"},
        {"upns", "otherName:1.3.6.1.4.1.311.20.2.3;UTF8:"}};
    std::string out;
    for (auto [field, prefix] : kinds) {
        if (!sans.contains(field) || sans[field].is_null())
            continue;
        for (auto& v : sans[field]) {
            std::string s = v.get<std::string>();
            if (s.empty() || s.find_first_of(",\r\n") != std::string::npos)
                bad_parameter(std::string("x509_props.sans.") + field + ": invalid value '" + s +
                              "'");
            out += (out.empty() ? "" : ",") + std::string(prefix) + s;
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (auto& s : v)
        out += (out.empty() ? "" : ",") + s;
    return out;
}

X509_EXTENSION* make_ext(X509V3_CTX* ctx, int nid, const std::string& value, const char* what) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
    if (!ext)
        bad_parameter(std::string("x509_props.") + what + ": invalid value '" + value + "'");
    return ext;
}

// Extensions shared by the certificate and the CSR.
std::vector<X509_EXTENSION*> policy_extensions(X509V3_CTX* ctx, const X509Spec& spec) {
    std::vector<X509_EXTENSION*> exts;
    std::string san = san_config(spec.sans);
    if (!san.empty())
        exts.push_back(make_ext(ctx, NID_subject_alt_name, san, "sans"));
    if (!spec.key_usage.empty())
        exts.push_back(
            make_ext(ctx, NID_key_usage, "critical," + join(spec.key_usage), "key_usage"));
    if (!spec.ekus.empty())
        exts.push_back(make_ext(ctx, NID_ext_key_usage, join(spec.ekus), "ekus"));
    return exts;
}

const EVP_MD* signing_digest(EVP_PKEY* key) {
    int bits = EVP_PKEY_get_bits(key);
    if (EVP_PKEY_is_a(key, "EC"))
        return bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() : EVP_sha256();
    return EVP_sha256();
}

int64_t asn1_to_unix(const ASN1_TIME* t) {
    struct tm tm {};
    ASN1_TIME_to_tm(t, &tm);
    return static_cast<int64_t>(timegm(&tm));
}

void set_validity(X509* cert, int months) {
    time_t now = time(nullptr);
    struct tm tm {};
    gmtime_r(&now, &tm);
    tm.tm_mon += months;
    time_t end = timegm(&tm);
    X509_time_adj_ex(X509_getm_notBefore(cert), 0, 0, &now);
    X509_time_adj_ex(X509_getm_notAfter(cert), 0, 0, &end);
}

KeyAndChain order_leaf_first(EvpPtr key, std::vector<X509Ptr> certs) {
    if (!key)
        bad_parameter("value: the certificate has no private key; import needs the key too");
    if (certs.empty())
        bad_parameter("value: no certificate found");
    KeyAndChain out{std::move(key), {}};
    for (auto& c : certs)
        if (out.chain.empty() && same_public_key(c.get(), out.key.get()))
            out.chain.push_back(c);
    if (out.chain.empty())
        bad_parameter("value: no certificate matches the private key");
    for (auto& c : certs)
        if (c != out.chain.front())
            out.chain.push_back(c);
    return out;
}

}  // namespace

void set_random_serial(X509* cert) {
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;  // positive, as RFC 5280 requires
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
}

void check_subject(const std::string& subject) {
    parse_subject(subject);
}

bool known_key_usage(const std::string& usage) {
    for (auto* k : kKeyUsages)
        if (usage == k)
            return true;
    return false;
}

X509Ptr make_self_signed(EVP_PKEY* key, const X509Spec& spec) {
    X509Ptr cert = own(X509_new());
    X509_set_version(cert.get(), 2);
    set_random_serial(cert.get());
    set_validity(cert.get(), spec.validity_months);
    X509_set_pubkey(cert.get(), key);
    Name name = parse_subject(spec.subject);
    X509_set_subject_name(cert.get(), name.get());
    X509_set_issuer_name(cert.get(), name.get());
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    auto exts = policy_extensions(&ctx, spec);
    exts.push_back(make_ext(&ctx, NID_subject_key_identifier, "hash", "ski"));
    for (auto* e : exts) {
        X509_add_ext(cert.get(), e, -1);
        X509_EXTENSION_free(e);
    }
    // The AKI of a self-signed certificate copies its SKI, so it must come after it.
    X509_EXTENSION* aki = make_ext(&ctx, NID_authority_key_identifier, "keyid:always", "aki");
    X509_add_ext(cert.get(), aki, -1);
    X509_EXTENSION_free(aki);
    if (X509_sign(cert.get(), key, signing_digest(key)) <= 0)
        throw std::runtime_error("X509_sign failed");
    return cert;
}

Bytes make_csr(EVP_PKEY* key, const X509Spec& spec) {
    Req req(X509_REQ_new(), X509_REQ_free);
    X509_REQ_set_version(req.get(), 0);
    Name name = parse_subject(spec.subject);
    X509_REQ_set_subject_name(req.get(), name.get());
    X509_REQ_set_pubkey(req.get(), key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, nullptr, nullptr, req.get(), nullptr, 0);
    auto exts = policy_extensions(&ctx, spec);
    if (!exts.empty()) {
        STACK_OF(X509_EXTENSION)* sk = sk_X509_EXTENSION_new_null();
        for (auto* e : exts)
            sk_X509_EXTENSION_push(sk, e);
        X509_REQ_add_extensions(req.get(), sk);
        sk_X509_EXTENSION_pop_free(sk, X509_EXTENSION_free);
    }
    if (X509_REQ_sign(req.get(), key, signing_digest(key)) <= 0)
        throw std::runtime_error("X509_REQ_sign failed");
    int len = i2d_X509_REQ(req.get(), nullptr);
    Bytes der(static_cast<size_t>(len));
    unsigned char* p = der.data();
    i2d_X509_REQ(req.get(), &p);
    return der;
}

Bytes cert_to_der(X509* cert) {
    int len = i2d_X509(cert, nullptr);
    Bytes der(static_cast<size_t>(len > 0 ? len : 0));
    unsigned char* p = der.data();
    i2d_X509(cert, &p);
    return der;
}

X509Ptr cert_from_der(const Bytes& der) {
    const unsigned char* p = der.data();
    X509* c = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!c || p != der.data() + der.size()) {
        X509_free(c);
        return nullptr;
    }
    return own(c);
}

std::string cert_thumbprint_b64url(const Bytes& der) {
    unsigned char md[20];
    unsigned int len = 0;
    EVP_Digest(der.data(), der.size(), md, &len, EVP_sha1(), nullptr);
    return b64url_encode(md, len);
}

int64_t cert_not_before(X509* cert) {
    return asn1_to_unix(X509_get0_notBefore(cert));
}
int64_t cert_not_after(X509* cert) {
    return asn1_to_unix(X509_get0_notAfter(cert));
}

bool same_public_key(X509* cert, EVP_PKEY* key) {
    EVP_PKEY* pub = X509_get0_pubkey(cert);
    return pub && EVP_PKEY_eq(pub, key) == 1;
}

KeyAndChain parse_pem_bundle(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr);
    if (!infos)
        bad_parameter(
            "value: the PEM content cannot be parsed (an encrypted private key is not "
            "supported; import it as PFX with a password)");
    EvpPtr key;
    std::vector<X509Ptr> certs;
    for (int i = 0; i < sk_X509_INFO_num(infos); ++i) {
        X509_INFO* info = sk_X509_INFO_value(infos, i);
        if (info->x509) {
            X509_up_ref(info->x509);
            certs.push_back(own(info->x509));
        }
        if (info->x_pkey && info->x_pkey->dec_pkey && !key) {
            EVP_PKEY_up_ref(info->x_pkey->dec_pkey);
            key = wrap_pkey(info->x_pkey->dec_pkey);
        }
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    return order_leaf_first(std::move(key), std::move(certs));
}

KeyAndChain parse_pfx(const Bytes& pfx, const std::string& password) {
    const unsigned char* p = pfx.data();
    PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(pfx.size()));
    if (!p12)
        bad_parameter("value: neither PEM nor a base64 PKCS#12 (PFX) blob");
    EVP_PKEY* pkey = nullptr;
    X509* leaf = nullptr;
    STACK_OF(X509)* ca = nullptr;
    int ok = PKCS12_parse(p12, password.c_str(), &pkey, &leaf, &ca);
    if (!ok && password.empty())
        ok = PKCS12_parse(p12, nullptr, &pkey, &leaf, &ca);
    PKCS12_free(p12);
    if (!ok)
        bad_parameter("pwd: the PFX cannot be opened with the given password");
    std::vector<X509Ptr> certs;
    if (leaf)
        certs.push_back(own(leaf));
    for (int i = 0; ca && i < sk_X509_num(ca); ++i) {
        X509* c = sk_X509_value(ca, i);
        X509_up_ref(c);
        certs.push_back(own(c));
    }
    sk_X509_pop_free(ca, X509_free);
    return order_leaf_first(wrap_pkey(pkey), std::move(certs));
}

std::string chain_to_pem(const std::vector<Bytes>& chain, EVP_PKEY* key_or_null) {
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    if (key_or_null)
        PEM_write_bio_PrivateKey(bio.get(), key_or_null, nullptr, nullptr, 0, nullptr, nullptr);
    for (auto& der : chain)
        if (auto c = cert_from_der(der))
            PEM_write_bio_X509(bio.get(), c.get());
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

Bytes chain_to_pfx(const std::vector<Bytes>& chain, EVP_PKEY* key_or_null) {
    std::vector<X509Ptr> certs;
    for (auto& der : chain)
        certs.push_back(cert_from_der(der));
    STACK_OF(X509)* ca = sk_X509_new_null();
    for (size_t i = 1; i < certs.size(); ++i)
        sk_X509_push(ca, certs[i].get());
    PKCS12* p12 = PKCS12_create("", nullptr, key_or_null, certs.empty() ? nullptr : certs[0].get(),
                                ca, 0, 0, 0, 0, 0);
    sk_X509_free(ca);
    if (!p12)
        throw std::runtime_error("PKCS12_create failed");
    int len = i2d_PKCS12(p12, nullptr);
    Bytes der(static_cast<size_t>(len));
    unsigned char* p = der.data();
    i2d_PKCS12(p12, &p);
    PKCS12_free(p12);
    return der;
}

}  // namespace azkv::emu
