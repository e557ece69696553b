// The core client: Runtime::Key once, then RemoteKey::Sign (plan, one request, local check of
// the answer with the public key) per operation.
#include <openssl/sha.h>

#include "azkv/config/config.h"
#include "azkv/runtime.h"
#include "contender.h"

namespace azkv::bench {

namespace {

class CoreWorker : public Worker {
public:
    CoreWorker(std::shared_ptr<const keys::RemoteKey> key, KeyKind kind)
        : key_(std::move(key)), kind_(kind) {}
    bool SignOnce(std::string& error) override {
        unsigned char digest[SHA256_DIGEST_LENGTH];
        SHA256(Message().data(), Message().size(), digest);
        std::span<const uint8_t> d(digest, sizeof digest);
        auto plan = kind_ == KeyKind::kRsa
                        ? key_->PlanRsaSign(keys::DigestAlg::kSha256, d, keys::RsaPadding::kPkcs1)
                        : key_->PlanEcdsaSign(d);
        if (!plan.ok()) {
            error = plan.status().message();
            return false;
        }
        auto sig = key_->Sign(*plan);
        if (!sig.ok()) {
            error = sig.status().message();
            return false;
        }
        return true;
    }

private:
    std::shared_ptr<const keys::RemoteKey> key_;
    KeyKind kind_;
};

class Core : public Contender {
public:
    bool Setup(const Target& target, std::string& error) override {
        kind_ = target.kind;
        auto config = LoadConfig(target.config);
        if (!config.ok()) {
            error = config.status().message();
            return false;
        }
        auto runtime = Runtime::Create(std::move(*config));
        if (!runtime.ok()) {
            error = runtime.status().message();
            return false;
        }
        runtime_ = *runtime;
        auto key = runtime_->Key(target.origin, target.name, target.version);
        if (!key.ok()) {
            error = key.status().message();
            return false;
        }
        key_ = *key;
        return true;
    }
    std::unique_ptr<Worker> NewWorker(std::string&) override {
        return std::make_unique<CoreWorker>(key_, kind_);
    }

private:
    std::shared_ptr<Runtime> runtime_;
    std::shared_ptr<const keys::RemoteKey> key_;
    KeyKind kind_ = KeyKind::kEc;
};

}  // namespace

std::unique_ptr<Contender> MakeCore() {
    return std::make_unique<Core>();
}

}  // namespace azkv::bench
