// azkv key list: every key of a vault (all pages), with type, size or curve and operations.
#include <iomanip>

#include "azkv/keyvault/vault_url.h"
#include "command.h"
#include "key_commands.h"
#include "key_view.h"
#include "progress.h"

namespace azkv::cli {
namespace {

nlohmann::json Row(const keyvault::KeyItem& item, const StatusOr<keyvault::KeyBundle>& detail) {
    auto id = keyvault::ObjectId::Parse(item.kid);
    nlohmann::json row = {{"name", id.ok() ? id->name : item.kid},
                          {"kid", item.kid},
                          {"enabled", item.attributes.enabled},
                          {"managed", item.managed},
                          {"expires", nullptr},
                          {"kty", nullptr},
                          {"size_or_curve", nullptr},
                          {"key_ops", nullptr},
                          {"error", nullptr}};
    if (item.attributes.expires)
        row["expires"] = *item.attributes.expires;
    if (detail.ok()) {
        row["kty"] = detail->key.kty;
        row["size_or_curve"] = SizeOrCurve(detail->key);
        row["key_ops"] = detail->key.key_ops;
    } else {
        row["error"] = detail.status().ToString();
    }
    return row;
}

std::string Cell(const nlohmann::json& v) {
    if (v.is_null())
        return "?";
    if (v.is_array()) {
        std::vector<std::string> parts = v.get<std::vector<std::string>>();
        return Join(parts);
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

void PrintTable(const nlohmann::json& rows) {
    std::cout << std::left << std::setw(32) << "NAME" << std::setw(9) << "TYPE" << std::setw(8)
              << "SIZE" << std::setw(9) << "ENABLED" << std::setw(22) << "EXPIRES"
              << "OPERATIONS\n";
    for (const auto& r : rows) {
        std::string exp = r["expires"].is_null() ? "-" : UnixTime(r["expires"].get<int64_t>());
        std::cout << std::setw(32) << r["name"].get<std::string>() << std::setw(9) << Cell(r["kty"])
                  << std::setw(8) << Cell(r["size_or_curve"]) << std::setw(9)
                  << (r["enabled"].get<bool>() ? "yes" : "no") << std::setw(22) << exp
                  << Cell(r["key_ops"]) << "\n";
    }
}

}  // namespace

int KeyList(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags(), {"--brief"}, rc);
    if (!args)
        return rc;
    std::shared_ptr<Runtime> rt;
    auto client = VaultFromFlag(*args, &rt);
    if (!client.ok())
        return Fail(client.status());
    auto items = (*client)->ListKeys();
    if (!items.ok())
        return Fail(items.status());
    // The list carries no key type: one GET per key fills it in unless --brief.
    Progress progress("reading keys", items->size());
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& item : *items) {
        StatusOr<keyvault::KeyBundle> detail =
            Status(ErrorCode::kUnsupported, "not fetched (--brief)");
        auto id = keyvault::ObjectId::Parse(item.kid);
        if (!args->Has("--brief") && id.ok())
            detail = (*client)->GetKey(id->name);
        rows.push_back(Row(item, detail));
        progress.Step();
    }
    progress.Done();
    if (WantJson(*args))
        PrintJson(rows);
    else
        PrintTable(rows);
    return kExitOk;
}

}  // namespace azkv::cli
