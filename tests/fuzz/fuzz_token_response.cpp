// Token responses of every shape (IMDS, App Service, Arc, Entra v2, CLI), and the date and
// number forms they use.

#include <cstdint>
#include <string_view>

#include "azkv/identity/access_token.h"
#include "identity/token_time.h"

namespace id = azkv::identity;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    auto now = id::SystemClock::time_point(std::chrono::seconds(1700000000));
    if (auto token = id::ParseTokenResponse(body, now, "fuzz"); token.ok()) {
        // A parsed token must be usable: it expires after it is due for refresh.
        if (token->refresh_on > token->expires_on)
            __builtin_trap();
    }
    (void)id::ParseNumericString(body);
    (void)id::ParseDate(body);
    (void)id::ParseCliLocalTime(body);
    return 0;
}
