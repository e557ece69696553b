// Access tokens: HS256 JWTs signed with a per-process key. The signature segment starts with
// "AzKvEmUtOkEn" so tests can grep logs for leaked tokens (contract).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "identities.h"

namespace azkv::emu {

struct IssuedToken {
    std::string jwt;
    int64_t iat = 0, exp = 0;
};

enum class TokenCheck { Ok, Malformed, BadSignature, Expired, Revoked };

struct TokenClaims {
    std::string aud, oid, appid;
    int64_t exp = 0;
};

class TokenService {
public:
    explicit TokenService(int64_t ttl);
    IssuedToken issue(const Identity& id, const std::string& resource);
    TokenCheck validate(const std::string& jwt, TokenClaims& out) const;
    // Every token issued so far is refused from now on.
    void revoke_all() { min_serial_ = next_serial_.load(); }
    int64_t ttl() const { return ttl_; }

    // aud = resource without a trailing "/.default" and trailing "/" (contract).
    static std::string audience_for(std::string resource);

private:
    std::string sign(const std::string& signing_input) const;
    int64_t ttl_;
    unsigned char key_[32];
    std::atomic<uint64_t> next_serial_{1};
    std::atomic<uint64_t> min_serial_{1};
};

}  // namespace azkv::emu
