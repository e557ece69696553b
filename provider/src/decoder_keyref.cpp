// Decoders for the AZKV KEY REFERENCE, so that PEM_read_bio_PrivateKey (nginx, Apache, haproxy,
// curl) and OSSL_DECODER yield the vault key:
//   "DER" from input=pem: takes one PEM block, keeps it only if it is ours;
//   "RSA"/"EC" from input=der,structure=azkv-keyref: resolves the key and hands it over by
//   reference. OpenSSL reads a PEM file block by block, so the reference need not come first
//   (a haproxy bundle has the certificate first).

#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

#include "dispatch.h"
#include "errors.h"
#include "key_loader.h"
#include "keyref_der.h"
#include "provider_ctx.h"

namespace azkv::provider {
namespace {

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

constexpr size_t kMaxInput = 16384;

struct DecoderCtx {
    ProviderCtx* prov;
    keys::KeyKind kind;  // for the key decoders
};

OSSL_FUNC_decoder_newctx_fn pem_newctx;
OSSL_FUNC_decoder_newctx_fn rsa_newctx;
OSSL_FUNC_decoder_newctx_fn ec_newctx;
OSSL_FUNC_decoder_freectx_fn decoder_freectx;
OSSL_FUNC_decoder_decode_fn pem_decode;
OSSL_FUNC_decoder_decode_fn keyref_decode;
OSSL_FUNC_decoder_does_selection_fn keyref_does_selection;
OSSL_FUNC_decoder_export_object_fn keyref_export_object;

void* pem_newctx(void* provctx) {
    return new DecoderCtx{static_cast<ProviderCtx*>(provctx), keys::KeyKind::kRsa};
}
void* rsa_newctx(void* provctx) {
    return new DecoderCtx{static_cast<ProviderCtx*>(provctx), keys::KeyKind::kRsa};
}
void* ec_newctx(void* provctx) {
    return new DecoderCtx{static_cast<ProviderCtx*>(provctx), keys::KeyKind::kEc};
}
void decoder_freectx(void* vctx) {
    delete static_cast<DecoderCtx*>(vctx);
}

int pem_decode(void* vctx, OSSL_CORE_BIO* cin, int, OSSL_CALLBACK* data_cb, void* data_cbarg,
               OSSL_PASSPHRASE_CALLBACK*, void*) {
    auto* ctx = static_cast<DecoderCtx*>(vctx);
    BioPtr bio(BIO_new_from_core_bio(ctx->prov->libctx(), cin));
    if (!bio)
        return 0;
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    ERR_set_mark();
    int read = PEM_read_bio(bio.get(), &name, &header, &data, &len);
    ERR_pop_to_mark();  // "no start line" etc.: not ours, not an error
    int ok = 1;
    if (read == 1 && std::strcmp(name, kKeyRefPemLabel) == 0) {
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, data,
                                              static_cast<size_t>(len)),
            OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_STRUCTURE,
                                             const_cast<char*>(kKeyRefStructure), 0),
            OSSL_PARAM_construct_end(),
        };
        ok = data_cb(params, data_cbarg);
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    return ok;
}

StatusOr<std::vector<uint8_t>> ReadAll(ProviderCtx* prov, OSSL_CORE_BIO* cin) {
    BioPtr bio(BIO_new_from_core_bio(prov->libctx(), cin));
    if (!bio)
        return Status(ErrorCode::kInternal, "cannot read the key reference");
    std::vector<uint8_t> data;
    uint8_t buf[4096];
    int n = 0;
    while ((n = BIO_read(bio.get(), buf, sizeof(buf))) > 0) {
        data.insert(data.end(), buf, buf + n);
        if (data.size() > kMaxInput)
            return Status(ErrorCode::kInvalidArgument, "the key reference is too large");
    }
    return data;
}

