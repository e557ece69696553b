// OSSL_STORE for the azkv: scheme. A key URI yields the private key (by reference); a certificate
// URI yields the certificate, its chain (from the certificate's secret, when readable) and its key.
// Certificates go by value, keys by reference: a vault key never leaves the vault.

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/store.h>

#include <variant>
#include <vector>

#include "azkv/log/log.h"
#include "dispatch.h"
#include "errors.h"
#include "key_loader.h"
#include "provider_ctx.h"

namespace azkv::provider {
namespace {

using CertDer = std::vector<uint8_t>;
using StoreObject = std::variant<CertDer, std::unique_ptr<ProviderKey>>;

struct StoreCtx {
    ProviderCtx* prov = nullptr;
    StoreUri uri;
    int expect = 0;  // OSSL_STORE_INFO_* the caller wants; 0 = anything
    bool resolved = false;
    bool failed = false;
    std::vector<StoreObject> objects;
    size_t next = 0;
};

// Every CERTIFICATE block of a PEM text, in order.
std::vector<CertDer> PemCertificates(std::string_view pem) {
    std::vector<CertDer> certs;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (bio == nullptr)
        return certs;
    while (true) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long len = 0;
        if (PEM_read_bio(bio, &name, &header, &data, &len) != 1)
            break;
        if (std::string_view(name) == PEM_STRING_X509)
            certs.emplace_back(data, data + len);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_clear_free(data, len);  // may be a private key block
    }
    ERR_clear_error();  // the loop ends on "no start line"
    BIO_free(bio);
    return certs;
}

Status ResolveCertificate(StoreCtx* sc) {
    AZKV_ASSIGN_OR_RETURN(auto runtime, sc->prov->runtime());
    AZKV_ASSIGN_OR_RETURN(auto client, runtime->Vault(sc->uri.id.vault.origin()));
    AZKV_ASSIGN_OR_RETURN(auto cert, client->GetCertificate(sc->uri.id.name, sc->uri.id.version));
    sc->objects.emplace_back(cert.cer);
    // The chain lives only in the certificate's secret. Reading it needs secret "get" permission;
    // without it the leaf and key still work, so a failure is a warning.
    if (auto sid = keyvault::ObjectId::Parse(cert.sid); sid.ok()) {
        auto secret = client->GetSecret(sid->name, sid->version);
        if (secret.ok() && secret->content_type == "application/x-pem-file") {
            for (auto& der : PemCertificates(secret->value.reveal())) {
                if (der != cert.cer)
                    sc->objects.emplace_back(std::move(der));
            }
        } else if (!secret.ok()) {
            log::Warn("azkv provider: certificate " + sc->uri.ToString() +
                      ": cannot read its chain (" + secret.status().ToString() +
                      "); passing on the leaf certificate only");
        }
    }
    AZKV_ASSIGN_OR_RETURN(auto kid, keyvault::ObjectId::Parse(cert.kid));
    AZKV_ASSIGN_OR_RETURN(auto key, LoadVaultKey(sc->prov, StoreUri{kid}));
    sc->objects.emplace_back(std::move(key));
    return Status::Ok();
}

Status Resolve(StoreCtx* sc) {
    if (sc->uri.is_certificate())
        return ResolveCertificate(sc);
    AZKV_ASSIGN_OR_RETURN(auto key, LoadVaultKey(sc->prov, sc->uri));
    sc->objects.emplace_back(std::move(key));
    return Status::Ok();
}

bool Wanted(const StoreCtx* sc, const StoreObject& obj) {
    if (sc->expect == 0)
        return true;
    if (std::holds_alternative<CertDer>(obj))
        return sc->expect == OSSL_STORE_INFO_CERT;
    return sc->expect == OSSL_STORE_INFO_PKEY;
}

int EmitCert(const CertDer& der, OSSL_CALLBACK* object_cb, void* cbarg) {
    int type = OSSL_OBJECT_CERT;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type),
        OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, const_cast<uint8_t*>(der.data()),
                                          der.size()),
        OSSL_PARAM_construct_end(),
    };
    return object_cb(params, cbarg);
}

}  // namespace

