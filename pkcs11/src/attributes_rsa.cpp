#include "attributes_rsa.h"

#include <openssl/core_names.h>

#include "azkv/util/ossl.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

std::vector<uint8_t> BignumParam(EVP_PKEY* pkey, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
        throw P11Error(CKR_GENERAL_ERROR,
                       std::string("cannot read RSA ") + name + ": " + OpensslErrorString(),
                       LogLevel::kError);
    }
    BignumPtr bn(raw);
    std::vector<uint8_t> out(static_cast<size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

}  // namespace

void AddRsaPublicAttributes(AttributeMap& attrs, EVP_PKEY* pkey) {
    attrs.Put(CKA_MODULUS, BignumParam(pkey, OSSL_PKEY_PARAM_RSA_N));
    attrs.Put(CKA_PUBLIC_EXPONENT, BignumParam(pkey, OSSL_PKEY_PARAM_RSA_E));
    attrs.PutUlong(CKA_MODULUS_BITS, static_cast<CK_ULONG>(EVP_PKEY_get_bits(pkey)));
}

void AddRsaPrivateParts(AttributeMap& attrs) {
    for (CK_ATTRIBUTE_TYPE t : {CKA_PRIVATE_EXPONENT, CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1,
                                CKA_EXPONENT_2, CKA_COEFFICIENT}) {
        attrs.PutSensitive(t);
    }
}

}  // namespace azkv::p11
