#include "azkv/config/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace azkv {
namespace {

TEST(Config, ParsesTheFullSchema) {
    auto cfg = ParseConfig(R"({
      "vaults": [
        {"url": "https://v1.vault.azure.net/", "label": "web", "keys": ["tls", "old/0123456789abcdef0123456789abcdef"],
         "identity": {"type": "imds", "client_id": "11111111-2222-3333-4444-555555555555"},
         "allow_create": true, "allow_delete": false, "versions": "all"},
        {"url": "https://h1.managedhsm.azure.net"}
      ],
      "identity": {"type": "workload", "endpoint": "https://login.microsoftonline.com/"},
      "http": {"timeout_ms": 5000, "connect_timeout_ms": 1000, "max_connections": 8,
               "retry_budget_ms": 20000, "ca_file": "/etc/ssl/ca.pem", "proxy": "http://proxy:3128"},
      "cache": {"key_ttl_s": 60},
      "log": {"level": "debug", "target": "syslog"}
    })",
                           "test.json");
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    ASSERT_EQ(cfg->vaults.size(), 2u);
    const VaultConfig& v = cfg->vaults[0];
    EXPECT_EQ(v.url, "https://v1.vault.azure.net");
    EXPECT_EQ(v.label, "web");
    ASSERT_EQ(v.keys.size(), 2u);
    EXPECT_EQ(v.keys[1].name, "old");
    EXPECT_EQ(v.keys[1].version, "0123456789abcdef0123456789abcdef");
    ASSERT_TRUE(v.identity.has_value());
    EXPECT_EQ(v.identity->type, IdentityType::kImds);
    EXPECT_TRUE(v.allow_create);
    EXPECT_TRUE(v.all_versions);
    EXPECT_EQ(cfg->vaults[1].label, "h1.managedhsm.azure.net");
    EXPECT_EQ(cfg->identity.type, IdentityType::kWorkload);
    EXPECT_EQ(cfg->http.max_connections, 8);
    EXPECT_EQ(cfg->http.retry_budget_ms, 20000);
    EXPECT_EQ(cfg->cache.key_ttl_s, 60);
    EXPECT_EQ(cfg->log.level, LogLevel::kDebug);
    EXPECT_EQ(cfg->log.target, "syslog");
}

TEST(Config, EmptyObjectMeansDefaults) {
    auto cfg = ParseConfig("{}", "t.json");
    ASSERT_TRUE(cfg.ok());
    EXPECT_TRUE(cfg->vaults.empty());
    EXPECT_EQ(cfg->identity.type, IdentityType::kAuto);
    EXPECT_EQ(cfg->http.max_connections, 16);
}

void ExpectError(const std::string& json, const std::vector<std::string>& fragments) {
    auto cfg = ParseConfig(json, "/etc/azkv/azkv.json");
    ASSERT_FALSE(cfg.ok()) << json;
    EXPECT_EQ(cfg.status().code(), ErrorCode::kConfig);
    for (const auto& f : fragments) {
        EXPECT_NE(cfg.status().message().find(f), std::string::npos)
            << "message \"" << cfg.status().message() << "\" lacks \"" << f << "\"";
    }
}

TEST(Config, UnknownFieldsAreNamedWithTheFileAndWhatIsAllowed) {
    ExpectError(R"({"vaults": [], "colour": "blue"})",
                {"/etc/azkv/azkv.json", "\"colour\"", "not a known setting", "vaults"});
    ExpectError(R"({"http": {"timeout": 5}})", {"http.timeout", "timeout_ms"});
    ExpectError(R"({"vaults": [{"url": "https://v.vault.azure.net", "lable": "x"}]})",
                {"vaults[0].lable", "label"});
    ExpectError(R"({"identity": {"typ": "imds"}})", {"identity.typ"});
}

TEST(Config, WrongTypesAndValuesAreNamed) {
    ExpectError(R"({"http": {"timeout_ms": "5000"}})", {"http.timeout_ms", "whole number"});
    ExpectError(R"({"http": {"max_connections": 0}})", {"http.max_connections", "1 to 1024"});
    ExpectError(R"({"vaults": [{"url": "https://v.vault.azure.net", "allow_create": "yes"}]})",
                {"vaults[0].allow_create", "true or false"});
    ExpectError(R"({"identity": {"type": "magic"}})",
                {"identity.type", "magic", "imds, appservice, arc, workload, cli"});
    ExpectError(R"({"identity": {"client_id": "a", "object_id": "b"}})", {"choose one"});
    ExpectError(R"({"log": {"level": "loud"}})", {"log.level", "loud"});
    ExpectError(R"({"vaults": [{"url": "https://v.vault.azure.net", "keys": ["bad name"]}]})",
                {"vaults[0].keys[0]"});
    ExpectError(R"({"vaults": [{"label": "x"}]})", {"vaults[0].url", "required"});
    ExpectError("[1,2]", {"top level"});
    ExpectError("{not json", {"not valid JSON"});
}

