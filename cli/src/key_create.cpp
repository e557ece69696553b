// azkv key create | rotate
#include <ctime>

#include "azkv/keyvault/jwk_key.h"
#include "command.h"
#include "key_commands.h"
#include "key_ref.h"
#include "key_view.h"

namespace azkv::cli {
namespace {

// Unix seconds or RFC 3339 UTC (2027-01-31T00:00:00Z).
StatusOr<int64_t> ParseTime(const std::string& flag, const std::string& s) {
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end != nullptr && *end == '\0')
        return static_cast<int64_t>(v);
    std::tm tm{};
    const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (rest == nullptr || *rest != '\0') {
        rest = strptime(s.c_str(), "%Y-%m-%d", &tm);
        if (rest == nullptr || *rest != '\0') {
            return Status(ErrorCode::kInvalidArgument,
                          flag + " \"" + s +
                              "\" is neither unix seconds nor a UTC time like "
                              "2027-01-31T00:00:00Z or 2027-01-31");
        }
    }
    return static_cast<int64_t>(timegm(&tm));
}

Status CheckShape(const keyvault::CreateKeyParams& p) {
    static const std::set<std::string> kTypes = {"RSA-HSM", "EC-HSM", "oct-HSM", "RSA", "EC"};
    static const std::set<std::string> kCurves = {"P-256", "P-384", "P-521", "P-256K"};
    if (kTypes.count(p.kty) == 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "--kty \"" + p.kty + "\" is not one of RSA-HSM EC-HSM oct-HSM RSA EC");
    }
    if (p.kty.rfind("RSA", 0) == 0 && p.key_size != 2048 && p.key_size != 3072 &&
        p.key_size != 4096) {
        return Status(ErrorCode::kInvalidArgument, "--size for RSA is 2048, 3072 or 4096");
    }
    if (p.kty == "oct-HSM" && p.key_size != 128 && p.key_size != 192 && p.key_size != 256)
        return Status(ErrorCode::kInvalidArgument, "--size for oct-HSM is 128, 192 or 256");
    if (p.kty.rfind("EC", 0) == 0 && kCurves.count(p.crv) == 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "--curve \"" + p.crv + "\" is not one of P-256 P-384 P-521 P-256K");
    }
    return Status::Ok();
}

StatusOr<keyvault::CreateKeyParams> ParamsFromFlags(const Args& args) {
    keyvault::CreateKeyParams p;
    p.kty = args.GetOr("--kty", "RSA-HSM");
    if (p.kty.rfind("EC", 0) == 0) {
        p.crv = args.GetOr("--curve", "P-256");
    } else {
        p.key_size = std::atoi(args.GetOr("--size", p.kty == "oct-HSM" ? "256" : "2048").c_str());
    }
    if (auto ops = args.Get("--ops"))
        p.key_ops = SplitList(*ops);
    if (auto nbf = args.Get("--not-before")) {
        AZKV_ASSIGN_OR_RETURN(int64_t t, ParseTime("--not-before", *nbf));
        p.not_before = t;
    }
    if (auto exp = args.Get("--expires")) {
        AZKV_ASSIGN_OR_RETURN(int64_t t, ParseTime("--expires", *exp));
        p.expires = t;
    }
    if (auto tags = args.Get("--tags")) {
        for (const auto& tag : SplitList(*tags)) {
            size_t eq = tag.find('=');
            if (eq == std::string::npos || eq == 0)
                return Status(ErrorCode::kInvalidArgument, "--tags takes K=V[,K=V...]");
            p.tags[tag.substr(0, eq)] = tag.substr(eq + 1);
        }
    }
    if (args.Has("--disabled"))
        p.enabled = false;
    AZKV_RETURN_IF_ERROR(CheckShape(p));
    return p;
}

int Report(const Args& args, const keyvault::KeyBundle& bundle, const char* verb) {
    auto pub = keyvault::PublicKeyFromJwk(bundle.key);
    if (WantJson(args)) {
        PrintJson(BundleJson(bundle, pub.ok() ? pub->get() : nullptr));
    } else {
        std::cout << verb << " " << bundle.key.kid << " (" << bundle.key.kty << " "
                  << SizeOrCurve(bundle.key) << ")\n";
    }
    return kExitOk;
}

}  // namespace

int KeyCreate(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv,
                             CommonFlags({"--name", "--kty", "--size", "--curve", "--ops",
                                          "--not-before", "--expires", "--tags"}),
                             {"--disabled"}, rc);
    if (!args)
        return rc;
    auto name = args->Get("--name");
    if (!name && args->positionals().size() == 1)
        name = args->positionals()[0];
    if (!name || !args->Get("--vault"))
        return Usage("key create needs --vault URL|LABEL and --name NAME");
    auto params = ParamsFromFlags(*args);
    if (!params.ok())
        return Fail(params.status());
    std::shared_ptr<Runtime> rt;
    auto client = VaultFromFlag(*args, &rt);
    if (!client.ok())
        return Fail(client.status());
    auto bundle = (*client)->CreateKey(*name, *params);
    if (!bundle.ok())
        return Fail(bundle.status());
    return Report(*args, *bundle, "created");
}

// A new version with the type, size or curve, operations and tags of the current one.
int KeyRotate(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--expires"}), {}, rc);
    if (!args)
        return rc;
    auto nk = OpenNamedObject(*args, "key rotate");
    if (!nk.ok())
        return Fail(nk.status());
    if (!nk->ref.version.empty())
        return Usage("key rotate takes a key name, not a version");
    auto current = nk->client->GetKey(nk->ref.name);
    if (!current.ok())
        return Fail(current.status());
    if (current->managed) {
        return Fail(Status(ErrorCode::kUnsupported,
                           "key " + nk->ref.name +
                               " backs a certificate; renew the certificate instead (azkv cert "
                               "create-self-signed or cert request)"));
    }
    keyvault::CreateKeyParams p;
    p.kty = current->key.kty;
    p.crv = current->key.crv;
    if (p.crv.empty() && !current->key.n.empty())
        p.key_size = std::atoi(SizeOrCurve(current->key).c_str());
    p.key_ops = current->key.key_ops;
    p.tags = current->tags;
    if (auto exp = args->Get("--expires")) {
        auto t = ParseTime("--expires", *exp);
        if (!t.ok())
            return Fail(t.status());
        p.expires = *t;
    }
    auto bundle = nk->client->CreateKey(nk->ref.name, p);
    if (!bundle.ok())
        return Fail(bundle.status());
    return Report(*args, *bundle, "rotated to");
}

}  // namespace azkv::cli
