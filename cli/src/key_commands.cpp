// azkv key create | show | list | export-pub
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <ctime>
#include <iomanip>
#include <sstream>

#include "azkv/keyvault/jwk_key.h"
#include "azkv/util/base64.h"
#include "command.h"
#include "key_ref.h"

namespace azkv::cli {
namespace {

const std::set<std::string> kCommon = {"--config", "--ca-file", "--output", "--vault"};

std::set<std::string> With(std::set<std::string> extra) {
    extra.insert(kCommon.begin(), kCommon.end());
    return extra;
}

std::string Join(const std::vector<std::string>& v, const char* sep = ",") {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : sep) + x;
    return s;
}

std::string Time(const std::optional<int64_t>& t) {
    if (!t)
        return "-";
    std::time_t tt = static_cast<std::time_t>(*t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string SizeOrCurve(const keyvault::JsonWebKey& k) {
    if (!k.crv.empty())
        return k.crv;
    if (!k.n.empty()) {
        size_t bytes = k.n.size();
        size_t i = 0;
        while (i < k.n.size() && k.n[i] == 0)
            ++i;
        return std::to_string((bytes - i) * 8);
    }
    return "-";
}

StatusOr<std::string> PublicPem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr || PEM_write_bio_PUBKEY(bio, key) != 1) {
        BIO_free(bio);
        return Status(ErrorCode::kInternal, "cannot encode the public key as PEM");
    }
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    return pem;
}

std::string SpkiFingerprint(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key, &der);
    if (len <= 0)
        return "";
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(der, static_cast<size_t>(len), md);
    OPENSSL_free(der);
    std::ostringstream s;
    for (unsigned char b : md)
        s << std::hex << std::setw(2) << std::setfill('0') << int(b);
    return s.str();
}

nlohmann::json BundleJson(const keyvault::KeyBundle& b, EVP_PKEY* pub) {
    nlohmann::json jwk = {{"kid", b.key.kid}, {"kty", b.key.kty}, {"key_ops", b.key.key_ops}};
    if (!b.key.n.empty()) {
        jwk["n"] = Base64UrlEncode(b.key.n);
        jwk["e"] = Base64UrlEncode(b.key.e);
    }
    if (!b.key.crv.empty()) {
        jwk["crv"] = b.key.crv;
        jwk["x"] = Base64UrlEncode(b.key.x);
        jwk["y"] = Base64UrlEncode(b.key.y);
    }
    nlohmann::json j = {{"kid", b.key.kid},
                        {"kty", b.key.kty},
                        {"size_or_curve", SizeOrCurve(b.key)},
                        {"enabled", b.attributes.enabled},
                        {"key_ops", b.key.key_ops},
                        {"created", b.attributes.created.value_or(0)},
                        {"tags", b.tags},
                        {"jwk", jwk}};
    if (b.attributes.not_before)
        j["not_before"] = *b.attributes.not_before;
    if (b.attributes.expires)
        j["expires"] = *b.attributes.expires;
    if (pub != nullptr)
        j["spki_sha256"] = SpkiFingerprint(pub);
    return j;
}

// The key named by the one positional argument, fetched from its vault.
StatusOr<keyvault::KeyBundle> FetchNamedKey(const Args& args, const std::string& command) {
    if (args.positionals().size() != 1) {
        return Status(ErrorCode::kInvalidArgument, command + " needs one key reference");
    }
    AZKV_ASSIGN_OR_RETURN(KeyRef ref,
                          ParseKeyRef(args.positionals()[0], args.GetOr("--vault", "")));
    AZKV_ASSIGN_OR_RETURN(auto rt, OpenRuntime(args));
    AZKV_ASSIGN_OR_RETURN(auto client, rt->Vault(ref.vault_url));
    return client->GetKey(ref.name, ref.version);
}

int Create(const std::vector<std::string>& argv) {
    std::string err;
    auto args = Args::Parse(argv,
                            With({"--name", "--kty", "--size", "--curve", "--ops", "--not-before",
                                  "--expires", "--tag"}),
                            {}, err);
    if (!args)
        return Usage(err);
    auto vault = args->Get("--vault");
    auto name = args->Get("--name");
    if (!vault || !name)
        return Usage("key create needs --vault URL and --name NAME");
    keyvault::CreateKeyParams p;
    p.kty = args->GetOr("--kty", "RSA-HSM");
    bool ec = p.kty.rfind("EC", 0) == 0;
    if (ec) {
        p.crv = args->GetOr("--curve", "P-256");
    } else {
        p.key_size = std::atoi(args->GetOr("--size", "2048").c_str());
    }
    if (auto ops = args->Get("--ops")) {
        std::stringstream ss(*ops);
        for (std::string op; std::getline(ss, op, ',');)
            p.key_ops.push_back(op);
    }
    if (auto nbf = args->Get("--not-before"))
        p.not_before = std::atoll(nbf->c_str());
    if (auto exp = args->Get("--expires"))
        p.expires = std::atoll(exp->c_str());
    if (auto tag = args->Get("--tag")) {
        size_t eq = tag->find('=');
        if (eq == std::string::npos)
            return Usage("--tag takes KEY=VALUE");
        p.tags[tag->substr(0, eq)] = tag->substr(eq + 1);
    }
    auto rt = OpenRuntime(*args);
    if (!rt.ok())
        return Fail(rt.status());
    auto client = (*rt)->Vault(*vault);
    if (!client.ok())
        return Fail(client.status());
    auto bundle = (*client)->CreateKey(*name, p);
    if (!bundle.ok())
        return Fail(bundle.status());
    auto pub = keyvault::PublicKeyFromJwk(bundle->key);
    nlohmann::json j = BundleJson(*bundle, pub.ok() ? pub->get() : nullptr);
    if (WantJson(*args)) {
        PrintJson(j);
    } else {
        std::cout << "created " << bundle->key.kid << " (" << bundle->key.kty << " "
                  << SizeOrCurve(bundle->key) << ")\n";
    }
    return kExitOk;
}

