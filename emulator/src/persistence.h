// On-disk form of a key (one JSON file per key name, 0600). Private material is stored as
// PKCS#8 PEM (or base64url for symmetric keys) and is never returned by any endpoint.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "key_store.h"

namespace azkv::emu {

nlohmann::json record_to_json(const KeyRecord& r);
KeyRecord record_from_json(const nlohmann::json& j);
void save_record(const std::string& dir, const std::string& lname, const KeyRecord& r);
void remove_record(const std::string& dir, const std::string& lname);
std::vector<KeyRecord> load_records(const std::string& dir);

}  // namespace azkv::emu
