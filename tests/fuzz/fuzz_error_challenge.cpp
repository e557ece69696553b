// Error answers from a vault (status, headers, JSON or non-JSON body) and the Bearer challenge
// of a 401, with the rule that decides whether a challenge's resource may receive a token.

#include <cstdint>

#include "azkv/keyvault/challenge.h"
#include "azkv/keyvault/vault_url.h"
#include "fuzz_input.h"
#include "keyvault/service_error.h"

namespace kv = azkv::keyvault;

// Input: status byte, then NUL-separated WWW-Authenticate, Retry-After, and the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    azkv::fuzz::FuzzInput in(data, size);
    static const long kStatuses[] = {400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 200, 0};
    uint8_t pick = in.Byte();
    azkv::http::Response response;
    response.status = kStatuses[pick % (sizeof(kStatuses) / sizeof(kStatuses[0]))];
    std::string challenge = in.Field();
    response.headers.push_back({"WWW-Authenticate", challenge});
    response.headers.push_back({"Retry-After", in.Field()});
    response.headers.push_back({"x-ms-request-id", "fuzz"});
    response.body = std::string(in.Rest());

    kv::detail::ErrorContext ctx{"https://demo.vault.azure.net", "sign", "k1", (pick & 0x80) != 0};
    azkv::Status status = kv::detail::ServiceError(response, ctx);
    if (status.ok())
        __builtin_trap();  // an error answer must never become success

    if (auto parsed = kv::ParseChallenge(challenge)) {
        (void)parsed->tenant();
        static const auto vault = kv::VaultUrl::Parse("https://demo.vault.azure.net");
        static const auto local = kv::VaultUrl::Parse("https://localhost:8443");
        (void)kv::ChallengeResourceAcceptable(*vault, parsed->resource);
        (void)kv::ChallengeResourceAcceptable(*local, parsed->resource);
    }
    return 0;
}
