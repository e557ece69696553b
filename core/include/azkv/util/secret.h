#pragma once
// Containers for secrets (tokens, identity headers, Arc secrets, unwrapped key bytes).
//
// Their memory is wiped with OPENSSL_cleanse when released, so a secret does not linger in freed
// heap pages that a core dump or a later allocation could expose, and they live in pages of
// their own marked MADV_DONTDUMP where the OS allows.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace azkv {

void SecureWipe(void* p, size_t n);

// Memory for secrets: blocks carved from pages of their own (mmap), marked MADV_DONTDUMP so that
// a core dump leaves them out, and never shared with other heap data. SecureFree wipes the block
// and keeps it for the next secret of its size class, so the hot path (a token copied into each
// request) makes no system call. SecureFree must get the same n that SecureAllocate got.
// Throws std::bad_alloc when the memory cannot be had.
void* SecureAllocate(size_t n);
void SecureFree(void* p, size_t n);

template <typename T>
struct WipingAllocator {
    using value_type = T;
    WipingAllocator() = default;
    template <typename U>
    WipingAllocator(const WipingAllocator<U>&) {}  // NOLINT(google-explicit-constructor)
    T* allocate(size_t n) { return static_cast<T*>(SecureAllocate(n * sizeof(T))); }
    void deallocate(T* p, size_t n) { SecureFree(p, n * sizeof(T)); }
    template <typename U>
    bool operator==(const WipingAllocator<U>&) const {
        return true;
    }
};

// Bytes that must not outlive their use: key material, plaintexts of unwrap/decrypt.
using SecureBytes = std::vector<uint8_t, WipingAllocator<uint8_t>>;

// A string that holds a secret. It never prints itself; use reveal() only where the secret is
// sent on the wire. Short-string storage is avoided so that the wipe covers every copy made.
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string_view s) { Assign(s); }
    SecretString(const SecretString& o) { Assign(o.reveal()); }
    SecretString& operator=(const SecretString& o) {
        if (this != &o)
            Assign(o.reveal());
        return *this;
    }
    SecretString(SecretString&& o) noexcept : buf_(std::move(o.buf_)) {}
    SecretString& operator=(SecretString&& o) noexcept {
        buf_ = std::move(o.buf_);
        return *this;
    }
    ~SecretString() = default;

    std::string_view reveal() const {
        return buf_.empty() ? std::string_view() : std::string_view(buf_.data(), buf_.size() - 1);
    }
    bool empty() const { return buf_.size() <= 1; }
    size_t size() const { return buf_.empty() ? 0 : buf_.size() - 1; }

private:
    void Assign(std::string_view s) {
        std::vector<char, WipingAllocator<char>> b;
        b.reserve(s.size() + 1);  // one allocation, so no half-copied secret is left to wipe
        b.assign(s.begin(), s.end());
        b.push_back('\0');
        buf_.swap(b);
    }
    std::vector<char, WipingAllocator<char>> buf_;
};

}  // namespace azkv
