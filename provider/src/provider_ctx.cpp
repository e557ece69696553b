#include "provider_ctx.h"

#include <openssl/crypto.h>

#include "azkv/config/config.h"

namespace azkv::provider {

ProviderCtx::ProviderCtx(const OSSL_CORE_HANDLE* handle, CoreUpcalls core, OSSL_LIB_CTX* libctx,
                         ProviderSettings settings)
    : handle_(handle), core_(core), libctx_(libctx), settings_(std::move(settings)) {}

ProviderCtx::~ProviderCtx() {
    runtime_.reset();
    OSSL_LIB_CTX_free(libctx_);
}

StatusOr<std::shared_ptr<Runtime>> ProviderCtx::runtime() {
    std::lock_guard<std::mutex> lock(mu_);
    if (runtime_)
        return runtime_;
    auto config = LoadConfig(settings_.config_path);
    if (!config.ok()) {
        Status st = config.status();
        return st.Prepend("azkv provider: cannot load the azkv configuration: ");
    }
    if (!settings_.log_level.empty()) {
        auto level = ParseLogLevel(settings_.log_level);
        if (!level) {
            return Status(ErrorCode::kConfig,
                          "azkv provider: azkv-log-level \"" + settings_.log_level +
                              "\" in openssl.cnf is not one of error, warn, info, debug, trace");
        }
        config->log.level = *level;
    }
    AZKV_ASSIGN_OR_RETURN(runtime_, Runtime::Create(std::move(*config)));
    return runtime_;
}

}  // namespace azkv::provider
