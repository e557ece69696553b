#include "pem_util.h"

#include <openssl/pem.h>

#include <memory>

namespace azkv::emu {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string drain(BIO* bio) {
    char* p = nullptr;
    long n = BIO_get_mem_data(bio, &p);
    return std::string(p, static_cast<size_t>(n));
}

Bio reader(const std::string& pem) {
    return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
}

}  // namespace

std::string pkey_to_pem(EVP_PKEY* k) {
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), k, nullptr, nullptr, 0, nullptr, nullptr);
    return drain(bio.get());
}

std::string cert_to_pem(X509* c) {
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), c);
    return drain(bio.get());
}

EVP_PKEY* pkey_from_pem(const std::string& pem) {
    return PEM_read_bio_PrivateKey(reader(pem).get(), nullptr, nullptr, nullptr);
}

X509* cert_from_pem(const std::string& pem) {
    return PEM_read_bio_X509(reader(pem).get(), nullptr, nullptr, nullptr);
}

}  // namespace azkv::emu
