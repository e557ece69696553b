#include "keyref_der.h"

#include <openssl/asn1.h>
#include <openssl/x509.h>

namespace azkv::provider {
namespace {

constexpr size_t kMaxReference = 16384;

void AppendTlv(std::vector<uint8_t>* out, uint8_t tag, std::span<const uint8_t> value) {
    out->push_back(tag);
    size_t len = value.size();
    if (len < 0x80) {
        out->push_back(static_cast<uint8_t>(len));
    } else {
        std::vector<uint8_t> bytes;
        for (size_t l = len; l != 0; l >>= 8)
            bytes.insert(bytes.begin(), static_cast<uint8_t>(l & 0xff));
        out->push_back(static_cast<uint8_t>(0x80 | bytes.size()));
        out->insert(out->end(), bytes.begin(), bytes.end());
    }
    out->insert(out->end(), value.begin(), value.end());
}

std::span<const uint8_t> Bytes(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Status Malformed(const std::string& what) {
    return Status(ErrorCode::kInvalidArgument,
                  "the AZKV KEY REFERENCE is malformed: " + what +
                      "; write it again with `openssl pkey "
                      "-provider azkv -provider default -in azkv:...`");
}

// Reads one primitive or constructed element with the expected tag; advances `p`.
StatusOr<std::span<const uint8_t>> ReadElement(const unsigned char** p, long* remaining,
                                               int want_tag, bool constructed, const char* what) {
    long len = 0;
    int tag = 0;
    int xclass = 0;
    const unsigned char* start = *p;
    int flags = ASN1_get_object(p, &len, &tag, &xclass, *remaining);
    if ((flags & 0x80) != 0 || xclass != V_ASN1_UNIVERSAL || tag != want_tag ||
        ((flags & V_ASN1_CONSTRUCTED) != 0) != constructed || (flags & 1) != 0) {
        return Malformed(std::string("expected ") + what);
    }
    std::span<const uint8_t> value(*p, static_cast<size_t>(len));
    *p += len;
    *remaining -= (*p - start);
    return value;
}

}  // namespace

StatusOr<std::vector<uint8_t>> EncodeKeyReference(const std::string& uri, EVP_PKEY* public_key) {
    std::vector<uint8_t> body;
    AppendTlv(&body, V_ASN1_VISIBLESTRING, Bytes(kKeyRefFormat));
    AppendTlv(&body, V_ASN1_UTF8STRING, Bytes(uri));
    if (public_key != nullptr) {
        unsigned char* spki = nullptr;
        int len = i2d_PUBKEY(public_key, &spki);
        if (len <= 0) {
            return Status(ErrorCode::kInternal,
                          "cannot encode the public key: " + OpensslErrorString());
        }
        body.insert(body.end(), spki, spki + len);
        OPENSSL_free(spki);
    }
    std::vector<uint8_t> der;
    AppendTlv(&der, V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, body);
    return der;
}

StatusOr<KeyReference> DecodeKeyReference(std::span<const uint8_t> der) {
    if (der.empty() || der.size() > kMaxReference)
        return Malformed("wrong size");
    const unsigned char* p = der.data();
    long remaining = static_cast<long>(der.size());
    AZKV_ASSIGN_OR_RETURN(auto seq, ReadElement(&p, &remaining, V_ASN1_SEQUENCE, true, "SEQUENCE"));
    if (remaining != 0)
        return Malformed("trailing data");
    p = seq.data();
    remaining = static_cast<long>(seq.size());
    AZKV_ASSIGN_OR_RETURN(
        auto format, ReadElement(&p, &remaining, V_ASN1_VISIBLESTRING, false, "the format name"));
    if (std::string(format.begin(), format.end()) != kKeyRefFormat)
        return Malformed("unknown format \"" + std::string(format.begin(), format.end()) + "\"");
    AZKV_ASSIGN_OR_RETURN(auto uri,
                          ReadElement(&p, &remaining, V_ASN1_UTF8STRING, false, "the URI"));
    KeyReference ref;
    ref.uri.assign(uri.begin(), uri.end());
    if (remaining > 0) {
        const unsigned char* spki = p;
        EVP_PKEY* pub = d2i_PUBKEY_ex(nullptr, &spki, remaining, nullptr, "provider!=azkv");
        if (pub == nullptr || spki != p + remaining) {
            EVP_PKEY_free(pub);
            OpensslErrorString();
            return Malformed("bad public key");
        }
        ref.public_key.reset(pub);
    }
    return ref;
}

}  // namespace azkv::provider
