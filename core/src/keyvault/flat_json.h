#pragma once
// The small JSON objects of the sign/decrypt hot path: {"alg":"ES256","value":"…"} out and
// {"kid":"…","value":"…"} back. nlohmann's DOM parser spends about 18 k instructions on such an
// answer, which is more than all the rest of azkv's client-side work for a signature put
// together (bench/, callgrind). The reader here accepts only a strict subset of JSON: one object
// whose values are all strings of printable ASCII without escapes, and no name twice. Anything
// else (escapes, numbers, nesting, duplicates, odd bytes) makes it answer "not mine", and the
// caller parses the text with nlohmann as before, with the same errors. So the subset can speed
// an answer up but never change what it means; fuzz_flat_json checks that against nlohmann.

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace azkv::keyvault::detail {

class FlatStringObject {
public:
    // Enough for every key operation answer (kid, value, iv, tag, aad and a few more).
    static constexpr size_t kMaxFields = 12;

    // nullopt: the text is outside the subset (not necessarily bad JSON).
    static std::optional<FlatStringObject> Read(std::string_view text);

    // The field's value, a view into the text given to Read.
    std::optional<std::string_view> Get(std::string_view name) const;
    size_t size() const { return count_; }
    std::pair<std::string_view, std::string_view> field(size_t i) const { return fields_[i]; }

private:
    std::array<std::pair<std::string_view, std::string_view>, kMaxFields> fields_{};
    size_t count_ = 0;
};

using StringField = std::pair<std::string_view, std::string_view>;

// {"name":"value",...} in the order given, with JSON escaping of names and values.
std::string WriteStringObject(std::initializer_list<StringField> fields);
std::string WriteStringObject(const StringField* fields, size_t count);

}  // namespace azkv::keyvault::detail
