// azkv cert create-self-signed | request | merge
#include <openssl/pem.h>

#include "azkv/keyvault/vault_url.h"
#include "azkv/util/base64.h"
#include "cert_commands.h"
#include "cert_view.h"
#include "command.h"
#include "key_ref.h"

namespace azkv::cli {
namespace {

// --san DNS:a.example,IP:10.0.0.1,EMAIL:x@y,URI:https://...
StatusOr<nlohmann::json> SansFrom(const std::string& list) {
    nlohmann::json sans = nlohmann::json::object();
    for (const auto& item : SplitList(list)) {
        size_t colon = item.find(':');
        std::string kind = colon == std::string::npos ? "DNS" : item.substr(0, colon);
        std::string value = colon == std::string::npos ? item : item.substr(colon + 1);
        const char* field = kind == "DNS"     ? "dns_names"
                            : kind == "IP"    ? "ipAddresses"
                            : kind == "EMAIL" ? "emails"
                            : kind == "URI"   ? "uris"
                                              : nullptr;
        if (field == nullptr || value.empty()) {
            return Status(
                ErrorCode::kInvalidArgument,
                "--san entry \"" + item + "\" is not DNS:name, IP:addr, EMAIL:a or URI:u");
        }
        sans[field].push_back(value);
    }
    return sans;
}

StatusOr<nlohmann::json> PolicyFrom(const Args& args, bool self_signed) {
    std::string kty = args.GetOr("--kty", "RSA-HSM");
    nlohmann::json key_props = {{"kty", kty}, {"exportable", false}, {"reuse_key", false}};
    if (kty.rfind("EC", 0) == 0)
        key_props["crv"] = args.GetOr("--curve", "P-256");
    else if (kty.rfind("RSA", 0) == 0)
        key_props["key_size"] = std::atoi(args.GetOr("--size", "2048").c_str());
    else
        return Status(ErrorCode::kInvalidArgument, "--kty is RSA-HSM or EC-HSM (or RSA, EC)");
    nlohmann::json x509 = {{"validity_months", std::atoi(args.GetOr("--months", "12").c_str())}};
    if (auto subject = args.Get("--subject"))
        x509["subject"] = *subject;
    if (auto san = args.Get("--san")) {
        AZKV_ASSIGN_OR_RETURN(x509["sans"], SansFrom(*san));
    }
    if (!x509.contains("subject") && !x509.contains("sans"))
        return Status(ErrorCode::kInvalidArgument, "give --subject CN=... and/or --san DNS:...");
    return nlohmann::json{
        {"key_props", key_props},
        {"x509_props", x509},
        {"issuer", {{"name", self_signed ? "Self" : "Unknown"}}},
        {"secret_props", {{"contentType", "application/x-pem-file"}}},
    };
}

std::string CsrPem(const std::vector<uint8_t>& der) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio(bio, "CERTIFICATE REQUEST", "", der.data(), static_cast<long>(der.size()));
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string s(data, static_cast<size_t>(len));
    BIO_free(bio);
    return s;
}

int PrintCreated(const Args& args, keyvault::Client& client, const std::string& name) {
    auto bundle = client.GetCertificate(name);
    if (!bundle.ok())
        return Fail(bundle.status());
    auto leaf = ParseDer(bundle->cer, "the certificate's cer");
    if (!leaf.ok())
        return Fail(leaf.status());
    nlohmann::json j = CertJson(leaf->get());
    j["id"] = bundle->id;
    j["kid"] = bundle->kid;
    if (WantJson(args))
        PrintJson(j);
    else
        std::cout << "created " << bundle->id << "\n  subject " << j["subject"].get<std::string>()
                  << "\n  key     " << bundle->kid << "\n";
    return kExitOk;
}

}  // namespace

int CertCreate(const std::vector<std::string>& argv, bool self_signed) {
    int rc = 0;
    auto args = ParseOrUsage(argv,
                             CommonFlags({"--name", "--subject", "--san", "--kty", "--size",
                                          "--curve", "--months", "--out"}),
                             {}, rc);
    if (!args)
        return rc;
    auto name = args->Get("--name");
    if (!name || !args->Get("--vault"))
        return Usage(std::string("cert ") + (self_signed ? "create-self-signed" : "request") +
                     " needs --vault URL|LABEL and --name NAME");
    if (!keyvault::IsValidObjectName(*name))
        return Usage("--name \"" + *name + "\" is not 1-127 of 0-9 a-z A-Z -");
    auto policy = PolicyFrom(*args, self_signed);
    if (!policy.ok())
        return Fail(policy.status());
    std::shared_ptr<Runtime> rt;
    auto client = VaultFromFlag(*args, &rt);
    if (!client.ok())
        return Fail(client.status());
    nlohmann::json body = {{"policy", *policy}};
    auto op = (*client)->Call("POST", "/certificates/" + *name + "/create", &body,
                              "create_certificate", *name);
    if (!op.ok())
        return Fail(op.status());
    if (self_signed)
        return PrintCreated(*args, **client, *name);
    auto csr = Base64Decode(op->value("csr", ""));
    if (!csr || csr->empty()) {
        return Fail(Status(ErrorCode::kBadResponse,
                           "vault " + (*client)->vault().origin() + " certificate " + *name +
                               " request: the pending operation carries no CSR"));
    }
    Status st = WriteText(args->GetOr("--out", "-"), CsrPem(*csr));
    if (!st.ok())
        return Fail(st);
    std::cerr << "certificate " << *name
              << " is pending: have the CA sign the CSR, then run: azkv cert merge " << *name
              << " --vault " << *args->Get("--vault") << " --file SIGNED.pem\n";
    return kExitOk;
}

int CertMerge(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--file"}), {}, rc);
    if (!args)
        return rc;
    auto file = args->Get("--file");
    if (!file)
        return Usage(
            "cert merge needs --file SIGNED.pem (the CA-signed certificate, chain optional)");
    auto text = ReadInput(*file);
    if (!text.ok())
        return Fail(text.status());
    auto certs = ParsePemChain(std::string(text->begin(), text->end()), *file);
    if (!certs.ok())
        return Fail(certs.status());
    auto nk = OpenNamedObject(*args, "cert merge", "certificates");
    if (!nk.ok())
        return Fail(nk.status());
    nlohmann::json x5c = nlohmann::json::array();
    for (const auto& c : OrderLeafFirst(std::move(*certs))) {
        unsigned char* der = nullptr;
        int len = i2d_X509(c.get(), &der);
        x5c.push_back(Base64Encode(der, static_cast<size_t>(len)));
        OPENSSL_free(der);
    }
    nlohmann::json body = {{"x5c", x5c}};
    auto merged = nk->client->Call("POST", "/certificates/" + nk->ref.name + "/pending/merge",
                                   &body, "merge_certificate", nk->ref.name);
    if (!merged.ok())
        return Fail(merged.status());
    return PrintCreated(*args, *nk->client, nk->ref.name);
}

}  // namespace azkv::cli
