// The Azure CLI source, against fake `az` scripts.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "identity_fakes.h"

namespace azkv::identity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing;  // NOLINT(google-build-using-namespace): the fakes

constexpr const char* kCliToken = "CLI-TOKEN-must-not-leak";

class CliSourceTest : public ::testing::Test {
protected:
    // A fake `az` that records its arguments and then runs `body`.
    void FakeAz(const std::string& body) {
        dir_.Write("az",
                   "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + dir_.path() + "/args'\n" + body + "\n",
                   0755);
    }
    StatusOr<std::unique_ptr<TokenSource>> Make(
        std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
        SourceContext ctx =
            Context(http_, {{"PATH", "relative/dir::" + dir_.path() + ":/usr/bin:/bin"}});
        ctx.cli_timeout = timeout;
        return MakeCliSource(IdentityConfig{}, ctx);
    }
    std::string Args() {
        std::ifstream in(dir_.path() + "/args");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    TempDir dir_;
    FakeHttp http_;
};

TEST_F(CliSourceTest, NewerCliWithEpochExpiry) {
    FakeAz(std::string("cat <<'EOF'\n{\"accessToken\": \"") + kCliToken +
           "\", \"expiresOn\": \"2001-01-01 00:00:00.000000\", \"expires_on\": 4102444800, "
           "\"subscription\": \"s\", \"tenant\": \"t\", \"tokenType\": \"Bearer\"}\nEOF");
    auto src = Make();
    ASSERT_TRUE(src.ok()) << src.status().message();
    EXPECT_EQ((*src)->Name(), "cli");
    auto tok = (*src)->Fetch("https://vault.azure.net/.default");
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), kCliToken);
    EXPECT_EQ(tok->expires_on, SystemClock::time_point(std::chrono::seconds(4102444800LL)));
    EXPECT_LT(tok->refresh_on, tok->expires_on);
    EXPECT_EQ(Args(),
              "account\nget-access-token\n--resource\nhttps://vault.azure.net\n--output\njson\n");
}

TEST_F(CliSourceTest, OlderCliWithLocalTimeExpiry) {
    FakeAz(std::string("echo '{\"accessToken\": \"") + kCliToken +
           "\", \"expiresOn\": \"2099-07-01 13:14:15.123456\", \"tokenType\": \"Bearer\"}'");
    auto src = Make();
    ASSERT_TRUE(src.ok());
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->expires_on, LocalTime(2099, 7, 1, 13, 14, 15));
}

TEST_F(CliSourceTest, NotLoggedIn) {
    FakeAz("echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1");
    auto src = Make();
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().code(), ErrorCode::kUnauthenticated);
    EXPECT_THAT(tok.status().message(), HasSubstr("cli"));
    EXPECT_THAT(tok.status().message(), HasSubstr("exited with 1"));
    EXPECT_THAT(tok.status().message(), HasSubstr("Please run 'az login'"));
}

TEST_F(CliSourceTest, GarbageOutput) {
    for (const std::string& out :
         {std::string("not json"), std::string("{\"expiresOn\": \"2099-01-01 00:00:00\"}"),
          std::string("{\"accessToken\": \"") + kCliToken + "\"}",
          std::string("{\"accessToken\": \"") + kCliToken + "\", \"expiresOn\": \"soon\"}",
          std::string("{\"accessToken\": \"") + kCliToken + "\", \"expires_on\": 1000}"}) {
        FakeAz("cat <<'EOF'\n" + out + "\nEOF");
        auto src = Make();
        auto tok = (*src)->Fetch("https://vault.azure.net");
        ASSERT_FALSE(tok.ok()) << out;
        EXPECT_EQ(tok.status().code(), ErrorCode::kBadResponse);
        EXPECT_THAT(tok.status().message(), HasSubstr("cli"));
        EXPECT_THAT(tok.status().message(), Not(HasSubstr(kCliToken)));
    }
}

TEST_F(CliSourceTest, KilledOnTimeout) {
    FakeAz("sleep 10");
    auto src = Make(std::chrono::milliseconds(300));
    auto start = std::chrono::steady_clock::now();
    auto tok = (*src)->Fetch("https://vault.azure.net");
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().code(), ErrorCode::kDeadlineExceeded);
    EXPECT_LT(took, std::chrono::seconds(3));
}

TEST_F(CliSourceTest, KilledWhenItLingersAfterClosingItsOutput) {
    FakeAz("exec >/dev/null 2>&1\nsleep 10");
    auto src = Make(std::chrono::milliseconds(300));
    auto start = std::chrono::steady_clock::now();
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().code(), ErrorCode::kDeadlineExceeded);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(CliSourceTest, BoundedOutput) {
    FakeAz("head -c 600000 /dev/zero");
    auto src = Make();
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("more than"));
}

TEST_F(CliSourceTest, ResourceMustBeAUrl) {
    FakeAz("exit 0");
    auto src = Make();
    auto tok = (*src)->Fetch("--help");
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(CliSourceTest, NotOnPath) {
    auto src = MakeCliSource(IdentityConfig{}, Context(http_, {{"PATH", dir_.path()}}));
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.status().code(), ErrorCode::kConfig);
    EXPECT_THAT(src.status().message(), HasSubstr("not on PATH"));
}

TEST_F(CliSourceTest, NonExecutableIsNotFound) {
    dir_.Write("az", "#!/bin/sh\n", 0644);
    auto src = MakeCliSource(IdentityConfig{}, Context(http_, {{"PATH", dir_.path()}}));
    EXPECT_FALSE(src.ok());
}

TEST_F(CliSourceTest, SelectorsAreRejected) {
    FakeAz("exit 0");
    IdentityConfig cfg;
    cfg.client_id = "c";
    auto src = MakeCliSource(cfg, Context(http_, {{"PATH", dir_.path()}}));
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.status().code(), ErrorCode::kConfig);
}

}  // namespace
}  // namespace azkv::identity
