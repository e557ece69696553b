#include "azkv/config/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "azkv/keyvault/vault_url.h"
#include "config/json_reader.h"

namespace azkv {

using config_detail::JsonReader;
using nlohmann::json;

namespace {

constexpr const char* kDefaultConfigPath = "/etc/azkv/azkv.json";
constexpr size_t kMaxConfigBytes = 1 << 20;

StatusOr<IdentityType> ParseIdentityType(const std::string& s) {
    static const std::pair<const char*, IdentityType> kTypes[] = {
        {"auto", IdentityType::kAuto},
        {"imds", IdentityType::kImds},
        {"appservice", IdentityType::kAppService},
        {"arc", IdentityType::kArc},
        {"workload", IdentityType::kWorkload},
        {"cli", IdentityType::kCli},
    };
    for (const auto& [name, t] : kTypes) {
        if (s == name)
            return t;
    }
    return Status(ErrorCode::kConfig, "");
}

void ReadIdentity(JsonReader& parent, const char* name, IdentityConfig& out) {
    const json* v = parent.Field(name);
    if (v == nullptr || parent.failed())
        return;
    if (!v->is_object()) {
        parent.Fail(name, "must be an object");
        return;
    }
    JsonReader r(*v, parent.FieldPath(name), parent.source());
    std::string type = IdentityTypeName(out.type);
    r.String("type", type);
    r.String("client_id", out.client_id);
    r.String("object_id", out.object_id);
    r.String("resource_id", out.resource_id);
    r.String("endpoint", out.endpoint);
    r.String("arc_token_dir", out.arc_token_dir);
    if (!r.failed()) {
        auto t = ParseIdentityType(type);
        if (!t.ok()) {
            r.Fail("type",
                   "is \"" + type + "\"; allowed: auto, imds, appservice, arc, workload, cli");
        } else {
            out.type = *t;
        }
    }
    int selectors = !out.client_id.empty() + !out.object_id.empty() + !out.resource_id.empty();
    if (!r.failed() && selectors > 1) {
        r.Fail("client_id",
               "is set together with object_id or resource_id; choose one of the "
               "three to select a user-assigned identity");
    }
    parent.Adopt(r.Finish());
}

StatusOr<KeyRef> ParseKeyRef(const std::string& s) {
    KeyRef ref;
    auto slash = s.find('/');
    ref.name = s.substr(0, slash);
    if (slash != std::string::npos)
        ref.version = s.substr(slash + 1);
    if (!keyvault::IsValidObjectName(ref.name) ||
        (slash != std::string::npos && !keyvault::IsValidVersion(ref.version))) {
        return Status(ErrorCode::kConfig, "");
    }
    return ref;
}

void ReadVault(const json& v, const std::string& path, const std::string& source, VaultConfig& out,
               Status& status) {
    if (!v.is_object()) {
        status = Status(ErrorCode::kConfig, source + ": " + path + " must be an object");
        return;
    }
    JsonReader r(v, path, source);
    r.String("url", out.url);
    r.String("label", out.label);
    r.Bool("allow_create", out.allow_create);
    r.Bool("allow_delete", out.allow_delete);
    r.Bool("allow_software_keys", out.allow_software_keys);
    r.String("type", out.type);
    if (!r.failed() && !out.type.empty() && out.type != "keyvault" && out.type != "managedhsm") {
        r.Fail("type", "is \"" + out.type + "\"; allowed: keyvault, managedhsm");
    }
    std::string versions = "latest";
    r.String("versions", versions);
    if (!r.failed() && versions != "latest" && versions != "all") {
        r.Fail("versions", "is \"" + versions + "\"; allowed: latest, all");
    }
    out.all_versions = versions == "all";
    if (const json* keys = r.Field("keys"); keys != nullptr && !r.failed()) {
        if (!keys->is_array()) {
            r.Fail("keys", "must be an array of key names (\"name\" or \"name/version\")");
        } else {
            for (size_t i = 0; i < keys->size() && !r.failed(); ++i) {
                const json& k = (*keys)[i];
                auto ref = k.is_string() ? ParseKeyRef(k.get<std::string>())
                                         : StatusOr<KeyRef>(Status(ErrorCode::kConfig, ""));
                if (!ref.ok()) {
                    r.Fail("keys[" + std::to_string(i) + "]",
                           "must be \"name\" or \"name/version\" (name: 1-127 of 0-9 a-z A-Z -; "
                           "version: 32 hex digits)");
                } else {
                    out.keys.push_back(*ref);
                }
            }
        }
    }
    if (r.Field("identity") != nullptr) {
        IdentityConfig id;
        ReadIdentity(r, "identity", id);
        out.identity = id;
    }
    status = r.Finish();
    if (!status.ok())
        return;
    if (out.url.empty()) {
        status = Status(ErrorCode::kConfig, source + ": field \"" + path + ".url\" is required");
        return;
    }
    auto url = keyvault::VaultUrl::Parse(out.url);
    if (!url.ok()) {
        status = Status(ErrorCode::kConfig,
                        source + ": field \"" + path + ".url\" " + url.status().message());
        return;
    }
    out.url = url->origin();
    if (out.label.empty())
        out.label = url->host();
}

}  // namespace

const char* IdentityTypeName(IdentityType t) {
    switch (t) {
        case IdentityType::kAuto:
            return "auto";
        case IdentityType::kImds:
            return "imds";
        case IdentityType::kAppService:
            return "appservice";
        case IdentityType::kArc:
            return "arc";
        case IdentityType::kWorkload:
            return "workload";
        case IdentityType::kCli:
            return "cli";
    }
    return "auto";
}

std::optional<LogLevel> ParseLogLevel(const std::string& s) {
    if (s == "error")
        return LogLevel::kError;
    if (s == "warn" || s == "warning")
        return LogLevel::kWarn;
    if (s == "info")
        return LogLevel::kInfo;
    if (s == "debug")
        return LogLevel::kDebug;
    if (s == "trace")
        return LogLevel::kTrace;
    return std::nullopt;
}

StatusOr<Config> ParseConfig(const std::string& json_text, const std::string& source) {
    json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false,
                           /*ignore_comments=*/false);
    if (doc.is_discarded()) {
        return Status(ErrorCode::kConfig, source + ": not valid JSON");
    }
    if (!doc.is_object()) {
        return Status(ErrorCode::kConfig, source + ": the top level must be a JSON object");
    }
    Config cfg;
    cfg.source = source;
    JsonReader top(doc, "", source);