int EmitKeyReference(const ProviderKey* key, OSSL_CALLBACK* object_cb, void* cbarg) {
    int type = OSSL_OBJECT_PKEY;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type),
        OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE,
                                         const_cast<char*>(KeyTypeName(key->kind)), 0),
        OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, &key, sizeof(key)),
        OSSL_PARAM_construct_end(),
    };
    return object_cb(params, cbarg);
}

namespace {

OSSL_FUNC_store_open_fn store_open;
OSSL_FUNC_store_settable_ctx_params_fn store_settable_ctx_params;
OSSL_FUNC_store_set_ctx_params_fn store_set_ctx_params;
OSSL_FUNC_store_load_fn store_load;
OSSL_FUNC_store_eof_fn store_eof;
OSSL_FUNC_store_close_fn store_close;

void* store_open(void* provctx, const char* uri) {
    auto* prov = static_cast<ProviderCtx*>(provctx);
    auto parsed = ParseUri(prov, uri != nullptr ? uri : "");
    if (!parsed.ok()) {
        AZKV_RAISE(prov,
                   parsed.status().code() == ErrorCode::kConfig ? kReasonConfig : kReasonBadUri,
                   parsed.status().message());
        return nullptr;
    }
    auto* sc = new StoreCtx;
    sc->prov = prov;
    sc->uri = std::move(*parsed);
    return sc;
}

const OSSL_PARAM* store_settable_ctx_params(void*) {
    static const OSSL_PARAM kSettable[] = {
        OSSL_PARAM_int(OSSL_STORE_PARAM_EXPECT, nullptr),
        OSSL_PARAM_utf8_string(OSSL_STORE_PARAM_PROPERTIES, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kSettable;
}

int store_set_ctx_params(void* vctx, const OSSL_PARAM params[]) {
    auto* sc = static_cast<StoreCtx*>(vctx);
    const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_EXPECT);
    if (p != nullptr && !OSSL_PARAM_get_int(p, &sc->expect))
        return 0;
    return 1;
}

int store_load(void* vctx, OSSL_CALLBACK* object_cb, void* object_cbarg, OSSL_PASSPHRASE_CALLBACK*,
               void*) {
    auto* sc = static_cast<StoreCtx*>(vctx);
    if (!sc->resolved) {
        sc->resolved = true;
        Status st = Resolve(sc);
        if (!st.ok()) {
            sc->failed = true;
            AZKV_RAISE_STATUS(sc->prov, st);
            return 0;
        }
    }
    while (sc->next < sc->objects.size()) {
        const StoreObject& obj = sc->objects[sc->next++];
        if (!Wanted(sc, obj))
            continue;
        if (const auto* der = std::get_if<CertDer>(&obj))
            return EmitCert(*der, object_cb, object_cbarg);
        return EmitKeyReference(std::get<std::unique_ptr<ProviderKey>>(obj).get(), object_cb,
                                object_cbarg);
    }
    return 0;
}

int store_eof(void* vctx) {
    auto* sc = static_cast<StoreCtx*>(vctx);
    return sc->failed || (sc->resolved && sc->next >= sc->objects.size()) ? 1 : 0;
}

int store_close(void* vctx) {
    delete static_cast<StoreCtx*>(vctx);
    return 1;
}

}  // namespace

const OSSL_DISPATCH kStoreFunctions[] = {
    AZKV_FN(OSSL_FUNC_STORE_OPEN, store_open),
    AZKV_FN(OSSL_FUNC_STORE_SETTABLE_CTX_PARAMS, store_settable_ctx_params),
    AZKV_FN(OSSL_FUNC_STORE_SET_CTX_PARAMS, store_set_ctx_params),
    AZKV_FN(OSSL_FUNC_STORE_LOAD, store_load),
    AZKV_FN(OSSL_FUNC_STORE_EOF, store_eof),
    AZKV_FN(OSSL_FUNC_STORE_CLOSE, store_close),
    {0, nullptr},
};

}  // namespace azkv::provider