TEST(Config, VerifySignaturesIsAllUnlessSampledIsChosen) {
    auto defaults = ParseConfig("{}", "t.json");
    ASSERT_TRUE(defaults.ok());
    EXPECT_EQ(defaults->verify_signatures, VerifySignatures::kAll) << "fail secure by default";
    auto all = ParseConfig(R"({"verify_signatures": "all"})", "t.json");
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_EQ(all->verify_signatures, VerifySignatures::kAll);
    auto sampled = ParseConfig(R"({"verify_signatures": "sampled"})", "t.json");
    ASSERT_TRUE(sampled.ok()) << sampled.status().ToString();
    EXPECT_EQ(sampled->verify_signatures, VerifySignatures::kSampled);
    ExpectError(R"({"verify_signatures": "never"})",
                {"/etc/azkv/azkv.json", "\"verify_signatures\"", "never", "all, sampled"});
    ExpectError(R"({"verify_signatures": true})", {"\"verify_signatures\"", "string"});
}

TEST(Config, PlainHttpVaultUrlIsRefusedByName) {
    ExpectError(R"({"vaults": [{"url": "http://v.vault.azure.net"}]})",
                {"vaults[0].url", "http://", "https"});
}

class ConfigFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/azkv-config-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/azkv.json";
    }
    void TearDown() override {
        unlink(path_.c_str());
        rmdir(dir_.c_str());
    }
    void Write(const std::string& text, mode_t mode) {
        std::ofstream(path_) << text;
        ASSERT_EQ(chmod(path_.c_str(), mode), 0);
    }
    std::string dir_, path_;
};

TEST_F(ConfigFileTest, LoadsAPrivateFile) {
    Write(R"({"cache": {"key_ttl_s": 10}})", 0600);
    auto cfg = LoadConfig(path_);
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    EXPECT_EQ(cfg->cache.key_ttl_s, 10);
    EXPECT_EQ(cfg->source, path_);
}

TEST_F(ConfigFileTest, RefusesAWorldWritableFile) {
    Write("{}", 0666);
    auto cfg = LoadConfig(path_);
    ASSERT_FALSE(cfg.ok());
    EXPECT_NE(cfg.status().message().find("0666"), std::string::npos) << cfg.status().message();
    EXPECT_NE(cfg.status().message().find("chmod go-w"), std::string::npos);
    EXPECT_NE(cfg.status().message().find(path_), std::string::npos);
}

TEST_F(ConfigFileTest, RefusesAGroupWritableFile) {
    Write("{}", 0620);
    EXPECT_FALSE(LoadConfig(path_).ok());
}

TEST_F(ConfigFileTest, ExplicitMissingFileIsAnErrorButDefaultPathIsNot) {
    auto cfg = LoadConfig(dir_ + "/missing.json");
    ASSERT_FALSE(cfg.ok());
    EXPECT_NE(cfg.status().message().find("missing.json"), std::string::npos);
}

TEST_F(ConfigFileTest, EnvironmentOverridesApply) {
    Write(R"({"log": {"level": "error"}})", 0600);
    setenv("AZKV_LOG_LEVEL", "debug", 1);
    setenv("AZKV_CA_FILE", "/tmp/ca.pem", 1);
    auto cfg = LoadConfig(path_);
    unsetenv("AZKV_LOG_LEVEL");
    unsetenv("AZKV_CA_FILE");
    ASSERT_TRUE(cfg.ok());
    EXPECT_EQ(cfg->log.level, LogLevel::kDebug);
    EXPECT_EQ(cfg->http.ca_file, "/tmp/ca.pem");
}

TEST_F(ConfigFileTest, AzkvConfigVariableIsUsed) {
    Write(R"({"cache": {"key_ttl_s": 42}})", 0600);
    setenv("AZKV_CONFIG", path_.c_str(), 1);
    auto cfg = LoadConfig();
    unsetenv("AZKV_CONFIG");
    ASSERT_TRUE(cfg.ok());
    EXPECT_EQ(cfg->cache.key_ttl_s, 42);
}

}  // namespace
}  // namespace azkv

namespace azkv {
namespace {

TEST(Config, TheShippedExampleParses) {
    std::ifstream in(AZKV_SOURCE_DIR "/conf/azkv.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(text.empty());
    auto cfg = ParseConfig(text, "conf/azkv.json");
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    EXPECT_EQ(cfg->vaults.size(), 2u);
}

}  // namespace
}  // namespace azkv