    if (const json* vaults = top.Field("vaults"); vaults != nullptr) {
        if (!vaults->is_array()) {
            top.Fail("vaults", "must be an array of vault objects");
        } else {
            for (size_t i = 0; i < vaults->size(); ++i) {
                VaultConfig vc;
                Status st;
                ReadVault((*vaults)[i], "vaults[" + std::to_string(i) + "]", source, vc, st);
                if (!st.ok())
                    return st;
                cfg.vaults.push_back(std::move(vc));
            }
        }
    }
    ReadIdentity(top, "identity", cfg.identity);
    std::string verify;
    top.String("verify_signatures", verify);
    if (!verify.empty() && !top.failed()) {
        if (verify == "all") {
            cfg.verify_signatures = VerifySignatures::kAll;
        } else if (verify == "sampled") {
            cfg.verify_signatures = VerifySignatures::kSampled;
        } else {
            top.Fail("verify_signatures", "is \"" + verify + "\"; allowed: all, sampled");
        }
    }

    if (const json* h = top.Field("http"); h != nullptr && !top.failed()) {
        if (!h->is_object())
            return Status(ErrorCode::kConfig, source + ": \"http\" must be an object");
        JsonReader r(*h, "http", source);
        r.Int("timeout_ms", cfg.http.timeout_ms, 100, 600000);
        r.Int("connect_timeout_ms", cfg.http.connect_timeout_ms, 50, 120000);
        r.Int("max_connections", cfg.http.max_connections, 1, 1024);
        r.Int("retry_budget_ms", cfg.http.retry_budget_ms, 0, 600000);
        r.String("ca_file", cfg.http.ca_file);
        r.String("proxy", cfg.http.proxy);
        AZKV_RETURN_IF_ERROR(r.Finish());
    }
    if (const json* c = top.Field("cache"); c != nullptr && !top.failed()) {
        if (!c->is_object())
            return Status(ErrorCode::kConfig, source + ": \"cache\" must be an object");
        JsonReader r(*c, "cache", source);
        r.Int("key_ttl_s", cfg.cache.key_ttl_s, 0, 86400L * 7);
        AZKV_RETURN_IF_ERROR(r.Finish());
    }
    if (const json* l = top.Field("log"); l != nullptr && !top.failed()) {
        if (!l->is_object())
            return Status(ErrorCode::kConfig, source + ": \"log\" must be an object");
        JsonReader r(*l, "log", source);
        std::string level;
        r.String("level", level);
        r.String("target", cfg.log.target);
        if (!level.empty() && !r.failed()) {
            auto lv = ParseLogLevel(level);
            if (!lv) {
                r.Fail("level", "is \"" + level + "\"; allowed: error, warn, info, debug, trace");
            } else {
                cfg.log.level = *lv;
            }
        }
        AZKV_RETURN_IF_ERROR(r.Finish());
    }
    AZKV_RETURN_IF_ERROR(top.Finish());
    return cfg;
}

