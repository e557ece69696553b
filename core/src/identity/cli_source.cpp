// Azure CLI: a developer's `az login` session, for workstations and CI (never a stored secret of
// ours: the CLI keeps its own).

#include "identity/cli_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "azkv/identity/sources.h"
#include "identity/identity_http.h"
#include "identity/subprocess.h"
#include "identity/token_time.h"

namespace azkv::identity {
namespace {

constexpr const char* kName = "cli";
// `az account get-access-token` prints well under 10 KiB.
constexpr size_t kMaxOutput = size_t{256} * 1024;
constexpr size_t kMaxStderrInMessage = 300;

Status Bad(const std::string& what) {
    return {ErrorCode::kBadResponse, std::string(kName) + ": az output: " + what};
}

// The first non-empty line of stderr, on one line and bounded: az explains itself there
// ("ERROR: Please run 'az login' to setup account.").
std::string FirstLine(const std::string& err) {
    size_t start = err.find_first_not_of(" \r\n\t");
    if (start == std::string::npos)
        return "no message";
    std::string line = err.substr(start, err.find_first_of("\r\n", start) - start);
    if (line.size() > kMaxStderrInMessage)
        line = line.substr(0, kMaxStderrInMessage) + "...";
    for (char& c : line) {
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    }
    return line;
}

// Newer CLIs print expires_on (epoch seconds); older ones only expiresOn, in local time.
StatusOr<SystemClock::time_point> CliExpiry(const nlohmann::json& doc) {
    auto on = doc.find("expires_on");
    if (on != doc.end() && on->is_number_integer() && on->get<long long>() > 0 &&
        on->get<long long>() <= kMaxEpochSeconds) {
        return FromEpochSeconds(on->get<long long>());
    }
    if (on != doc.end() && on->is_string()) {
        if (auto n = ParseNumericString(on->get_ref<const std::string&>());
            n && *n <= kMaxEpochSeconds) {
            return FromEpochSeconds(*n);
        }
    }
    auto local = doc.find("expiresOn");
    if (local != doc.end() && local->is_string()) {
        if (auto t = ParseCliLocalTime(local->get_ref<const std::string&>()))
            return *t;
    }
    return Bad("neither \"expires_on\" (epoch seconds) nor \"expiresOn\" (local time) is usable");
}

StatusOr<AccessToken> ParseCliOutput(std::string_view out, SystemClock::time_point now) {
    auto doc = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object())
        return Bad("not a JSON object");
    auto tok = doc.find("accessToken");
    if (tok == doc.end() || !tok->is_string() || tok->get_ref<const std::string&>().empty()) {
        return Bad("\"accessToken\" is missing or not a non-empty string");
    }
    std::string& raw = tok->get_ref<std::string&>();
    AccessToken token;
    token.token = SecretString(raw);
    SecureWipe(raw.data(), raw.size());
    AZKV_ASSIGN_OR_RETURN(token.expires_on, CliExpiry(doc));
    if (token.expires_on <= now)
        return Bad("the token has already expired");
    token.refresh_on = RefreshOn(now, token.expires_on, std::nullopt);
    return token;
}

class CliSource : public TokenSource {
public:
    CliSource(std::string az, std::chrono::milliseconds timeout)
        : az_(std::move(az)), timeout_(timeout) {}

    std::string Name() const override { return kName; }

    StatusOr<AccessToken> Fetch(const std::string& resource) override {
        std::string r = AsV1Resource(resource);
        // It becomes an argument: something starting with "-" would be read as an option.
        if (r.rfind("https://", 0) != 0 && r.rfind("http://", 0) != 0) {
            return Status(ErrorCode::kInvalidArgument,
                          std::string(kName) + ": resource is not a URL: " + r);
        }
        StatusOr<ProcessResult> run = RunProcess(
            az_, {"az", "account", "get-access-token", "--resource", r, "--output", "json"},
            timeout_, kMaxOutput);
        if (!run.ok()) {
            Status st = run.status();
            st.Prepend(std::string(kName) + ": ");
            return st;
        }
        if (run->exit_code != 0) {
            return Status(ErrorCode::kUnauthenticated,
                          std::string(kName) + ": `" + az_ +
                              " account get-access-token` exited with " +
                              std::to_string(run->exit_code) + ": " + FirstLine(run->err) +
                              " (run `az login`, or choose another identity type)");
        }
        return ParseCliOutput(std::string_view(run->out.data(), run->out.size()),
                              SystemClock::now());
    }

private:
    std::string az_;
    std::chrono::milliseconds timeout_;
};

}  // namespace

std::optional<std::string> FindAzOnPath(const EnvLookup& env) {
    std::string path = EnvOr(env, "PATH");
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        if (end == std::string::npos)
            end = path.size();
        std::string dir = path.substr(start, end - start);
        start = end + 1;
        // An empty or relative entry means the current directory: not a place to trust.
        if (dir.empty() || dir[0] != '/')
            continue;
        std::string candidate = dir + "/az";
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return std::nullopt;
}

StatusOr<std::unique_ptr<TokenSource>> MakeCliSource(const IdentityConfig& config,
                                                     const SourceContext& ctx) {
    if (!config.client_id.empty() || !config.object_id.empty() || !config.resource_id.empty()) {
        return Status(ErrorCode::kConfig,
                      std::string(kName) +
                          ": the Azure CLI uses its signed-in account; remove identity client_id, "
                          "object_id and resource_id");
    }
    std::optional<std::string> az = FindAzOnPath(ctx.env);
    if (!az) {
        return Status(ErrorCode::kConfig,
                      std::string(kName) +
                          ": `az` is not on PATH (install the Azure CLI and run "
                          "`az login`)");
    }
    return std::unique_ptr<TokenSource>(std::make_unique<CliSource>(*az, ctx.cli_timeout));
}

}  // namespace azkv::identity
