#include "azkv/util/base64.h"

#include <array>

namespace azkv {
namespace {

constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Encode(const uint8_t* data, size_t len, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((len + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    size_t rest = len - i;
    if (rest == 1) {
        uint32_t v = uint32_t{data[i]} << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (pad)
            out += "==";
    } else if (rest == 2) {
        uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        if (pad)
            out += '=';
    }
    return out;
}

// -1: invalid character.
int DecodeChar(char c, bool url, bool std_alpha) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (url && c == '-')
        return 62;
    if (url && c == '_')
        return 63;
    if (std_alpha && c == '+')
        return 62;
    if (std_alpha && c == '/')
        return 63;
    return -1;
}

template <typename Out>
bool Decode(std::string_view in, bool url, bool std_alpha, Out& out) {
    // Padding is optional; strip it, but only at the end and at most two characters.
    size_t end = in.size();
    size_t pads = 0;
    while (end > 0 && in[end - 1] == '=' && pads < 2) {
        --end;
        ++pads;
    }
    if (pads > 0 && (in.size() % 4) != 0)
        return false;
    std::string_view body = in.substr(0, end);
    if (body.size() % 4 == 1)
        return false;  // no byte count encodes to this length
    out.reserve(body.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : body) {
        int v = DecodeChar(c, url, std_alpha);
        if (v < 0)
            return false;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>((acc >> bits) & 0xFF));
        }
    }
    // Leftover bits must be zero, else two encodings would decode to the same bytes.
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
        return false;
    return true;
}

}  // namespace

std::string Base64UrlEncode(const uint8_t* data, size_t len) {
    return Encode(data, len, kUrlAlphabet, false);
}

std::optional<std::vector<uint8_t>> Base64UrlDecode(std::string_view in, bool lenient_alphabet) {
    std::vector<uint8_t> out;
    if (!Decode(in, true, lenient_alphabet, out))
        return std::nullopt;
    return out;
}

std::optional<SecureBytes> Base64UrlDecodeSecure(std::string_view in) {
    SecureBytes out;
    if (!Decode(in, true, true, out))
        return std::nullopt;
    return out;
}

std::string Base64Encode(const uint8_t* data, size_t len) {
    return Encode(data, len, kStdAlphabet, true);
}

std::optional<std::vector<uint8_t>> Base64Decode(std::string_view in) {
    std::vector<uint8_t> out;
    if (!Decode(in, false, true, out))
        return std::nullopt;
    return out;
}

}  // namespace azkv
