// The OpenSSL provider: azkv.so loaded from the build directory next to the default provider,
// the key opened through its azkv: store URI, EVP_DigestSign(SHA-256) per operation.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/store.h>

#include <cstdlib>

#include "contender.h"

namespace azkv::bench {

namespace {

std::string OpenSslError(const std::string& what) {
    char buf[256] = {0};
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    ERR_clear_error();
    return what + ": " + buf;
}

class ProviderWorker : public Worker {
public:
    explicit ProviderWorker(EVP_PKEY* key) : key_(key) {}
    bool SignOnce(std::string& error) override {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        unsigned char sig[512];
        size_t len = sizeof sig;
        bool ok =
            ctx != nullptr &&
            EVP_DigestSignInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, key_, nullptr) == 1 &&
            EVP_DigestSign(ctx, sig, &len, Message().data(), Message().size()) == 1;
        EVP_MD_CTX_free(ctx);
        if (!ok)
            error = OpenSslError("EVP_DigestSign");
        return ok;
    }

private:
    EVP_PKEY* key_;
};

class Provider : public Contender {
public:
    ~Provider() override { EVP_PKEY_free(key_); }
    bool Setup(const Target& target, std::string& error) override {
        setenv("AZKV_CONFIG", target.config.c_str(), 1);
        if (OSSL_PROVIDER_load(nullptr, "default") == nullptr ||
            !OSSL_PROVIDER_set_default_search_path(nullptr, target.provider_dir.c_str()) ||
            OSSL_PROVIDER_load(nullptr, "azkv") == nullptr) {
            error = OpenSslError("OSSL_PROVIDER_load azkv from " + target.provider_dir);
            return false;
        }
        std::string uri = "azkv:" + target.key_url;
        OSSL_STORE_CTX* store = OSSL_STORE_open(uri.c_str(), nullptr, nullptr, nullptr, nullptr);
        while (store != nullptr && key_ == nullptr && !OSSL_STORE_eof(store)) {
            OSSL_STORE_INFO* info = OSSL_STORE_load(store);
            if (info != nullptr && OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
                key_ = OSSL_STORE_INFO_get1_PKEY(info);
            OSSL_STORE_INFO_free(info);
            if (info == nullptr)
                break;
        }
        OSSL_STORE_close(store);
        if (key_ == nullptr) {
            error = OpenSslError("OSSL_STORE " + uri);
            return false;
        }
        return true;
    }
    std::unique_ptr<Worker> NewWorker(std::string&) override {
        return std::make_unique<ProviderWorker>(key_);
    }

private:
    EVP_PKEY* key_ = nullptr;
};

}  // namespace

std::unique_ptr<Contender> MakeProvider() {
    return std::make_unique<Provider>();
}

}  // namespace azkv::bench
