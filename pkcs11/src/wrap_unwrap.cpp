#include "wrap_unwrap.h"

#include "p11_error.h"

namespace azkv::p11 {

const SecureBytes& WrappableSecret(const Object& key) {
    if (key.object_class != CKO_SECRET_KEY || key.secret.empty())
        Fail(CKR_KEY_NOT_WRAPPABLE, "only session secret keys can be wrapped");
    if (!key.attributes.BoolOr(CKA_EXTRACTABLE, false))
        Fail(CKR_KEY_UNEXTRACTABLE, "the key is not extractable (CKA_EXTRACTABLE false)");
    return key.secret;
}

}  // namespace azkv::p11
