#include "azkv/util/secret.h"

#include <openssl/crypto.h>

namespace azkv {

void SecureWipe(void* p, size_t n) {
    if (p != nullptr && n > 0)
        OPENSSL_cleanse(p, n);
}

}  // namespace azkv
