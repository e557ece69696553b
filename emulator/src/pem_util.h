// PEM conversions shared by the TLS setup and key persistence.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

namespace azkv::emu {

std::string pkey_to_pem(EVP_PKEY* k);  // PKCS#8, unencrypted (the state dir is 0700, files 0600)
std::string cert_to_pem(X509* c);
EVP_PKEY* pkey_from_pem(const std::string& pem);  // nullptr on failure; caller owns
X509* cert_from_pem(const std::string& pem);

}  // namespace azkv::emu
