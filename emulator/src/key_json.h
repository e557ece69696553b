// Wire shapes of keys: KeyBundle, KeyItem, DeletedKeyBundle (protocol §1.4).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app.h"

namespace azkv::emu {

std::string key_id(const VaultContext& v, const std::string& name, const std::string& version = "");
nlohmann::json key_bundle(const VaultContext& v, const std::string& name, const KeyVersion& kv);
// versioned = true for /versions listings (versioned kid), false for /keys (base kid).
nlohmann::json key_item(const VaultContext& v, const std::string& name, const KeyVersion& kv,
                        bool versioned);
nlohmann::json deleted_bundle(const VaultContext& v, const KeyRecord& r);
nlohmann::json deleted_item(const VaultContext& v, const KeyRecord& r);

}  // namespace azkv::emu
