#include "azkv/util/fork_guard.h"

#include <pthread.h>

#include <atomic>
#include <mutex>

namespace azkv {
namespace {

std::atomic<uint64_t> g_generation{1};

void OnForkChild() {
    g_generation.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

uint64_t ForkGeneration() {
    // Registered on first use: any state built before then was built by this process, so a
    // fork that happened earlier cannot have copied it.
    static std::once_flag once;
    std::call_once(once, [] { pthread_atfork(nullptr, nullptr, &OnForkChild); });
    return g_generation.load(std::memory_order_relaxed);
}

}  // namespace azkv
