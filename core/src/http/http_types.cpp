#include "azkv/http/http_types.h"

#include <strings.h>

namespace azkv::http {

std::string_view Response::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (h.name.size() == name.size() &&
            strncasecmp(h.name.data(), name.data(), name.size()) == 0) {
            return h.value;
        }
    }
    return {};
}

}  // namespace azkv::http
