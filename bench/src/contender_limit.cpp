// The physical limit: the identical sign request over one warm keep-alive connection per
// thread, with a token fetched once before the run. No parsing, no checking.
#include "contender.h"
#include "raw_http.h"

namespace azkv::bench {

namespace {

class LimitWorker : public Worker {
public:
    LimitWorker(const Target& t, const std::string& token)
        : http_(t.ca_file), url_(SignUrl(t)), body_(SignRequestBody(t.kind)), token_(token) {}
    bool SignOnce(std::string& error) override {
        RawResponse r = http_.Post(url_, body_, token_);
        if (r.status == 200)
            return true;
        error = "sign: " + (r.status != 0 ? "HTTP " + std::to_string(r.status) : r.error);
        return false;
    }

private:
    RawHttp http_;
    std::string url_, body_, token_;
};

class Limit : public Contender {
public:
    bool Setup(const Target& target, std::string& error) override {
        target_ = target;
        RawHttp http(target.ca_file);
        token_ = FetchImdsToken(http, target.imds, target.resource, error);
        return !token_.empty();
    }
    std::unique_ptr<Worker> NewWorker(std::string&) override {
        return std::make_unique<LimitWorker>(target_, token_);
    }

private:
    Target target_;
    std::string token_;
};

}  // namespace

std::unique_ptr<Contender> MakeLimit() {
    return std::make_unique<Limit>();
}

}  // namespace azkv::bench
