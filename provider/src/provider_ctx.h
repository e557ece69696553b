#pragma once
// The provider context: one per loaded instance of azkv.so (per library context). It holds the
// core's upcalls, our own library context (a child of the caller's, for digests and BIOs), the
// settings from openssl.cnf, and the azkv Runtime, which is built on first use so that merely
// loading the provider never reads files or touches the network.

#include <openssl/core.h>
#include <openssl/core_dispatch.h>

#include <memory>
#include <mutex>
#include <string>

#include "azkv/runtime.h"

namespace azkv::provider {

struct CoreUpcalls {
    OSSL_FUNC_core_get_params_fn* get_params = nullptr;
    OSSL_FUNC_core_new_error_fn* new_error = nullptr;
    OSSL_FUNC_core_set_error_debug_fn* set_error_debug = nullptr;
    OSSL_FUNC_core_vset_error_fn* vset_error = nullptr;
};

// Settings from the provider's section in openssl.cnf.
struct ProviderSettings {
    std::string config_path;  // azkv-config; empty: $AZKV_CONFIG, then /etc/azkv/azkv.json
    std::string log_level;    // azkv-log-level; empty: the config file's
};

class ProviderCtx {
public:
    ProviderCtx(const OSSL_CORE_HANDLE* handle, CoreUpcalls core, OSSL_LIB_CTX* libctx,
                ProviderSettings settings);
    ~ProviderCtx();
    ProviderCtx(const ProviderCtx&) = delete;
    ProviderCtx& operator=(const ProviderCtx&) = delete;

    const OSSL_CORE_HANDLE* handle() const { return handle_; }
    const CoreUpcalls& core() const { return core_; }
    OSSL_LIB_CTX* libctx() const { return libctx_; }
    const ProviderSettings& settings() const { return settings_; }

    // The runtime, built from the configuration on first use. The lock is held only while the
    // config file is read (never across network I/O), so a fork cannot inherit it held by a
    // thread doing slow work.
    StatusOr<std::shared_ptr<Runtime>> runtime();

private:
    const OSSL_CORE_HANDLE* handle_;
    CoreUpcalls core_;
    OSSL_LIB_CTX* libctx_;
    ProviderSettings settings_;
    std::mutex mu_;
    std::shared_ptr<Runtime> runtime_;
};

}  // namespace azkv::provider
