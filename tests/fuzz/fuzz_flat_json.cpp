// Differential: whatever the hot-path reader (flat_json.h) accepts, nlohmann must read as an
// object with exactly the same string fields, and an operation result must mean the same
// through both. A difference is a crash, so libFuzzer reports it.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "keyvault/flat_json.h"
#include "keyvault/model_json.h"

namespace kv = azkv::keyvault;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto flat = kv::detail::FlatStringObject::Read(text);
    if (!flat)
        return 0;
    auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || j.size() != flat->size())
        std::abort();
    for (size_t i = 0; i < flat->size(); ++i) {
        auto [name, value] = flat->field(i);
        auto it = j.find(std::string(name));
        if (it == j.end() || !it->is_string() || it->get<std::string>() != value)
            std::abort();
    }
    auto a = kv::detail::ParseOperationResult(*flat);
    auto b = kv::detail::ParseOperationResult(j);
    if (a.ok() != b.ok())
        std::abort();
    if (a.ok() && (a->kid != b->kid || a->value != b->value || a->iv != b->iv || a->tag != b->tag ||
                   a->aad != b->aad))
        std::abort();
    if (!a.ok() && a.status().message() != b.status().message())
        std::abort();
    // The writer's output of the same fields reads back to them.
    std::array<kv::detail::StringField, kv::detail::FlatStringObject::kMaxFields> fields;
    for (size_t i = 0; i < flat->size(); ++i)
        fields[i] = flat->field(i);
    std::string written = kv::detail::WriteStringObject(fields.data(), flat->size());
    auto again = kv::detail::FlatStringObject::Read(written);
    if (!again || again->size() != flat->size())
        std::abort();
    for (size_t i = 0; i < flat->size(); ++i) {
        if (again->field(i) != flat->field(i))
            std::abort();
    }
    return 0;
}
