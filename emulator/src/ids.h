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
int64_t unix_now();
double monotonic_ms();
std::string to_lower(std::string s);
bool iequals(const std::string& a, const std::string& b);

}  // namespace azkv::emu
