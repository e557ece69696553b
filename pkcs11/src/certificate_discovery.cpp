#include "certificate_discovery.h"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "azkv/keyvault/vault_url.h"
#include "azkv/log/log.h"
#include "azkv/util/base64.h"
#include "azkv/util/ossl.h"
#include "certificate_objects.h"

namespace azkv::p11 {
namespace {

std::vector<std::vector<uint8_t>> PemCertificates(std::string_view pem) {
    std::vector<std::vector<uint8_t>> out;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    // PEM_read_bio_X509 skips blocks of other types (the private key of an exportable one).
    while (bio != nullptr) {
        X509Ptr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
        if (!cert)
            break;
        out.push_back(CertificateDer(cert.get()));
    }
    BIO_free(bio);
    ERR_clear_error();  // the end of the input
    return out;
}

std::vector<std::vector<uint8_t>> Pkcs12Certificates(std::string_view base64) {
    std::vector<std::vector<uint8_t>> out;
    auto der = Base64Decode(base64);
    if (!der)
        return out;
    const unsigned char* p = der->data();
    PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(der->size()));
    EVP_PKEY* key = nullptr;
    X509* leaf = nullptr;
    STACK_OF(X509)* ca = nullptr;
    if (p12 != nullptr && PKCS12_parse(p12, "", &key, &leaf, &ca) == 1) {
        if (leaf != nullptr)
            out.push_back(CertificateDer(leaf));
        for (int i = 0; i < sk_X509_num(ca); ++i)
            out.push_back(CertificateDer(sk_X509_value(ca, i)));
    }
    EVP_PKEY_free(key);  // never kept: the module serves certificates, not secrets
    X509_free(leaf);
    sk_X509_pop_free(ca, X509_free);
    PKCS12_free(p12);
    ERR_clear_error();
    return out;
}

}  // namespace

CertificateDiscovery::CertificateDiscovery(std::shared_ptr<Runtime> runtime,
                                           const VaultConfig& vault, bool managed_hsm)
    : runtime_(std::move(runtime)), vault_(vault), managed_hsm_(managed_hsm) {}

void CertificateDiscovery::Skip(const std::string& name, const std::string& operation,
                                const Status& why) const {
    log::Write({.level = why.code() == ErrorCode::kNotFound ? LogLevel::kDebug : LogLevel::kInfo,
                .vault = vault_.url,
                .key = name,
                .operation = operation,
                .message = "certificate not offered: " + why.ToString()});
}

std::vector<std::vector<uint8_t>> CertificateDiscovery::Chain(
    const keyvault::CertificateBundle& bundle, const std::string& name) {
    auto sid = keyvault::ObjectId::Parse(bundle.sid);
    if (!sid.ok())
        return {};
    auto client = runtime_->Vault(vault_.url);
    if (!client.ok())
        return {};
    auto secret = (*client)->GetSecret(sid->name, sid->version);
    if (!secret.ok()) {
        log::Write({.level = LogLevel::kInfo,
                    .vault = vault_.url,
                    .key = name,
                    .operation = "get_secret",
                    .message = "certificate served without its chain (grant secrets/get to "
                               "serve the chain): " +
                               secret.status().ToString()});
        return {};
    }
    std::string_view value = secret->value.reveal();
    auto all = secret->content_type == "application/x-pkcs12" ? Pkcs12Certificates(value)
                                                              : PemCertificates(value);
    std::vector<std::vector<uint8_t>> chain;
    for (auto& der : all) {
        if (!der.empty() && der != bundle.cer &&
            std::find(chain.begin(), chain.end(), der) == chain.end())
            chain.push_back(std::move(der));
    }
    return chain;
}

std::optional<FoundCertificate> CertificateDiscovery::ByName(const std::string& name) {
    if (managed_hsm_ || !keyvault::IsValidObjectName(name))
        return std::nullopt;
    if (!vault_.keys.empty() && std::none_of(vault_.keys.begin(), vault_.keys.end(),
                                             [&](const KeyRef& k) { return k.name == name; }))
        return std::nullopt;
    auto client = runtime_->Vault(vault_.url);
    if (!client.ok()) {
        Skip(name, "get_certificate", client.status());
        return std::nullopt;
    }
    auto bundle = (*client)->GetCertificate(name);
    if (!bundle.ok()) {
        Skip(name, "get_certificate", bundle.status());
        return std::nullopt;
    }
    if (!bundle->attributes.enabled || bundle->cer.empty())
        return std::nullopt;
    auto id = keyvault::ObjectId::Parse(bundle->id);
    auto kid = keyvault::ObjectId::Parse(bundle->kid);
    FoundCertificate found;
    found.name = name;
    found.version = id.ok() ? id->version : "";
    found.kid = kid.ok() ? bundle->kid : "";
    // The key version is the certificate's version in Key Vault; the kid says so explicitly.
    if (kid.ok() && !kid->version.empty())
        found.version = kid->version;
    found.leaf = bundle->cer;
    found.chain = Chain(*bundle, name);
    return found;
}

std::vector<std::string> CertificateDiscovery::Names() {
    std::vector<std::string> names;
    if (!vault_.keys.empty()) {
        for (const KeyRef& k : vault_.keys)
            names.push_back(k.name);
        return names;
    }
    auto client = runtime_->Vault(vault_.url);
    if (!client.ok())
        return names;
    auto items = (*client)->ListJson("/certificates?maxresults=25", "list_certificates", "");
    if (!items.ok()) {
        log::Write({.level = LogLevel::kWarn,
                    .vault = vault_.url,
                    .operation = "list_certificates",
                    .message = "no certificates are enumerated; search by CKA_LABEL or list "
                               "them under \"keys\" in the config (" +
                               items.status().ToString() + ")"});
        return names;
    }
    for (const nlohmann::json& item : *items) {
        if (!item.contains("id") || !item["id"].is_string())
            continue;
        auto enabled =
            item.contains("attributes") ? item["attributes"].value("enabled", true) : true;
        auto id = keyvault::ObjectId::Parse(item["id"].get<std::string>());
        if (id.ok() && enabled)
            names.push_back(id->name);
    }
    return names;
}

std::vector<FoundCertificate> CertificateDiscovery::Enumerate() {
    std::vector<FoundCertificate> out;
    if (managed_hsm_)
        return out;
    for (const std::string& name : Names()) {
        if (auto c = ByName(name))
            out.push_back(std::move(*c));
    }
    return out;
}

}  // namespace azkv::p11
