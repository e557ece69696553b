#include "module_state.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include <openssl/crypto.h>

#include "azkv/log/log.h"
#include "azkv/util/fork_guard.h"
#include "azkv/util/immortal.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

std::mutex g_mu;  // guards g_module; never held across anything slow
// Never destroyed (built in static storage, so nothing is allocated to leak either): exit
// handlers run after this library's static destructors, and one of them may still call in
// (OpenSSL's cleanup finishing libp11's engine calls C_CloseAllSessions and C_Finalize); they
// must find the state, not freed memory.
util::Immortal<std::shared_ptr<Module>> g_module_cell;
std::shared_ptr<Module>& g_module = g_module_cell.get();
std::atomic<bool> g_exiting{false};

// g_mu is held across fork() so that the child never inherits it locked by a thread that
// does not exist there.
void ForkPrepare() {
    g_mu.lock();
}
void ForkParent() {
    g_mu.unlock();
}
void ForkChild() {
    g_mu.unlock();
}

// Once the process is exiting, OpenSSL and libcurl may already be torn down: a C_Finalize
// from an atexit handler (pkcs11-provider does this) must not free anything that calls them.
// A static object's destructor rather than std::atexit: it is registered for this library
// (__cxa_atexit with our DSO handle), so dlclose drops it with the module. ThreadSanitizer's
// atexit interceptor loses that tie and would call into the unloaded module at exit.
struct ExitFlag {
    ~ExitFlag() { g_exiting.store(true); }
};

void RegisterProcessHooks() {
    static std::once_flag once;
    std::call_once(once, [] {
        // OpenSSL registers its own exit handler on first init; doing that first makes ours
        // run before OpenSSL's cleanup.
        OPENSSL_init_crypto(0, nullptr);
        ForkGeneration();
        pthread_atfork(ForkPrepare, ForkParent, ForkChild);
        static ExitFlag exit_flag;  // registered after OpenSSL's handler, so it runs first
    });
}

bool Stale(const Module& m) {
    return m.pid != getpid() || m.fork_generation != ForkGeneration();
}

// Deliberately leaked: in a forked child the parent's state may hold locks owned by threads
// that do not exist here, and its connections belong to the parent. At exit, destroying it
// could call into OpenSSL or libcurl after their cleanup.
void Abandon(std::shared_ptr<Module> m) {
    new std::shared_ptr<Module>(std::move(m));  // NOLINT: intentional leak
}

}  // namespace

Module::Module(const InitOptions& opts, std::shared_ptr<Runtime> rt)
    : pid(getpid()),
      fork_generation(ForkGeneration()),
      options(opts),
      runtime(std::move(rt)),
      sessions(opts.locking) {
    const auto& vaults = runtime->config().vaults;
    for (size_t i = 0; i < vaults.size(); ++i) {
        tokens.push_back(std::make_unique<Token>(static_cast<CK_SLOT_ID>(i), vaults[i], runtime,
                                                 options.locking, &next_object_handle));
    }
}

Token& Module::TokenForSlot(CK_SLOT_ID slot) {
    if (slot >= tokens.size())
        Fail(CKR_SLOT_ID_INVALID);
    return *tokens[slot];
}

CK_RV InitializeModule(CK_VOID_PTR init_args) {
    RegisterProcessHooks();
    InitOptions options = ParseInitArgs(init_args);
    {
        std::lock_guard<std::mutex> lock(g_mu);
        if (g_module && !Stale(*g_module))
            return CKR_CRYPTOKI_ALREADY_INITIALIZED;
        if (g_module)
            Abandon(std::move(g_module));
    }
    auto config = LoadConfig(options.config_path);
    if (!config.ok()) {
        throw P11Error(CKR_GENERAL_ERROR,
                       "cannot load the azkv config (" + ConfigPathFor(options) +
                           "): " + config.status().ToString(),
                       LogLevel::kError);
    }
    RuntimeOptions runtime_options;
    runtime_options.allow_threads = options.allow_threads;
    auto runtime = Runtime::Create(std::move(*config), runtime_options);
    if (!runtime.ok())
        throw P11Error(CKR_GENERAL_ERROR, runtime.status().ToString(), LogLevel::kError);
    auto module = std::make_shared<Module>(options, *runtime);
    log::Write({.level = LogLevel::kInfo,
                .operation = "C_Initialize",
                .message = "azkv PKCS#11 module ready with " +
                           std::to_string(module->tokens.size()) + " token(s) from " +
                           module->runtime->config().source});
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_module && !Stale(*g_module))
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;  // another thread won the race
    g_module = std::move(module);
    return CKR_OK;
}

CK_RV FinalizeModule(CK_VOID_PTR reserved) {
    if (reserved != nullptr)
        return CKR_ARGUMENTS_BAD;
    std::shared_ptr<Module> module;
    {
        std::lock_guard<std::mutex> lock(g_mu);
        if (!g_module || Stale(*g_module))
            return CKR_CRYPTOKI_NOT_INITIALIZED;
        module = std::move(g_module);
    }
    // In-flight calls hold their own reference; the state goes when the last one returns,
    // so C_Finalize itself never waits on the network.
    if (g_exiting.load())
        Abandon(std::move(module));
    return CKR_OK;
}

std::shared_ptr<Module> CurrentModule() {
    std::shared_ptr<Module> m;
    {
        std::lock_guard<std::mutex> lock(g_mu);
        m = g_module;
    }
    if (!m || Stale(*m))
        throw P11Error(CKR_CRYPTOKI_NOT_INITIALIZED, "");
    return m;
}

}  // namespace azkv::p11
