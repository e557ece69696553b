#include "cert_view.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include <iomanip>
#include <sstream>

#include "azkv/util/base64.h"

namespace azkv::cli {
namespace {

std::string NameText(const X509_NAME* name) {
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<size_t>(len));
    BIO_free(bio);
    return s;
}

std::string Hex(const unsigned char* p, size_t n) {
    std::ostringstream s;
    for (size_t i = 0; i < n; ++i)
        s << std::hex << std::setw(2) << std::setfill('0') << int(p[i]);
    return s.str();
}

int64_t AsUnix(const ASN1_TIME* t) {
    std::tm tm{};
    ASN1_TIME_to_tm(t, &tm);
    return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

StatusOr<X509Ptr> ParseDer(const std::vector<uint8_t>& der, const std::string& what) {
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (x == nullptr)
        return Status(ErrorCode::kBadResponse, what + " is not a DER X.509 certificate");
    return X509Ptr(x);
}

std::string CertPem(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<size_t>(len));
    BIO_free(bio);
    return s;
}

StatusOr<std::vector<X509Ptr>> ParsePemChain(const std::string& pem, const std::string& what) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    std::vector<X509Ptr> out;
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    while (PEM_read_bio(bio, &name, &header, &data, &len) == 1) {
        if (std::string(name) == "CERTIFICATE") {
            const unsigned char* p = data;
            X509* x = d2i_X509(nullptr, &p, len);
            if (x != nullptr)
                out.emplace_back(x);
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    ERR_clear_error();
    BIO_free(bio);
    if (out.empty())
        return Status(ErrorCode::kInvalidArgument, what + " holds no PEM CERTIFICATE block");
    return out;
}

std::vector<X509Ptr> OrderLeafFirst(std::vector<X509Ptr> certs) {
    auto issues_another = [&](X509* ca) {
        for (const auto& c : certs) {
            if (c.get() != ca && X509_check_issued(ca, c.get()) == X509_V_OK)
                return true;
        }
        return false;
    };
    std::vector<X509Ptr> ordered;
    size_t leaf = 0;
    for (size_t i = 0; i < certs.size(); ++i) {
        if (!issues_another(certs[i].get())) {
            leaf = i;
            break;
        }
    }
    ordered.push_back(std::move(certs[leaf]));
    certs.erase(certs.begin() + static_cast<long>(leaf));
    while (!certs.empty()) {
        bool found = false;
        for (size_t i = 0; i < certs.size(); ++i) {
            if (X509_check_issued(certs[i].get(), ordered.back().get()) == X509_V_OK) {
                ordered.push_back(std::move(certs[i]));
                certs.erase(certs.begin() + static_cast<long>(i));
                found = true;
                break;
            }
        }
        if (!found) {  // unrelated extras keep their order after the chain
            for (auto& c : certs)
                ordered.push_back(std::move(c));
            break;
        }
    }
    return ordered;
}

StatusOr<std::vector<X509Ptr>> ChainFromSecret(const keyvault::SecretBundle& secret) {
    std::string value(secret.value.reveal());
    if (secret.content_type == "application/x-pkcs12") {
        auto der = Base64Decode(value);
        if (!der)
            return Status(ErrorCode::kBadResponse,
                          "the certificate's PKCS#12 secret is not base64");
        const unsigned char* p = der->data();
        PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(der->size()));
        EVP_PKEY* key = nullptr;
        X509* leaf = nullptr;
        STACK_OF(X509)* cas = nullptr;
        bool ok = p12 != nullptr && PKCS12_parse(p12, "", &key, &leaf, &cas) == 1;
        PKCS12_free(p12);
        EVP_PKEY_free(key);  // never exported by this command
        if (!ok || leaf == nullptr) {
            X509_free(leaf);
            sk_X509_pop_free(cas, X509_free);
            return Status(ErrorCode::kBadResponse,
                          "the certificate's PKCS#12 secret cannot be read");
        }
        std::vector<X509Ptr> chain;
        chain.emplace_back(leaf);
        for (int i = 0; i < sk_X509_num(cas); ++i)
            chain.emplace_back(X509_dup(sk_X509_value(cas, i)));
        sk_X509_pop_free(cas, X509_free);
        return OrderLeafFirst(std::move(chain));
    }
    AZKV_ASSIGN_OR_RETURN(auto chain, ParsePemChain(value, "the certificate's secret"));
    return OrderLeafFirst(std::move(chain));
}

nlohmann::json CertJson(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(cert, EVP_sha1(), md, &n);
    std::string sha1 = Hex(md, n);
    X509_digest(cert, EVP_sha256(), md, &n);
    std::string sha256 = Hex(md, n);
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    char* serial_hex = BN_bn2hex(serial);
    nlohmann::json j = {{"subject", NameText(X509_get_subject_name(cert))},
                        {"issuer", NameText(X509_get_issuer_name(cert))},
                        {"not_before", AsUnix(X509_get0_notBefore(cert))},
                        {"not_after", AsUnix(X509_get0_notAfter(cert))},
                        {"sha1", sha1},
                        {"sha256", sha256},
                        {"serial", serial_hex}};
    OPENSSL_free(serial_hex);
    BN_free(serial);
    return j;
}

}  // namespace azkv::cli
