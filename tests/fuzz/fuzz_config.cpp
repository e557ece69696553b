// azkv.json as a user (or an attacker who can write it) might write it.

#include <cstdint>
#include <string>

#include "azkv/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto config = azkv::ParseConfig(text, "fuzz.json");
    if (config.ok()) {
        for (const auto& vault : config->vaults)
            if (vault.url.rfind("https://", 0) != 0)
                __builtin_trap();  // only https vaults may be accepted
    }
    return 0;
}
