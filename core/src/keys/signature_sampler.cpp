#include "azkv/keys/signature_sampler.h"

#include <random>

#include "azkv/util/fork_guard.h"

namespace azkv::keys {
namespace {

// A forked child inherits its parent's thread-local generator state, so without a reseed the
// parent and every child would skip the same answers: a service that sees several workers could
// learn which answers go unchecked.
std::mt19937& SampleRng() {
    thread_local uint64_t generation = 0;
    thread_local std::mt19937 rng;
    uint64_t now = ForkGeneration();
    if (generation != now) {
        rng.seed(std::random_device{}());
        generation = now;
    }
    return rng;
}

}  // namespace

bool SignatureSampler::ShouldCheck() {
    if (check_all_.load(std::memory_order_relaxed))
        return true;
    if (answers_.fetch_add(1, std::memory_order_relaxed) < kFirstChecked)
        return true;
    return std::uniform_int_distribution<uint32_t>(0, kOneIn - 1)(SampleRng()) == 0;
}

}  // namespace azkv::keys
