#pragma once
// Owning pointers for OpenSSL objects, and the one way core reports OpenSSL's own errors.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace azkv {

struct OsslFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
    void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
    void operator()(X509* p) const { X509_free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OsslFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslFree>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslFree>;
using X509Ptr = std::unique_ptr<X509, OsslFree>;

// The most recent OpenSSL error as text (and clears the queue), for error messages.
std::string OpensslErrorString();

}  // namespace azkv
