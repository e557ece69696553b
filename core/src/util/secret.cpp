#include "azkv/util/secret.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <mutex>

#include "azkv/util/immortal.h"

namespace azkv {
namespace {

size_t PageRounded(size_t n) {
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return (n + page - 1) / page * page;
}

void* MapDontDump(size_t len) {
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        throw std::bad_alloc();
#ifdef MADV_DONTDUMP
    // Best effort: a kernel without it still gets wiped, page-private memory.
    (void)madvise(p, len, MADV_DONTDUMP);
#endif
    return p;
}

// Size classes 32 B .. 16 KiB. Secrets are small (tokens are ~1.5 KiB, key material less), so
// larger ones are rare and get pages of their own.
constexpr size_t kMinClass = 32;
constexpr size_t kClasses = 10;
constexpr size_t kMaxClass = kMinClass << (kClasses - 1);
constexpr size_t kSlab = size_t{64} * 1024;

size_t ClassIndex(size_t n) {
    size_t c = 0;
    for (size_t size = kMinClass; size < n; size <<= 1)
        ++c;
    return c;
}

struct FreeBlock {
    FreeBlock* next;
};

// A free list per size class, refilled from DONTDUMP slabs. Blocks are never returned to the OS:
// the pool stays as large as the most secrets ever alive at once, which is small.
class SecretPool {
public:
    SecretPool() {
        // Hold the lock across fork() so that the child never inherits a half-updated list.
        pthread_atfork([] { Get().mu_.lock(); }, [] { Get().mu_.unlock(); },
                       [] { Get().mu_.unlock(); });
    }

    static SecretPool& Get() {
        static util::Immortal<SecretPool> pool;  // secrets may outlive main
        return pool.get();
    }

    void* Allocate(size_t c) {
        std::lock_guard<std::mutex> lock(mu_);
        if (FreeBlock* b = free_[c]) {
            free_[c] = b->next;
            b->next = nullptr;
            return b;
        }
        size_t size = kMinClass << c;
        if (slab_left_ < size) {
            slab_ = static_cast<char*>(MapDontDump(kSlab));
            slab_left_ = kSlab;
        }
        void* p = slab_;
        slab_ += size;
        slab_left_ -= size;
        return p;
    }

    void Free(void* p, size_t c) {
        std::lock_guard<std::mutex> lock(mu_);
        auto* b = static_cast<FreeBlock*>(p);
        b->next = free_[c];
        free_[c] = b;
    }

private:
    std::mutex mu_;
    std::array<FreeBlock*, kClasses> free_{};
    char* slab_ = nullptr;
    size_t slab_left_ = 0;
};

}  // namespace

void SecureWipe(void* p, size_t n) {
    if (p != nullptr && n > 0)
        OPENSSL_cleanse(p, n);
}

void* SecureAllocate(size_t n) {
    if (n > kMaxClass)
        return MapDontDump(PageRounded(n));
    return SecretPool::Get().Allocate(ClassIndex(n == 0 ? 1 : n));
}

void SecureFree(void* p, size_t n) {
    if (p == nullptr)
        return;
    if (n > kMaxClass) {
        SecureWipe(p, n);
        munmap(p, PageRounded(n));
        return;
    }
    size_t c = ClassIndex(n == 0 ? 1 : n);
    SecureWipe(p, kMinClass << c);
    SecretPool::Get().Free(p, c);
}

}  // namespace azkv
