#pragma once
// base64url (RFC 4648 §5) for the Key Vault JSON fields, and standard base64 for the few fields
// that use it (certificate `cer`, PFX secrets).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "azkv/util/secret.h"

namespace azkv {

// Emits '-' and '_' and never '=' padding, as the service does.
std::string Base64UrlEncode(const uint8_t* data, size_t len);
inline std::string Base64UrlEncode(const std::vector<uint8_t>& v) {
    return Base64UrlEncode(v.data(), v.size());
}
inline std::string Base64UrlEncode(std::string_view s) {
    return Base64UrlEncode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Accepts input with or without padding. Rejects characters outside the url alphabet (and
// '+' '/' unless `lenient_alphabet`), and impossible lengths.
std::optional<std::vector<uint8_t>> Base64UrlDecode(std::string_view in,
                                                    bool lenient_alphabet = true);
std::optional<SecureBytes> Base64UrlDecodeSecure(std::string_view in);

std::string Base64Encode(const uint8_t* data, size_t len);
std::optional<std::vector<uint8_t>> Base64Decode(std::string_view in);

}  // namespace azkv
