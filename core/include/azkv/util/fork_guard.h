#pragma once
// Tells code whether it runs in the process that built its state, or in a forked child.
//
// Objects that own connections, locks or threads record ForkGeneration() when they build that
// state. On each use they compare: a different value means a fork happened since, so the state
// belongs to the parent and must be rebuilt, never used. The counter is bumped by a
// pthread_atfork child handler, which only touches an atomic (async-signal-safe).

#include <cstdint>

namespace azkv {

uint64_t ForkGeneration();

}  // namespace azkv
