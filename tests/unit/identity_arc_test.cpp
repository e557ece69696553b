// Azure Arc: the challenge round trip and the checks on the secret file it names.

#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "identity_fakes.h"

namespace azkv::identity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing;  // NOLINT(google-build-using-namespace): the fakes

constexpr const char* kSecret = "ARC-secret-AzKvEmUsEcReT";

class ArcSourceTest : public ::testing::Test {
protected:
    StatusOr<std::unique_ptr<TokenSource>> Make() {
        IdentityConfig cfg;
        cfg.arc_token_dir = dir_.path();
        return MakeArcSource(
            cfg, Context(http_, {{"IDENTITY_ENDPOINT",
                                  "http://127.0.0.1:40342/metadata/identity/oauth2/token"},
                                 {"IMDS_ENDPOINT", "http://127.0.0.1:40342"}}));
    }
    void PushChallenge(const std::string& realm) {
        http_.Push(Answer(401, "", {{"WWW-Authenticate", "Basic realm=" + realm}}));
    }
    // Runs one fetch against a challenge naming `realm`; expects it refused for `why`.
    void ExpectRefused(const std::string& realm, const std::string& why) {
        const size_t before = http_.requests().size();
        PushChallenge(realm);
        auto src = Make();
        ASSERT_TRUE(src.ok()) << src.status().message();
        auto tok = (*src)->Fetch("https://vault.azure.net");
        ASSERT_FALSE(tok.ok()) << realm;
        EXPECT_THAT(tok.status().message(), HasSubstr("arc"));
        EXPECT_THAT(tok.status().message(), HasSubstr(why)) << realm;
        EXPECT_THAT(tok.status().message(), Not(HasSubstr(kSecret)));
        // Nothing was sent with a secret.
        auto reqs = http_.requests();
        ASSERT_EQ(reqs.size(), before + 1);
        EXPECT_TRUE(reqs.back().secret_headers.empty());
    }
    TempDir dir_;
    TempDir other_;
    FakeHttp http_;
};

TEST_F(ArcSourceTest, ChallengeThenToken) {
    std::string file = dir_.Write("0a1b2c.key", std::string(kSecret) + "\n");
    PushChallenge(file);
    http_.Push(Answer(200, ImdsBody()));
    auto src = Make();
    ASSERT_TRUE(src.ok()) << src.status().message();
    EXPECT_EQ((*src)->Name(), "arc");
    auto tok = (*src)->Fetch("https://vault.azure.net/.default");
    ASSERT_TRUE(tok.ok()) << tok.status().message();
    EXPECT_EQ(tok->token.reveal(), kToken);

    auto reqs = http_.requests();
    ASSERT_EQ(reqs.size(), 2u);
    for (const auto& r : reqs) {
        EXPECT_EQ(r.url.substr(0, r.url.find('?')),
                  "http://127.0.0.1:40342/metadata/identity/oauth2/token");
        EXPECT_EQ(QueryOf(r.url, "api-version"), "2020-06-01");
        EXPECT_EQ(QueryOf(r.url, "resource"), "https%3A%2F%2Fvault.azure.net");
        EXPECT_EQ(HeaderOf(r, "Metadata"), "true");
    }
    EXPECT_EQ(HeaderOf(reqs[0], "Authorization"), "");
    // The file's contents as they are (trailing newline dropped), as a secret header.
    EXPECT_EQ(HeaderOf(reqs[1], "Authorization"), std::string("Basic ") + kSecret);
    EXPECT_TRUE(IsSecretHeader(reqs[1], "Authorization"));
}

