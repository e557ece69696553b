#include "azkv/keys/signature_sampler.h"

#include <random>

namespace azkv::keys {

bool SignatureSampler::ShouldCheck() {
    if (check_all_.load(std::memory_order_relaxed))
        return true;
    if (answers_.fetch_add(1, std::memory_order_relaxed) < kFirstChecked)
        return true;
    thread_local std::mt19937 rng{std::random_device{}()};
    return std::uniform_int_distribution<uint32_t>(0, kOneIn - 1)(rng) == 0;
}

}  // namespace azkv::keys
