// azkv sign | verify: hash locally, sign in the vault, verify locally.
#include "azkv/keys/ecdsa.h"
#include "command.h"
#include "key_ref.h"

namespace azkv::cli {
namespace {

const std::set<std::string> kFlags = {"--config", "--ca-file", "--output",    "--vault", "--alg",
                                      "--in",     "--out",     "--signature", "--format"};

struct AlgChoice {
    keys::DigestAlg digest;
    bool ecdsa;
    keys::RsaPadding padding;
};

StatusOr<AlgChoice> ParseAlg(const std::string& alg) {
    if (alg.size() == 5 || alg.size() == 6) {
        std::string family = alg.substr(0, 2);
        std::string bits = alg.substr(2, 3);
        auto d = keys::DigestFromName("SHA" + bits);
        if (d && (alg.size() == 5 || (family == "ES" && alg == "ES256K"))) {
            if (family == "RS")
                return AlgChoice{*d, false, keys::RsaPadding::kPkcs1};
            if (family == "PS")
                return AlgChoice{*d, false, keys::RsaPadding::kPss};
            if (family == "ES")
                return AlgChoice{*d, true, keys::RsaPadding::kPkcs1};
        }
    }
    return Status(ErrorCode::kInvalidArgument,
                  "unknown --alg \"" + alg +
                      "\" (RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512)");
}

struct Prepared {
    std::shared_ptr<const keys::RemoteKey> key;
    keys::SignPlan plan;
    bool ecdsa = false;
    bool der = true;
};

StatusOr<Prepared> Prepare(const Args& args) {
    if (args.positionals().size() != 1) {
        return Status(ErrorCode::kInvalidArgument, "give exactly one key reference");
    }
    AZKV_ASSIGN_OR_RETURN(AlgChoice alg, ParseAlg(args.GetOr("--alg", "")));
    AZKV_ASSIGN_OR_RETURN(std::vector<uint8_t> data, ReadInput(args.GetOr("--in", "-")));
    std::vector<uint8_t> digest(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &len, keys::DigestMd(alg.digest),
                   nullptr) != 1) {
        return Status(ErrorCode::kInternal, "hashing failed");
    }
    digest.resize(len);
    AZKV_ASSIGN_OR_RETURN(auto rt, OpenRuntime(args));
    AZKV_ASSIGN_OR_RETURN(
        KeyRef ref, ParseKeyRef(args.positionals()[0], args.GetOr("--vault", ""), rt->config()));
    AZKV_ASSIGN_OR_RETURN(auto key, rt->Key(ref.vault_url, ref.name, ref.version));
    Prepared p;
    p.key = key;
    p.ecdsa = alg.ecdsa;
    p.der = args.GetOr("--format", "der") != "raw";
    if (alg.ecdsa) {
        AZKV_ASSIGN_OR_RETURN(p.plan, key->PlanEcdsaSign(digest));
    } else {
        AZKV_ASSIGN_OR_RETURN(p.plan, key->PlanRsaSign(alg.digest, digest, alg.padding));
    }
    return p;
}

}  // namespace

int RunSign(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, kFlags, {}, rc);
    if (!args)
        return rc;
    auto p = Prepare(*args);
    if (!p.ok())
        return Fail(p.status());
    auto sig = p->key->Sign(p->plan);
    if (!sig.ok())
        return Fail(sig.status());
    std::vector<uint8_t> out = *sig;
    if (p->ecdsa && p->der) {
        auto der = keys::EcdsaRawToDer(out);
        if (!der.ok())
            return Fail(der.status());
        out = *der;
    }
    Status st = WriteOutput(args->GetOr("--out", "-"), out.data(), out.size());
    if (!st.ok())
        return Fail(st);
    if (args->GetOr("--out", "-") != "-") {
        std::cerr << "signed with " << p->key->kid() << " (" << p->plan.alg << ", " << out.size()
                  << " bytes)\n";
    }
    return kExitOk;
}

int RunVerify(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, kFlags, {}, rc);
    if (!args)
        return rc;
    auto sig_path = args->Get("--signature");
    if (!sig_path)
        return Usage("verify needs --signature FILE");
    auto p = Prepare(*args);
    if (!p.ok())
        return Fail(p.status());
    auto sig = ReadInput(*sig_path);
    if (!sig.ok())
        return Fail(sig.status());
    std::vector<uint8_t> raw = *sig;
    if (p->ecdsa && p->der) {
        auto r = keys::EcdsaDerToRaw(*sig, p->plan.signature_len / 2);
        if (!r.ok())
            return Fail(r.status());
        raw = *r;
    }
    Status st = p->key->VerifyLocal(p->plan, raw);
    if (!st.ok()) {
        std::cerr << "azkv: signature does NOT verify with " << p->key->kid() << "\n";
        return kExitVerifyFailed;
    }
    std::cout << "signature verified with " << p->key->kid() << " (" << p->plan.alg << ")\n";
    return kExitOk;
}

}  // namespace azkv::cli