TEST_F(ArcSourceTest, QuotedRealmAndTrailingSlashInDir) {
    std::string file = dir_.Write("x.key", kSecret);
    http_.Push(Answer(401, "", {{"WWW-Authenticate", "Basic realm=\"" + file + "\""}}));
    http_.Push(Answer(200, ImdsBody()));
    IdentityConfig cfg;
    cfg.arc_token_dir = dir_.path() + "/";
    auto src = MakeArcSource(cfg, Context(http_, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/t"}}));
    ASSERT_TRUE(src.ok());
    EXPECT_TRUE((*src)->Fetch("https://vault.azure.net").ok());
}

TEST_F(ArcSourceTest, RefusesAFileInAnotherDirectory) {
    ExpectRefused(other_.Write("x.key", kSecret), "not directly inside");
}

TEST_F(ArcSourceTest, RefusesDotDot) {
    std::string name = other_.path().substr(other_.path().rfind('/') + 1);
    other_.Write("x.key", kSecret);
    ExpectRefused(dir_.path() + "/../" + name + "/x.key", "..");
}

TEST_F(ArcSourceTest, RefusesARelativePath) {
    ExpectRefused("x.key", "absolute");
}

TEST_F(ArcSourceTest, RefusesASymlink) {
    std::string target = other_.Write("target.key", kSecret);
    std::string link = dir_.path() + "/link.key";
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    ExpectRefused(link, "symbolic link");
}

TEST_F(ArcSourceTest, RefusesATooBigFile) {
    ExpectRefused(dir_.Write("big.key", std::string(4097, 'a')), "4096");
}

TEST_F(ArcSourceTest, AcceptsExactly4096Bytes) {
    std::string file = dir_.Write("max.key", std::string(4096, 'a'));
    PushChallenge(file);
    http_.Push(Answer(200, ImdsBody()));
    auto src = Make();
    EXPECT_TRUE((*src)->Fetch("https://vault.azure.net").ok());
}

TEST_F(ArcSourceTest, RefusesTheWrongExtension) {
    ExpectRefused(dir_.Write("secret.txt", kSecret), ".key");
    ExpectRefused(dir_.Write(".key", kSecret), ".key");
}

TEST_F(ArcSourceTest, RefusesADirectoryOrEmptyFile) {
    std::string sub = dir_.path() + "/sub.key";
    ASSERT_EQ(::mkdir(sub.c_str(), 0700), 0);
    ExpectRefused(sub, "regular file");
    ExpectRefused(dir_.Write("empty.key", ""), "empty");
}

TEST_F(ArcSourceTest, RefusesControlCharacters) {
    ExpectRefused(dir_.Write("crlf.key", "abc\r\nInjected: yes"), "control characters");
}

TEST_F(ArcSourceTest, ChallengeMissingOrMalformed) {
    http_.Push(Answer(401, ""));
    auto src = Make();
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("WWW-Authenticate"));

    http_.Push(Answer(401, "", {{"WWW-Authenticate", "Bearer realm=/x.key"}}));
    auto tok2 = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok2.ok());
    EXPECT_THAT(tok2.status().message(), HasSubstr("WWW-Authenticate"));
}

TEST_F(ArcSourceTest, NonChallengeAnswers) {
    http_.Push(Answer(500, R"({"error":"server_error"})"));
    http_.Push(Answer(200, ImdsBody()));
    auto src = Make();
    auto err = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.status().http_status(), 500);
    // A token without the challenge is not how Arc behaves: refused.
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("challenge"));
}

TEST_F(ArcSourceTest, SecondStepErrorHasNoSecret) {
    std::string file = dir_.Write("a.key", kSecret);
    PushChallenge(file);
    http_.Push(Answer(401, R"({"error":"invalid_secret","error_description":"wrong secret"})"));
    auto src = Make();
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_EQ(tok.status().service_code(), "invalid_secret");
    EXPECT_THAT(tok.status().ToString(), Not(HasSubstr(kSecret)));
}

TEST_F(ArcSourceTest, UserAssignedIdentityIsRejected) {
    for (int i = 0; i < 3; ++i) {
        IdentityConfig cfg;
        (i == 0 ? cfg.client_id : i == 1 ? cfg.object_id : cfg.resource_id) = "x";
        auto src =
            MakeArcSource(cfg, Context(http_, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/t"}}));
        ASSERT_FALSE(src.ok());
        EXPECT_EQ(src.status().code(), ErrorCode::kConfig);
        EXPECT_THAT(src.status().message(), HasSubstr("system-assigned"));
    }
}

TEST_F(ArcSourceTest, DefaultDirectoryIsTheAgents) {
    // With no arc_token_dir, a file in a temp dir is refused: only the agent's directory counts.
    std::string file = dir_.Write("a.key", kSecret);
    PushChallenge(file);
    auto src = MakeArcSource(IdentityConfig{},
                             Context(http_, {{"IDENTITY_ENDPOINT", "http://127.0.0.1:1/t"}}));
    ASSERT_TRUE(src.ok());
    auto tok = (*src)->Fetch("https://vault.azure.net");
    ASSERT_FALSE(tok.ok());
    EXPECT_THAT(tok.status().message(), HasSubstr("/var/opt/azcmagent/tokens"));
}

}  // namespace
}  // namespace azkv::identity
