#include "azkv/util/ossl.h"

#include <openssl/err.h>

namespace azkv {

std::string OpensslErrorString() {
    unsigned long e = ERR_get_error();
    std::string s;
    if (e != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        s = buf;
    }
    ERR_clear_error();
    return s.empty() ? "unknown OpenSSL error" : s;
}

}  // namespace azkv
