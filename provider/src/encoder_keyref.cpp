// Encoder writing the AZKV KEY REFERENCE PEM for a vault key: what PEM_write_bio_PrivateKey (and
// so `openssl pkey -in azkv:... -out key.pem`) produces for our keys. Public keys are left to the
// default provider's encoders (our keymgmt exports public parts).

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "dispatch.h"
#include "errors.h"
#include "key_object.h"
#include "keyref_der.h"
#include "provider_ctx.h"
#include "store_uri.h"

namespace azkv::provider {
namespace {

OSSL_FUNC_encoder_newctx_fn keyref_enc_newctx;
OSSL_FUNC_encoder_freectx_fn keyref_enc_freectx;
OSSL_FUNC_encoder_does_selection_fn keyref_enc_does_selection;
OSSL_FUNC_encoder_encode_fn keyref_encode;

void* keyref_enc_newctx(void* provctx) {
    return provctx;
}

void keyref_enc_freectx(void*) {}

int keyref_enc_does_selection(void*, int selection) {
    return (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 ? 1 : 0;
}

int keyref_encode(void* vctx, OSSL_CORE_BIO* cout, const void* obj_raw,
                  const OSSL_PARAM obj_abstract[], int selection, OSSL_PASSPHRASE_CALLBACK*,
                  void*) {
    auto* prov = static_cast<ProviderCtx*>(vctx);
    const auto* key = static_cast<const ProviderKey*>(obj_raw);
    if (obj_abstract != nullptr || key == nullptr || !key->has_private() ||
        (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) == 0) {
        AZKV_RAISE(prov, kReasonInvalidArgument,
                   "only vault keys loaded through azkv can be written as an AZKV KEY REFERENCE");
        return 0;
    }
    // Pinned versions carry their public key; "latest" follows rotation, so it cannot.
    auto id = keyvault::ObjectId::Parse(std::string_view(key->uri).substr(kUriScheme.size()));
    bool pinned = !id.ok() || !id->version.empty();
    auto der = EncodeKeyReference(key->uri, pinned ? key->pub.get() : nullptr);
    if (!der.ok()) {
        AZKV_RAISE_STATUS(prov, der.status());
        return 0;
    }
    BIO* bio = BIO_new_from_core_bio(prov->libctx(), cout);
    if (bio == nullptr)
        return 0;
    // PEM readers skip text before -----BEGIN, so the file can say what it is.
    int ok =
        BIO_printf(bio,
                   "azkv key reference (not a secret): %s\n"
                   "Read by the azkv OpenSSL provider; see azkv's docs/provider.md.\n",
                   key->uri.c_str()) > 0 &&
        PEM_write_bio(bio, kKeyRefPemLabel, "", der->data(), static_cast<long>(der->size())) > 0;
    BIO_free(bio);
    return ok ? 1 : 0;
}

}  // namespace

// One implementation serves RSA and EC: the reference does not depend on the algorithm.
const OSSL_DISPATCH kKeyrefEncoderFunctions[] = {
    AZKV_FN(OSSL_FUNC_ENCODER_NEWCTX, keyref_enc_newctx),
    AZKV_FN(OSSL_FUNC_ENCODER_FREECTX, keyref_enc_freectx),
    AZKV_FN(OSSL_FUNC_ENCODER_DOES_SELECTION, keyref_enc_does_selection),
    AZKV_FN(OSSL_FUNC_ENCODER_ENCODE, keyref_encode),
    {0, nullptr},
};

}  // namespace azkv::provider