int Show(const std::vector<std::string>& argv) {
    std::string err;
    auto args = Args::Parse(argv, kCommon, {}, err);
    if (!args)
        return Usage(err);
    auto bundle = FetchNamedKey(*args, "key show");
    if (!bundle.ok())
        return Fail(bundle.status());
    auto pub = keyvault::PublicKeyFromJwk(bundle->key);
    nlohmann::json j = BundleJson(*bundle, pub.ok() ? pub->get() : nullptr);
    if (WantJson(*args)) {
        PrintJson(j);
        return kExitOk;
    }
    std::cout << "kid:         " << bundle->key.kid << "\n"
              << "type:        " << bundle->key.kty << " " << SizeOrCurve(bundle->key) << "\n"
              << "enabled:     " << (bundle->attributes.enabled ? "yes" : "no") << "\n"
              << "operations:  " << Join(bundle->key.key_ops) << "\n"
              << "not before:  " << Time(bundle->attributes.not_before) << "\n"
              << "expires:     " << Time(bundle->attributes.expires) << "\n"
              << "created:     " << Time(bundle->attributes.created) << "\n";
    if (pub.ok())
        std::cout << "spki sha256: " << SpkiFingerprint(pub->get()) << "\n";
    std::cout << "jwk:         " << j["jwk"].dump() << "\n";
    return kExitOk;
}

int List(const std::vector<std::string>& argv) {
    std::string err;
    auto args = Args::Parse(argv, kCommon, {}, err);
    if (!args)
        return Usage(err);
    auto vault = args->Get("--vault");
    if (!vault)
        return Usage("key list needs --vault URL");
    auto rt = OpenRuntime(*args);
    if (!rt.ok())
        return Fail(rt.status());
    auto client = (*rt)->Vault(*vault);
    if (!client.ok())
        return Fail(client.status());
    auto items = (*client)->ListKeys();
    if (!items.ok())
        return Fail(items.status());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : *items) {
        auto id = keyvault::ObjectId::Parse(item.kid);
        out.push_back({{"name", id.ok() ? id->name : item.kid},
                       {"kid", item.kid},
                       {"enabled", item.attributes.enabled},
                       {"managed", item.managed},
                       {"expires", item.attributes.expires ? Time(item.attributes.expires) : "-"}});
    }
    if (WantJson(*args)) {
        PrintJson(out);
        return kExitOk;
    }
    std::cout << std::left << std::setw(40) << "NAME" << std::setw(9) << "ENABLED"
              << "EXPIRES\n";
    for (const auto& row : out) {
        std::cout << std::setw(40) << row["name"].get<std::string>() << std::setw(9)
                  << (row["enabled"].get<bool>() ? "yes" : "no")
                  << row["expires"].get<std::string>() << "\n";
    }
    return kExitOk;
}

int ExportPub(const std::vector<std::string>& argv) {
    std::string err;
    auto args = Args::Parse(argv, With({"--out"}), {}, err);
    if (!args)
        return Usage(err);
    auto bundle = FetchNamedKey(*args, "key export-pub");
    if (!bundle.ok())
        return Fail(bundle.status());
    auto pub = keyvault::PublicKeyFromJwk(bundle->key);
    if (!pub.ok())
        return Fail(pub.status());
    auto pem = PublicPem(pub->get());
    if (!pem.ok())
        return Fail(pem.status());
    Status st = WriteOutput(args->GetOr("--out", "-"),
                            reinterpret_cast<const uint8_t*>(pem->data()), pem->size());
    return st.ok() ? kExitOk : Fail(st);
}

}  // namespace

int RunKeyCommand(const std::string& command, const std::vector<std::string>& rest) {
    if (command == "create")
        return Create(rest);
    if (command == "show")
        return Show(rest);
    if (command == "list")
        return List(rest);
    if (command == "export-pub")
        return ExportPub(rest);
    return Usage("unknown key command \"" + command + "\" (create, show, list, export-pub)");
}

}  // namespace azkv::cli