int keyref_decode(void* vctx, OSSL_CORE_BIO* cin, int, OSSL_CALLBACK* data_cb, void* data_cbarg,
                  OSSL_PASSPHRASE_CALLBACK*, void*) {
    auto* ctx = static_cast<DecoderCtx*>(vctx);
    auto der = ReadAll(ctx->prov, cin);
    if (!der.ok())
        return 1;
    (void)ctx->prov->runtime();  // configures azkv's log, which also records the errors below
    auto ref = DecodeKeyReference(*der);
    if (!ref.ok()) {
        AZKV_RAISE(ctx->prov, kReasonBadKeyReference, ref.status().message());
        return 0;
    }
    const char* type = KeyTypeName(ctx->kind);
    if (ref->public_key != nullptr && !EVP_PKEY_is_a(ref->public_key.get(), type))
        return 1;  // the other key type's decoder takes it
    auto key = LoadVaultKey(ctx->prov, ref->uri);
    if (!key.ok()) {
        Status st = key.status();
        AZKV_RAISE_STATUS(ctx->prov, st.Prepend("AZKV KEY REFERENCE " + ref->uri + ": "));
        return 0;
    }
    // An unpinned reference to a key of the other type is the other decoder's; a pinned one
    // that disagrees with the vault, even about the key type, is refused.
    if ((*key)->kind != ctx->kind && ref->public_key == nullptr)
        return 1;
    if (ref->public_key != nullptr &&
        ((*key)->kind != ctx->kind || EVP_PKEY_eq(ref->public_key.get(), (*key)->pub.get()) != 1)) {
        AZKV_RAISE(ctx->prov, kReasonBadKeyReference,
                   "AZKV KEY REFERENCE " + ref->uri + ": the " + KeyTypeName(ctx->kind) +
                       " public key in the reference does not match the vault's " +
                       KeyTypeName((*key)->kind) +
                       " key; the file was edited or names another key. Write it again from "
                       "the key URI");
        return 0;
    }
    return EmitKeyReference(key->get(), data_cb, data_cbarg);
}

int keyref_does_selection(void*, int selection) {
    return selection == 0 || (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 ? 1 : 0;
}

// Only reached when OpenSSL wants the key in another provider's keymgmt: a vault key never goes.
int keyref_export_object(void*, const void*, size_t, OSSL_CALLBACK*, void*) {
    return 0;
}

}  // namespace

const OSSL_DISPATCH kPemToKeyrefDecoderFunctions[] = {
    AZKV_FN(OSSL_FUNC_DECODER_NEWCTX, pem_newctx),
    AZKV_FN(OSSL_FUNC_DECODER_FREECTX, decoder_freectx),
    AZKV_FN(OSSL_FUNC_DECODER_DECODE, pem_decode),
    {0, nullptr},
};

const OSSL_DISPATCH kKeyrefToRsaDecoderFunctions[] = {
    AZKV_FN(OSSL_FUNC_DECODER_NEWCTX, rsa_newctx),
    AZKV_FN(OSSL_FUNC_DECODER_FREECTX, decoder_freectx),
    AZKV_FN(OSSL_FUNC_DECODER_DECODE, keyref_decode),
    AZKV_FN(OSSL_FUNC_DECODER_DOES_SELECTION, keyref_does_selection),
    AZKV_FN(OSSL_FUNC_DECODER_EXPORT_OBJECT, keyref_export_object),
    {0, nullptr},
};

const OSSL_DISPATCH kKeyrefToEcDecoderFunctions[] = {
    AZKV_FN(OSSL_FUNC_DECODER_NEWCTX, ec_newctx),
    AZKV_FN(OSSL_FUNC_DECODER_FREECTX, decoder_freectx),
    AZKV_FN(OSSL_FUNC_DECODER_DECODE, keyref_decode),
    AZKV_FN(OSSL_FUNC_DECODER_DOES_SELECTION, keyref_does_selection),
    AZKV_FN(OSSL_FUNC_DECODER_EXPORT_OBJECT, keyref_export_object),
    {0, nullptr},
};

}  // namespace azkv::provider
