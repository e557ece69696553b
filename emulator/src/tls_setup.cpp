#include "tls_setup.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "fsutil.h"
#include "log.h"
#include "pem_util.h"
#include "x509_util.h"

namespace azkv::emu {
namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

constexpr int kCaDays = 3650;
constexpr int kServerDays = 397;  // within the limit that strict TLS clients accept
constexpr long kRenewBeforeSeconds = 7L * 24 * 3600;

PKey new_ec_key() {
    return PKey(EVP_EC_gen("P-256"), EVP_PKEY_free);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        throw std::runtime_error(std::string("bad certificate extension ") + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const char* cn, X509* issuer, int days) {
    Cert cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    set_random_serial(cert.get());
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * days);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("azkv-emulator"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    return cert;
}

bool is_ip(const std::string& h) {
    unsigned char buf[16];
    return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

// True if every name is in the certificate's SANs and the cert is not about to expire.
bool covers(X509* cert, const std::vector<std::string>& names) {
    time_t soon = time(nullptr) + kRenewBeforeSeconds;
    if (X509_cmp_time(X509_get0_notAfter(cert), &soon) <= 0)
        return false;
    auto* sans =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (!sans)
        return false;
    bool all = true;
    for (auto& n : names) {
        bool found = false;
        for (int i = 0; i < sk_GENERAL_NAME_num(sans) && !found; ++i) {
            GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
            if (g->type == GEN_DNS && !is_ip(n)) {
                auto* s = g->d.dNSName;
                found = std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                    static_cast<size_t>(ASN1_STRING_length(s))) == n;
            } else if (g->type == GEN_IPADD && is_ip(n)) {
                unsigned char buf[16];
                int len = inet_pton(AF_INET, n.c_str(), buf) == 1 ? 4 : 16;
                if (len == 16)
                    inet_pton(AF_INET6, n.c_str(), buf);
                found = ASN1_STRING_length(g->d.iPAddress) == len &&
                        memcmp(ASN1_STRING_get0_data(g->d.iPAddress), buf,
                               static_cast<size_t>(len)) == 0;
            }
        }
        all = all && found;
    }
    GENERAL_NAMES_free(sans);
    return all;
}

}  // namespace

TlsFiles ensure_tls(const std::string& state_dir, const std::vector<std::string>& extra_hosts) {
    TlsFiles f{state_dir + "/ca.pem", state_dir + "/server.pem", state_dir + "/server-key.pem"};
    const std::string ca_key_file = state_dir + "/ca-key.pem";
    std::vector<std::string> names = {"localhost", "127.0.0.1", "::1"};
    for (auto& h : extra_hosts)
        names.push_back(h);

    PKey ca_key(pkey_from_pem(read_file(ca_key_file).value_or("")), EVP_PKEY_free);
    Cert ca(cert_from_pem(read_file(f.ca_file).value_or("")), X509_free);
    if (!ca_key || !ca || X509_check_private_key(ca.get(), ca_key.get()) != 1) {
        log_line(LogLevel::Info, "creating CA in " + state_dir);
        ca_key = new_ec_key();
        ca = make_cert(ca_key.get(), "azkv-emulator local CA", nullptr, kCaDays);
        add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
        X509_sign(ca.get(), ca_key.get(), EVP_sha256());
        write_file_atomic(ca_key_file, pkey_to_pem(ca_key.get()));
        write_file_atomic(f.ca_file, cert_to_pem(ca.get()), 0644);
        ::remove(f.cert_file.c_str());  // a new CA invalidates the old server cert
    }

    Cert server(cert_from_pem(read_file(f.cert_file).value_or("")), X509_free);
    PKey server_key(pkey_from_pem(read_file(f.key_file).value_or("")), EVP_PKEY_free);
    bool reuse =
        server && server_key && X509_check_private_key(server.get(), server_key.get()) == 1 &&
        X509_verify(server.get(), X509_get0_pubkey(ca.get())) == 1 && covers(server.get(), names);
    if (!reuse) {
        log_line(LogLevel::Info, "creating server certificate in " + state_dir);
        server_key = new_ec_key();
        server = make_cert(server_key.get(), "localhost", ca.get(), kServerDays);
        std::string san;
        for (auto& n : names)
            san += (san.empty() ? "" : ",") + std::string(is_ip(n) ? "IP:" : "DNS:") + n;
        add_ext(server.get(), ca.get(), NID_subject_alt_name, san.c_str());
        add_ext(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
        add_ext(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
        add_ext(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
        add_ext(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
        X509_sign(server.get(), ca_key.get(), EVP_sha256());
        write_file_atomic(f.key_file, pkey_to_pem(server_key.get()));
        write_file_atomic(f.cert_file, cert_to_pem(server.get()), 0644);
    }
    return f;
}

}  // namespace azkv::emu
