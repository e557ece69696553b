#include "paging.h"

#include "errors.h"

namespace azkv::emu {
namespace {

size_t parse_maxresults(const VaultRequest& r) {
    std::string s = r.query("maxresults");
    if (s.empty())
        return 25;
    size_t pos = 0;
    long v = 0;
    try {
        v = std::stol(s, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos != s.size() || v < 1 || v > 25)
        bad_parameter("maxresults: must be an integer from 1 to 25, got '" + s + "'");
    return static_cast<size_t>(v);
}

size_t parse_skiptoken(const VaultRequest& r) {
    std::string tok = r.query("$skiptoken");
    if (tok.empty())
        return 0;
    auto raw = b64_decode(tok);
    std::string s = raw ? std::string(raw->begin(), raw->end()) : "";
    if (s.rfind("o:", 0) != 0)
        bad_parameter("$skiptoken: invalid continuation token");
    try {
        return static_cast<size_t>(std::stoul(s.substr(2)));
    } catch (const std::exception&) {
        bad_parameter("$skiptoken: invalid continuation token");
    }
}

}  // namespace

nlohmann::json make_page(VaultRequest& r, const std::string& path,
                         const std::vector<nlohmann::json>& items) {
    size_t max = parse_maxresults(r);
    size_t offset = parse_skiptoken(r);
    bool empty_page = r.fault.kind == FaultKind::EmptyPage && offset < items.size();
    nlohmann::json value = nlohmann::json::array();
    size_t end = empty_page ? offset : std::min(items.size(), offset + max);
    for (size_t i = offset; i < end; ++i)
        value.push_back(items[i]);
    nlohmann::json page = {{"value", value}, {"nextLink", nullptr}};
    if (end < items.size())
        page["nextLink"] = r.vault.origin + path + "?api-version=" + r.api_version +
                           "&$skiptoken=" + b64url_encode("o:" + std::to_string(end)) +
                           "&maxresults=" + std::to_string(max);
    return page;
}

}  // namespace azkv::emu
