#pragma once
// Which of a key version's signatures are checked locally against its public key.
//
// The check catches a service that answers with a wrong signature (another key version, a
// fault in the HSM, a corrupted answer) before the caller hands it on. A faulty RSA-CRT
// signature can reveal the private key, so RSA answers are always checked (about 0.33 M
// instructions for RSA-2048). A P-256 check costs about 0.86 M instructions, three times the
// rest of the client's work for a signature; a wrong ECDSA signature fails at the peer. With
// `"verify_signatures": "sampled"` an ECDSA key version checks its first answers (which catches
// a vault signing with another key or version) and then a random sample; after any failed check
// it checks every answer for as long as it lives. docs/security.md discusses the choice.

#include <atomic>
#include <cstdint>

namespace azkv::keys {

class SignatureSampler {
public:
    // Answers checked before sampling starts, and the sampling rate after them.
    static constexpr uint64_t kFirstChecked = 32;
    static constexpr uint32_t kOneIn = 64;

    SignatureSampler() = default;
    SignatureSampler(const SignatureSampler&) = delete;
    SignatureSampler& operator=(const SignatureSampler&) = delete;

    // false: every answer is checked (the default); true: first answers, then a sample.
    void SetSampled(bool sampled) { check_all_.store(!sampled, std::memory_order_relaxed); }

    // Whether to check the answer at hand. Safe to call from any thread. The sample is drawn
    // at random, so that a service cannot tell which answers go unchecked.
    bool ShouldCheck();

    // A check failed: check every later answer. Returns true when this call made the switch
    // (so that it is logged once).
    bool RecordFailure() { return !check_all_.exchange(true, std::memory_order_relaxed); }

    bool checking_all() const { return check_all_.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> check_all_{true};
    std::atomic<uint64_t> answers_{0};
};

}  // namespace azkv::keys
