#include "cert_store.h"

#include <filesystem>
#include <mutex>

#include "errors.h"
#include "fsutil.h"
#include "ids.h"
#include "log.h"

namespace azkv::emu {
namespace {

nlohmann::json version_to_json(const CertVersion& v) {
    nlohmann::json chain = nlohmann::json::array();
    for (auto& der : v.chain)
        chain.push_back(b64url_encode(der));
    return {{"version", v.version}, {"chain", chain}, {"enabled", v.enabled},
            {"nbf", v.nbf},         {"exp", v.exp},   {"created", v.created},
            {"updated", v.updated}, {"tags", v.tags}};
}

CertVersion version_from_json(const nlohmann::json& j) {
    CertVersion v;
    v.version = j.at("version");
    for (auto& c : j.at("chain"))
        v.chain.push_back(b64_decode(c.get<std::string>()).value());
    v.enabled = j.at("enabled");
    v.nbf = j.at("nbf");
    v.exp = j.at("exp");
    v.created = j.at("created");
    v.updated = j.at("updated");
    v.tags = j.value("tags", nlohmann::json::object());
    return v;
}

nlohmann::json record_to_json(const CertRecord& r) {
    nlohmann::json versions = nlohmann::json::array();
    for (auto& v : r.versions)
        versions.push_back(version_to_json(v));
    nlohmann::json j = {{"name", r.name},
                        {"policy", cert_policy_state(r.policy)},
                        {"versions", versions},
                        {"operation", nullptr}};
    if (r.operation) {
        const auto& o = *r.operation;
        j["operation"] = {{"request_id", o.request_id},
                          {"status", o.status},
                          {"issuer", o.issuer},
                          {"csr", b64url_encode(o.csr)},
                          {"key_version", o.key_version},
                          {"enabled", o.enabled},
                          {"tags", o.tags}};
    }
    return j;
}

CertRecord record_from_json(const nlohmann::json& j) {
    CertRecord r;
    r.name = j.at("name");
    r.policy = cert_policy_from_state(j.at("policy"));
    for (auto& v : j.at("versions"))
        r.versions.push_back(version_from_json(v));
    if (j.contains("operation") && j["operation"].is_object()) {
        const auto& o = j["operation"];
        CertOperation op;
        op.request_id = o.at("request_id");
        op.status = o.at("status");
        op.issuer = o.at("issuer");
        op.csr = b64_decode(o.at("csr").get<std::string>()).value();
        op.key_version = o.at("key_version");
        op.enabled = o.value("enabled", true);
        op.tags = o.value("tags", nlohmann::json::object());
        r.operation = op;
    }
    return r;
}

}  // namespace

void certificate_not_found(const std::string& name) {
    throw ApiError(404, "CertificateNotFound",
                   "A certificate with (name/id) " + name +
                       " was not found in this key vault. If you recently deleted this "
                       "certificate you may be able to recover it using the correct recovery "
                       "command.");
}

CertStore::CertStore(std::string dir) : dir_(std::move(dir)) {}

void CertStore::load() {
    if (dir_.empty())
        return;
    make_dirs(dir_);
    std::unique_lock lk(mu_);
    std::error_code ec;
    for (auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
        if (entry.path().extension() != ".json")
            continue;
        try {
            auto r = record_from_json(nlohmann::json::parse(read_file(entry.path()).value_or("")));
            certs_[to_lower(r.name)] = std::move(r);
        } catch (const std::exception& e) {
            log_line(LogLevel::Error, "skipping " + entry.path().string() + ": " + e.what());
        }
    }
}

std::optional<CertRecord> CertStore::find(const std::string& name) const {
    std::shared_lock lk(mu_);
    auto it = certs_.find(to_lower(name));
    if (it == certs_.end())
        return std::nullopt;
    return it->second;
}

CertRecord CertStore::get(const std::string& name) const {
    auto r = find(name);
    if (!r || r->versions.empty())
        certificate_not_found(name);
    return *r;
}

std::vector<CertRecord> CertStore::list() const {
    std::shared_lock lk(mu_);
    std::vector<CertRecord> out;
    for (auto& [lname, r] : certs_)
        if (!r.versions.empty())
            out.push_back(r);
    return out;
}

CertRecord CertStore::modify(const std::string& name,
                             const std::function<void(CertRecord&)>& change) {
    std::string lname = to_lower(name);
    std::unique_lock lk(mu_);
    auto it = certs_.find(lname);
    CertRecord copy = it == certs_.end() ? CertRecord{} : it->second;
    change(copy);  // may throw: nothing has changed yet
    if (copy.name.empty())
        copy.name = name;
    if (!dir_.empty())
        write_file_atomic(dir_ + "/" + lname + ".json", record_to_json(copy).dump());
    certs_[lname] = copy;
    return copy;
}

}  // namespace azkv::emu
