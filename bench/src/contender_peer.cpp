// The peer model, as the existing Key Vault engines work (Microsoft's e_akv: curl_easy_init and
// an IMDS token request for every operation): a fresh connection to the identity endpoint and a
// fresh TLS connection to the vault for every signature.
#include "contender.h"
#include "raw_http.h"

namespace azkv::bench {

namespace {

class PeerWorker : public Worker {
public:
    explicit PeerWorker(const Target& t)
        : t_(t), url_(SignUrl(t)), body_(SignRequestBody(t.kind)) {}
    bool SignOnce(std::string& error) override {
        std::string token;
        {
            RawHttp identity(t_.ca_file);
            token = FetchImdsToken(identity, t_.imds, t_.resource, error);
        }
        if (token.empty())
            return false;
        RawHttp vault(t_.ca_file);
        RawResponse r = vault.Post(url_, body_, token);
        if (r.status == 200)
            return true;
        error = "sign: " + (r.status != 0 ? "HTTP " + std::to_string(r.status) : r.error);
        return false;
    }

private:
    const Target& t_;
    std::string url_, body_;
};

class Peer : public Contender {
public:
    bool Setup(const Target& target, std::string&) override {
        target_ = target;
        return true;
    }
    std::unique_ptr<Worker> NewWorker(std::string&) override {
        return std::make_unique<PeerWorker>(target_);
    }

private:
    Target target_;
};

}  // namespace

std::unique_ptr<Contender> MakePeer() {
    return std::make_unique<Peer>();
}

}  // namespace azkv::bench
