// Identifiers and clocks: random GUIDs, 32-hex key versions, secrets, unix time.
#pragma once

#include <cstdint>
#include <string>

namespace azkv::emu {

std::string random_guid();         // request ids, Arc file names
std::string random_hex(size_t n);  // n random bytes as lowercase hex (key versions: n = 16)
// Secrets handed to clients carry this marker so tests can grep logs for leaks (contract).
inline constexpr const char* kSecretMarker = "AzKvEmUsEcReT";
std::string random_secret();
// The emulator's clock: system time plus --clock-skew-s, so clients can meet a server whose
// clock differs from theirs (Date headers, token iat/nbf/exp, key nbf/exp all follow it).
int64_t unix_now();
void set_clock_skew_s(int64_t seconds);
// RFC 7231 IMF-fixdate of unix_now(), for the Date header.
std::string http_date_now();
double monotonic_ms();
std::string to_lower(std::string s);
bool iequals(const std::string& a, const std::string& b);

}  // namespace azkv::emu
