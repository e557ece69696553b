// Secret containers (util/secret.h) keep their bytes in pages of their own that core dumps
// leave out (VmFlags "dd" in /proc/self/smaps), and wipe them when released.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "azkv/util/secret.h"

namespace azkv {
namespace {

// The VmFlags line of the mapping that contains `p`.
std::string VmFlagsOf(const void* p) {
    auto addr = reinterpret_cast<uintptr_t>(p);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> lo >> dash >> hi && dash == '-' &&
            line.find(' ') != std::string::npos && line.find(':') > line.find(' ')) {
            inside = addr >= lo && addr < hi;
            continue;
        }
        if (inside && line.rfind("VmFlags:", 0) == 0)
            return line;
    }
    return "";
}

TEST(SecretMemory, SecretStringLivesInPagesExcludedFromCoreDumps) {
    SecretString token("AzKvTestSecretValue-0123456789");
    std::string flags = VmFlagsOf(token.reveal().data());
    ASSERT_FALSE(flags.empty()) << "no mapping found in /proc/self/smaps";
    EXPECT_NE(flags.find(" dd"), std::string::npos) << flags;
}

TEST(SecretMemory, SecureBytesLiveInPagesExcludedFromCoreDumps) {
    SecureBytes key(32, 0xab);
    std::string flags = VmFlagsOf(key.data());
    EXPECT_NE(flags.find(" dd"), std::string::npos) << flags;
    key.resize(100000, 0xcd);  // growth reallocates: the new pages are marked too
    EXPECT_NE(VmFlagsOf(key.data()).find(" dd"), std::string::npos);
}

TEST(SecretMemory, OrdinaryHeapIsNotMarked) {
    std::string plain(64, 'x');
    EXPECT_EQ(VmFlagsOf(plain.data()).find(" dd"), std::string::npos)
        << "the check can tell marked from unmarked memory";
}

TEST(SecretMemory, CopiesAndMovesStayInSecureMemory) {
    SecretString a("first-secret-value");
    SecretString b = a;
    SecretString c(std::move(a));
    EXPECT_EQ(b.reveal(), "first-secret-value");
    EXPECT_EQ(c.reveal(), "first-secret-value");
    EXPECT_NE(VmFlagsOf(b.reveal().data()).find(" dd"), std::string::npos);
    EXPECT_NE(VmFlagsOf(c.reveal().data()).find(" dd"), std::string::npos);
}

TEST(SecretMemory, ReleasedBlocksAreWipedBeforeReuse) {
    void* first = SecureAllocate(100);
    std::memset(first, 0x5a, 100);
    SecureFree(first, 100);
    // The pool hands the same block to the next secret of its class: it must come back blank.
    void* again = SecureAllocate(90);
    ASSERT_EQ(again, first);
    const auto* bytes = static_cast<const unsigned char*>(again);
    for (size_t i = 0; i < 90; ++i)
        ASSERT_EQ(bytes[i], 0) << "byte " << i << " survived the wipe";
    SecureFree(again, 90);
}

}  // namespace
}  // namespace azkv
