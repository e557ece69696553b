#pragma once
// A T built on first use in static storage and never destroyed.
//
// For process-wide state that exit handlers and other libraries' destructors may still reach
// after this library's static destructors have run (the log, the secret pool, the PKCS#11
// module state). Static storage rather than `new`: once the provider or module is unloaded,
// nothing on the heap is left pointing nowhere, so leak checkers see no lost block.

#include <new>
#include <utility>

namespace azkv::util {

template <typename T>
class Immortal {
public:
    template <typename... Args>
    explicit Immortal(Args&&... args) : value_(new (storage_) T(std::forward<Args>(args)...)) {}
    Immortal(const Immortal&) = delete;
    Immortal& operator=(const Immortal&) = delete;
    // No destructor: T's is deliberately never run.

    T& get() { return *value_; }
    T* operator->() { return value_; }
    T& operator*() { return *value_; }

private:
    alignas(T) unsigned char storage_[sizeof(T)];
    T* value_;
};

}  // namespace azkv::util
