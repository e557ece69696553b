#include "command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sstream>

#include "azkv/keyvault/vault_url.h"

namespace azkv::cli {

int ExitCodeFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kOk:
            return kExitOk;
        case ErrorCode::kNotFound:
            return kExitNotFound;
        case ErrorCode::kPermissionDenied:
        case ErrorCode::kKeyDisabled:
            return kExitDenied;
        case ErrorCode::kUnauthenticated:
            return kExitAuth;
        case ErrorCode::kUnavailable:
        case ErrorCode::kThrottled:
        case ErrorCode::kDeadlineExceeded:
            return kExitUnavailable;
        case ErrorCode::kInvalidArgument:
        case ErrorCode::kConfig:
        case ErrorCode::kUnsupported:
            return kExitBadInput;
        default:
            return kExitFailure;
    }
}

int Fail(const Status& st) {
    std::cerr << "azkv: " << st.ToString() << "\n";
    return ExitCodeFor(st.code());
}

int Usage(const std::string& message) {
    std::cerr << "azkv: " << message << "\nRun 'azkv --help' (or 'azkv GROUP --help') for usage.\n";
    return kExitUsage;
}

std::set<std::string> CommonFlags(std::set<std::string> extra) {
    extra.insert({"--config", "--ca-file", "--output", "--vault"});
    return extra;
}

std::optional<Args> ParseOrUsage(const std::vector<std::string>& argv,
                                 const std::set<std::string>& value_flags,
                                 const std::set<std::string>& switches, int& exit_code) {
    std::string err;
    auto args = Args::Parse(argv, value_flags, switches, err);
    if (!args) {
        exit_code = Usage(err);
        return std::nullopt;
    }
    std::string out = args->GetOr("--output", "table");
    if (out != "table" && out != "json") {
        exit_code = Usage("--output takes table or json, not \"" + out + "\"");
        return std::nullopt;
    }
    return args;
}

StatusOr<std::shared_ptr<Runtime>> OpenRuntime(const Args& args) {
    auto cfg = LoadConfig(args.GetOr("--config", ""));
    if (!cfg.ok())
        return cfg.status();
    if (auto ca = args.Get("--ca-file"))
        cfg->http.ca_file = *ca;
    return Runtime::Create(std::move(*cfg));
}

StatusOr<std::string> ResolveVaultFlag(const Args& args, const Config& config) {
    auto vault = args.Get("--vault");
    if (!vault || vault->empty())
        return Status(ErrorCode::kInvalidArgument, "this command needs --vault URL or LABEL");
    if (vault->rfind("https://", 0) == 0)
        return *vault;
    for (const auto& v : config.vaults) {
        if (v.label == *vault)
            return v.url;
    }
    std::string labels;
    for (const auto& v : config.vaults)
        labels += (labels.empty() ? "" : ", ") + v.label;
    return Status(ErrorCode::kInvalidArgument,
                  "--vault \"" + *vault + "\" is neither an https:// URL nor a vault label in " +
                      config.source + " (labels: " + (labels.empty() ? "none" : labels) + ")");
}

StatusOr<std::shared_ptr<keyvault::Client>> VaultFromFlag(const Args& args,
                                                          std::shared_ptr<Runtime>* runtime) {
    AZKV_ASSIGN_OR_RETURN(*runtime, OpenRuntime(args));
    AZKV_ASSIGN_OR_RETURN(std::string url, ResolveVaultFlag(args, (*runtime)->config()));
    return (*runtime)->Vault(url);
}

bool WantJson(const Args& args) {
    return args.GetOr("--output", "table") == "json";
}

void PrintJson(const nlohmann::json& j) {
    std::cout << j.dump(2) << "\n";
}

bool ColourOut() {
    return ::isatty(1) == 1 && std::getenv("NO_COLOR") == nullptr;
}

bool StderrIsTty() {
    return ::isatty(2) == 1;
}

StatusOr<std::vector<uint8_t>> ReadInput(const std::string& path) {
    int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "cannot read " + path + ": " + std::strerror(errno));
    }
    std::vector<uint8_t> data;
    uint8_t buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            if (fd != 0)
                ::close(fd);
            return Status(ErrorCode::kInvalidArgument,
                          "cannot read " + path + ": " + std::strerror(e));
        }
        if (n == 0)
            break;
        data.insert(data.end(), buf, buf + n);
    }
    if (fd != 0)
        ::close(fd);
    return data;
}

Status WriteOutput(const std::string& path, const uint8_t* data, size_t len) {
    int fd = path == "-" ? 1 : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "cannot write " + path + ": " + std::strerror(errno));
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = ::write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += static_cast<size_t>(n);
    }
    if (fd != 1)
        ::close(fd);
    if (off != len)
        return Status(ErrorCode::kInternal, "short write to " + path);
    return Status::Ok();
}

Status WriteText(const std::string& path, const std::string& text) {
    return WriteOutput(path, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

std::string UnixTime(const std::optional<int64_t>& t) {
    if (!t)
        return "-";
    std::time_t tt = static_cast<std::time_t>(*t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : sep) + x;
    return s;
}

std::vector<std::string> SplitList(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');) {
        if (!item.empty())
            out.push_back(item);
    }
    return out;
}

}  // namespace azkv::cli
