#include "token_certificates.h"

#include <algorithm>

#include "certificate_objects.h"
#include "key_objects.h"
#include "p11_error.h"

namespace azkv::p11 {

TokenCertificates::TokenCertificates(std::shared_ptr<Runtime> runtime, const VaultConfig& vault,
                                     bool managed_hsm, const AppLocking& locking,
                                     ObjectStore* store)
    : discovery_(runtime, vault, managed_hsm),
      ttl_(runtime->config().cache.key_ttl_s),
      store_(store),
      mu_(locking),
      enumerate_mu_(locking) {}

bool TokenCertificates::Fresh(std::chrono::steady_clock::time_point fetched) const {
    return std::chrono::steady_clock::now() - fetched < ttl_;
}

void TokenCertificates::Publish(const std::string& name,
                                const std::optional<FoundCertificate>& found) {
    std::vector<std::shared_ptr<Object>> objects;
    if (found) {
        CertificateObjectContext leaf{
            name, VersionIdBytes(found->version), found->kid, false, name, found->version};
        try {
            objects.push_back(BuildCertificateObject(found->leaf, leaf));
            for (size_t i = 0; i < found->chain.size(); ++i) {
                std::string n = std::to_string(i + 1);
                CertificateObjectContext ca{name + "/chain" + n,          {}, "", true, name,
                                            found->version + "/chain" + n};
                objects.push_back(BuildCertificateObject(found->chain[i], ca));
            }
        } catch (const P11Error&) {
            objects.clear();  // logged by the builder; the certificate is not offered
        }
    }
    std::lock_guard<ModuleMutex> lock(mu_);
    fetched_[name] = std::chrono::steady_clock::now();
    // Objects of a version that is no longer current (renewed, deleted) go away.
    for (const ObjectPtr& o : store_->ByName(name)) {
        if (o->object_class != CKO_CERTIFICATE)
            continue;
        bool kept = std::any_of(objects.begin(), objects.end(),
                                [&](const auto& n) { return n->version == o->version; });
        if (!kept)
            store_->Remove(o->handle);
    }
    for (auto& object : objects)
        store_->PutTokenObject(std::move(object));
}

void TokenCertificates::Resolve(const std::optional<std::string>& label) {
    if (label) {
        std::string name = label->substr(0, label->find('/'));
        {
            std::lock_guard<ModuleMutex> lock(mu_);
            auto it = fetched_.find(name);
            if (it != fetched_.end() && Fresh(it->second))
                return;
        }
        Publish(name, discovery_.ByName(name));
        return;
    }
    std::lock_guard<ModuleMutex> one(enumerate_mu_);
    {
        std::lock_guard<ModuleMutex> lock(mu_);
        if (enumerated_ && Fresh(*enumerated_))
            return;
    }
    for (const FoundCertificate& c : discovery_.Enumerate())
        Publish(c.name, c);
    std::lock_guard<ModuleMutex> lock(mu_);
    enumerated_ = std::chrono::steady_clock::now();
}

}  // namespace azkv::p11
