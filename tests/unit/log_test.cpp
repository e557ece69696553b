#include "azkv/log/log.h"

#include <gtest/gtest.h>

namespace azkv::log {
namespace {

TEST(LogScrub, RemovesBearerTokensJwtsAndBasicCredentials) {
    std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.AzKvEmUtOkEnabc";
    std::string s = Scrub("Authorization: Bearer " + jwt + " then " + jwt + " and Basic c2VjcmV0");
    EXPECT_EQ(s.find("eyJ"), std::string::npos) << s;
    EXPECT_EQ(s.find("AzKvEmU"), std::string::npos) << s;
    EXPECT_EQ(s.find("c2VjcmV0"), std::string::npos) << s;
    EXPECT_NE(s.find("Bearer [redacted]"), std::string::npos) << s;
}

TEST(LogScrub, LeavesOrdinaryTextAlone) {
    std::string t = "vault https://v.vault.azure.net key k1: 403 ForbiddenByRbac (eyJ alone)";
    EXPECT_EQ(Scrub(t), t);
}

TEST(Log, FormatsFieldsAndRespectsLevel) {
    std::vector<std::string> lines;
    SetSinkForTesting([&](const std::string& l) { lines.push_back(l); });
    Configure({.level = LogLevel::kInfo, .target = "stderr"});
    Write({.level = LogLevel::kWarn,
           .vault = "https://v",
           .key = "k1",
           .operation = "sign",
           .http_status = 429,
           .request_id = "rid-1",
           .latency_ms = 12.5,
           .message = "throttled, token Bearer abc.def.ghi"});
    Write({.level = LogLevel::kDebug, .message = "not shown"});
    SetSinkForTesting(nullptr);
    Configure({});
    ASSERT_EQ(lines.size(), 1u);
    const std::string& l = lines[0];
    for (const char* f : {"WARN", "vault=https://v", "key=k1", "op=sign", "status=429",
                          "request_id=rid-1", "latency_ms=12.5", "throttled"}) {
        EXPECT_NE(l.find(f), std::string::npos) << f << " in " << l;
    }
    EXPECT_EQ(l.find("abc.def.ghi"), std::string::npos) << l;
}

}  // namespace
}  // namespace azkv::log
