#pragma once
// Splitting one libFuzzer input into the several fields a harness needs, without ever reading
// past the end: the parsers are what is under test, not this helper.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace azkv::fuzz {

class FuzzInput {
public:
    FuzzInput(const uint8_t* data, size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    uint8_t Byte() {
        if (rest_.empty())
            return 0;
        auto b = static_cast<uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }
    // The text up to the next NUL (or the end), so that seed files stay readable: fields are
    // separated by a single NUL byte.
    std::string Field() {
        size_t nul = rest_.find('\0');
        std::string out(rest_.substr(0, nul));
        rest_.remove_prefix(nul == std::string_view::npos ? rest_.size() : nul + 1);
        return out;
    }
    std::string_view Rest() const { return rest_; }

private:
    std::string_view rest_;
};

}  // namespace azkv::fuzz
