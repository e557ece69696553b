// Real paging for list endpoints: maxresults 1..25 (else 400), an opaque $skiptoken, a
// nextLink carrying the origin with its port, and "nextLink": null on the last page.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dispatch.h"

namespace azkv::emu {

// items: the complete, stably ordered collection; path: e.g. "/keys".
nlohmann::json make_page(VaultRequest& r, const std::string& path,
                         const std::vector<nlohmann::json>& items);

}  // namespace azkv::emu
