// azkv cert list | show | export
#include <iomanip>

#include "azkv/keyvault/vault_url.h"
#include "cert_commands.h"
#include "cert_view.h"
#include "command.h"
#include "key_ref.h"

namespace azkv::cli {
namespace {

struct FetchedCert {
    NamedKey named;
    keyvault::CertificateBundle bundle;
    X509Ptr leaf;
};

StatusOr<FetchedCert> FetchCert(const Args& args, const std::string& command) {
    FetchedCert f;
    AZKV_ASSIGN_OR_RETURN(f.named, OpenNamedObject(args, command, "certificates"));
    AZKV_ASSIGN_OR_RETURN(f.bundle,
                          f.named.client->GetCertificate(f.named.ref.name, f.named.ref.version));
    AZKV_ASSIGN_OR_RETURN(f.leaf, ParseDer(f.bundle.cer, "the certificate's cer"));
    return f;
}

}  // namespace

int CertList(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags(), {}, rc);
    if (!args)
        return rc;
    std::shared_ptr<Runtime> rt;
    auto client = VaultFromFlag(*args, &rt);
    if (!client.ok())
        return Fail(client.status());
    auto entries = (*client)->ListJson("/certificates?maxresults=25", "list_certificates", "");
    if (!entries.ok())
        return Fail(entries.status());
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& e : *entries) {
        std::string id_url = e.value("id", "");
        auto id = keyvault::ObjectId::Parse(id_url);
        const auto attrs = e.value("attributes", nlohmann::json::object());
        rows.push_back({{"name", id.ok() ? id->name : id_url},
                        {"id", id_url},
                        {"enabled", attrs.value("enabled", true)},
                        {"expires", attrs.contains("exp") ? attrs["exp"] : nlohmann::json()},
                        {"x5t", e.value("x5t", "")}});
    }
    if (WantJson(*args)) {
        PrintJson(rows);
        return kExitOk;
    }
    std::cout << std::left << std::setw(32) << "NAME" << std::setw(9) << "ENABLED"
              << "EXPIRES\n";
    for (const auto& r : rows) {
        std::optional<int64_t> exp;
        if (r["expires"].is_number())
            exp = r["expires"].get<int64_t>();
        std::cout << std::setw(32) << r["name"].get<std::string>() << std::setw(9)
                  << (r["enabled"].get<bool>() ? "yes" : "no") << UnixTime(exp) << "\n";
    }
    return kExitOk;
}

int CertShow(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags(), {}, rc);
    if (!args)
        return rc;
    auto f = FetchCert(*args, "cert show");
    if (!f.ok())
        return Fail(f.status());
    nlohmann::json j = CertJson(f->leaf.get());
    j["id"] = f->bundle.id;
    j["kid"] = f->bundle.kid;
    j["sid"] = f->bundle.sid;
    j["enabled"] = f->bundle.attributes.enabled;
    j["tags"] = f->bundle.tags;
    if (WantJson(*args)) {
        PrintJson(j);
        return kExitOk;
    }
    std::cout << "id:          " << f->bundle.id << "\n"
              << "subject:     " << j["subject"].get<std::string>() << "\n"
              << "issuer:      " << j["issuer"].get<std::string>() << "\n"
              << "not before:  " << UnixTime(j["not_before"].get<int64_t>()) << "\n"
              << "not after:   " << UnixTime(j["not_after"].get<int64_t>()) << "\n"
              << "serial:      " << j["serial"].get<std::string>() << "\n"
              << "sha1:        " << j["sha1"].get<std::string>() << "\n"
              << "sha256:      " << j["sha256"].get<std::string>() << "\n"
              << "key (kid):   " << f->bundle.kid << "\n"
              << "enabled:     " << (f->bundle.attributes.enabled ? "yes" : "no") << "\n";
    return kExitOk;
}

// The chain comes from the certificate's secret (needs secrets/get); without that right only
// the leaf can be written, which is said on stderr.
int CertExport(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--out"}), {"--leaf-only"}, rc);
    if (!args)
        return rc;
    auto f = FetchCert(*args, "cert export");
    if (!f.ok())
        return Fail(f.status());
    std::string pem;
    if (args->Has("--leaf-only")) {
        pem = CertPem(f->leaf.get());
    } else {
        auto sid = keyvault::ObjectId::Parse(f->bundle.sid);
        if (!sid.ok())
            return Fail(sid.status());
        auto secret = f->named.client->GetSecret(sid->name, sid->version);
        if (!secret.ok()) {
            Status st = secret.status();
            return Fail(st.Prepend("cannot read the chain (use --leaf-only for the leaf alone): "));
        }
        auto chain = ChainFromSecret(*secret);
        if (!chain.ok())
            return Fail(chain.status());
        if (X509_cmp(chain->front().get(), f->leaf.get()) != 0) {
            return Fail(Status(ErrorCode::kBadResponse,
                               "vault " + f->named.ref.vault_url + " certificate " +
                                   f->named.ref.name +
                                   " export: the secret's leaf is not the certificate's cer; "
                                   "refusing to write a chain for another key"));
        }
        for (const auto& c : *chain)
            pem += CertPem(c.get());
    }
    Status st = WriteText(args->GetOr("--out", "-"), pem);
    return st.ok() ? kExitOk : Fail(st);
}

}  // namespace azkv::cli
