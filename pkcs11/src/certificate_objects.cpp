#include "certificate_objects.h"

#include <ctime>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "azkv/util/ossl.h"
#include "key_objects.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

constexpr CK_ULONG kCategoryTokenUser = 1;  // CK_CERTIFICATE_CATEGORY_TOKEN_USER
constexpr CK_ULONG kCategoryAuthority = 2;  // CK_CERTIFICATE_CATEGORY_AUTHORITY

template <typename T, typename Encode>
std::vector<uint8_t> Der(const T* value, Encode encode) {
    int len = value != nullptr ? encode(value, nullptr) : -1;
    if (len <= 0)
        return {};
    std::vector<uint8_t> out(static_cast<size_t>(len));
    unsigned char* p = out.data();
    encode(value, &p);
    return out;
}

std::vector<uint8_t> Sha1(const std::vector<uint8_t>& data) {
    std::vector<uint8_t> md(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha1(), nullptr);
    md.resize(len);
    return md;
}

std::optional<int64_t> UnixTime(const ASN1_TIME* t) {
    struct tm tm {};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1)
        return std::nullopt;
    return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

std::vector<uint8_t> CertificateDer(const X509* cert) {
    return Der(cert, i2d_X509);
}

std::shared_ptr<Object> BuildCertificateObject(const std::vector<uint8_t>& der,
                                               const CertificateObjectContext& ctx) {
    const unsigned char* p = der.data();
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != der.data() + der.size()) {
        throw P11Error(
            CKR_GENERAL_ERROR,
            "certificate \"" + ctx.label + "\" is not X.509 DER: " + OpensslErrorString(),
            LogLevel::kError);
    }
    auto object = std::make_shared<Object>();
    object->object_class = CKO_CERTIFICATE;
    object->name = ctx.name;
    object->version = ctx.version;
    AttributeMap& a = object->attributes;
    a.PutUlong(CKA_CLASS, CKO_CERTIFICATE);
    a.PutBool(CKA_TOKEN, true);
    a.PutBool(CKA_PRIVATE, false);
    a.PutBool(CKA_MODIFIABLE, false);
    a.PutBool(CKA_COPYABLE, false);
    a.PutBool(CKA_DESTROYABLE, false);
    a.PutString(CKA_LABEL, ctx.label);
    a.PutUlong(CKA_CERTIFICATE_TYPE, CKC_X_509);
    // Trust is the relying party's decision, never the vault's.
    a.PutBool(CKA_TRUSTED, false);
    a.PutUlong(CKA_CERTIFICATE_CATEGORY, ctx.authority ? kCategoryAuthority : kCategoryTokenUser);
    std::vector<uint8_t> sha1 = Sha1(der);
    a.Put(CKA_CHECK_VALUE, std::vector<uint8_t>(sha1.begin(), sha1.begin() + 3));
    a.Put(CKA_START_DATE, CkDate(UnixTime(X509_get0_notBefore(cert.get()))));
    a.Put(CKA_END_DATE, CkDate(UnixTime(X509_get0_notAfter(cert.get()))));
    a.Put(CKA_PUBLIC_KEY_INFO, Der(X509_get_X509_PUBKEY(cert.get()), i2d_X509_PUBKEY));
    a.Put(CKA_SUBJECT, Der(X509_get_subject_name(cert.get()), i2d_X509_NAME));
    a.Put(CKA_ID, ctx.id);
    a.Put(CKA_ISSUER, Der(X509_get_issuer_name(cert.get()), i2d_X509_NAME));
    a.Put(CKA_SERIAL_NUMBER, Der(X509_get0_serialNumber(cert.get()), i2d_ASN1_INTEGER));
    a.Put(CKA_VALUE, der);
    a.Put(CKA_URL, {});
    a.Put(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, {});
    a.Put(CKA_HASH_OF_ISSUER_PUBLIC_KEY, {});
    a.PutUlong(CKA_JAVA_MIDP_SECURITY_DOMAIN, 0);  // CK_SECURITY_DOMAIN_UNSPECIFIED
    a.PutUlong(CKA_NAME_HASH_ALGORITHM, CKM_SHA_1);
    if (!ctx.kid.empty())
        a.PutString(kCkaAzkvKid, ctx.kid);
    return object;
}

}  // namespace azkv::p11
