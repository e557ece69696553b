// Base64 codecs. The keys API uses base64url WITHOUT padding everywhere (protocol §5.1); decoders
// stay lenient (padding and standard alphabet accepted) because real clients differ.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace azkv::emu {

using Bytes = std::vector<unsigned char>;

std::string b64url_encode(const unsigned char* data, size_t len);
inline std::string b64url_encode(const Bytes& b) {
    return b64url_encode(b.data(), b.size());
}
inline std::string b64url_encode(std::string_view s) {
    return b64url_encode(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}
// Standard alphabet with padding (certificates' "cer", PFX secrets, HTTP Basic).
std::string b64std_encode(const unsigned char* data, size_t len);

// Accepts either alphabet, with or without padding; nullopt on any other character.
std::optional<Bytes> b64_decode(std::string_view in);

}  // namespace azkv::emu