namespace {

// The file decides which identity and vault are trusted: refuse one that someone other than
// its owner can change, and one owned by a user other than root or ourselves.
Status CheckPermissions(int fd, const std::string& path) {
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        return Status(ErrorCode::kConfig, path + ": cannot stat: " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return Status(ErrorCode::kConfig, path + ": not a regular file");
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return Status(ErrorCode::kConfig,
                      path + ": mode " + mode +
                          " lets group or others write it, and it decides which identity and "
                          "vaults are trusted; run: chmod go-w " +
                          path);
    }
    if (st.st_uid != 0 && st.st_uid != geteuid()) {
        return Status(ErrorCode::kConfig,
                      path + ": owned by uid " + std::to_string(st.st_uid) +
                          ", which is neither root nor this process's user; chown it");
    }
    return Status::Ok();
}

void ApplyEnvironment(Config& cfg) {
    if (const char* lv = std::getenv("AZKV_LOG_LEVEL"); lv != nullptr && *lv != '\0') {
        if (auto l = ParseLogLevel(lv))
            cfg.log.level = *l;
    }
    if (const char* ca = std::getenv("AZKV_CA_FILE"); ca != nullptr && *ca != '\0') {
        cfg.http.ca_file = ca;
    }
}

}  // namespace

StatusOr<Config> LoadConfig(const std::string& explicit_path) {
    std::string path = explicit_path;
    bool required = !path.empty();
    if (path.empty()) {
        if (const char* env = std::getenv("AZKV_CONFIG"); env != nullptr && *env != '\0') {
            path = env;
            required = true;
        } else {
            path = kDefaultConfigPath;
        }
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && !required) {
            Config cfg;
            cfg.source = "(defaults; no " + path + ")";
            ApplyEnvironment(cfg);
            return cfg;
        }
        return Status(ErrorCode::kConfig,
                      "cannot open config file " + path + ": " + std::strerror(errno));
    }
    Status perm = CheckPermissions(fd, path);
    if (!perm.ok()) {
        ::close(fd);
        return perm;
    }
    std::string text;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() > kMaxConfigBytes) {
            ::close(fd);
            return Status(ErrorCode::kConfig, path + ": larger than 1 MiB; not a config file?");
        }
    }
    ::close(fd);
    auto cfg = ParseConfig(text, path);
    if (!cfg.ok())
        return cfg.status();
    ApplyEnvironment(*cfg);
    return cfg;
}

}  // namespace azkv
