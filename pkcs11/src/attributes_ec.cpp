#include "attributes_ec.h"

#include <openssl/core_names.h>
#include <openssl/objects.h>

#include "azkv/keyvault/jwk_key.h"
#include "azkv/util/ossl.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

constexpr const char* kCurves[] = {"P-256", "P-256K", "P-384", "P-521"};

std::vector<uint8_t> OidDer(int nid) {
    ASN1_OBJECT* obj = OBJ_nid2obj(nid);
    int len = obj != nullptr ? i2d_ASN1_OBJECT(obj, nullptr) : -1;
    if (len <= 0)
        return {};
    std::vector<uint8_t> out(static_cast<size_t>(len));
    unsigned char* p = out.data();
    i2d_ASN1_OBJECT(obj, &p);
    return out;
}

[[noreturn]] void OpensslFailure(const std::string& what) {
    throw P11Error(CKR_GENERAL_ERROR, what + ": " + OpensslErrorString(), LogLevel::kError);
}

}  // namespace

void AddEcPublicAttributes(AttributeMap& attrs, EVP_PKEY* pkey) {
    char group[80] = {0};
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       nullptr) != 1) {
        OpensslFailure("cannot read the EC group");
    }
    attrs.Put(CKA_EC_PARAMS, OidDer(OBJ_txt2nid(group)));

    size_t point_len = 0;
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0,
                                        &point_len) != 1) {
        OpensslFailure("cannot read the EC point");
    }
    std::vector<uint8_t> point(point_len);
    EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                    point.size(), &point_len);
    ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
    if (os == nullptr ||
        ASN1_OCTET_STRING_set(os, point.data(), static_cast<int>(point_len)) != 1) {
        ASN1_OCTET_STRING_free(os);
        OpensslFailure("cannot encode the EC point");
    }
    int len = i2d_ASN1_OCTET_STRING(os, nullptr);
    std::vector<uint8_t> der(static_cast<size_t>(len > 0 ? len : 0));
    unsigned char* p = der.data();
    i2d_ASN1_OCTET_STRING(os, &p);
    ASN1_OCTET_STRING_free(os);
    attrs.Put(CKA_EC_POINT, std::move(der));
}

void AddEcPrivateParts(AttributeMap& attrs) {
    attrs.PutSensitive(CKA_VALUE);
}

std::vector<uint8_t> EcParamsForCurve(const std::string& crv) {
    std::string group = keyvault::CurveToGroupName(crv);
    return group.empty() ? std::vector<uint8_t>{} : OidDer(OBJ_txt2nid(group.c_str()));
}

std::optional<std::string> CurveForEcParams(const std::vector<uint8_t>& der) {
    for (const char* crv : kCurves) {
        if (EcParamsForCurve(crv) == der)
            return std::string(crv);
    }
    return std::nullopt;
}

}  // namespace azkv::p11
