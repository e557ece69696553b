#pragma once
// The `azkv byok` commands: byok_kek (kek create, kek export), byok_wrap (make a .byok from a
// PKCS#11 token), byok_import (upload a .byok).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azkv/util/status.h"

namespace azkv::cli {

int ByokKekCreate(const std::vector<std::string>& argv);
int ByokKekExport(const std::vector<std::string>& argv);
int ByokWrap(const std::vector<std::string>& argv);
int ByokImport(const std::vector<std::string>& argv);

// Checks a .byok transfer blob's shape (schema_version, header.kid/alg/enc, ciphertext) so a bad
// file is reported before anything is uploaded. `what` names the file in messages.
StatusOr<nlohmann::json> ParseByokFile(const std::vector<uint8_t>& bytes, const std::string& what);

}  // namespace azkv::cli
