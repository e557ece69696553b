// Parsing the service's answers: real shapes accepted, hostile ones refused with the field named.
#include "keyvault/model_json.h"

#include <gtest/gtest.h>

namespace azkv::keyvault::detail {
namespace {

using nlohmann::json;

TEST(ModelJson, ParsesARecordedKeyBundle) {
    auto j = json::parse(R"({"key":{"kid":"https://v.vault.azure.net/keys/k1/3242","kty":"RSA",
        "key_ops":["encrypt","decrypt","sign","verify","wrapKey","unwrapKey"],"n":"r6l-fpg6","e":"AQAB"},
        "attributes":{"enabled":true,"created":1613499526,"updated":1613499526.5,
        "recoveryLevel":"CustomizedRecoverable+Purgeable","recoverableDays":7},
        "tags":{"purpose":"tls"},"managed":true})");
    auto b = ParseKeyBundle(j);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(b->key.kty, "RSA");
    EXPECT_EQ(b->key.e, (std::vector<uint8_t>{1, 0, 1}));
    EXPECT_TRUE(b->key.HasOp("WRAPKEY"));
    EXPECT_EQ(*b->attributes.created, 1613499526);
    EXPECT_EQ(*b->attributes.updated, 1613499526);  // fractions tolerated
    EXPECT_EQ(b->tags.at("purpose"), "tls");
    EXPECT_TRUE(b->managed);
}

TEST(ModelJson, NamesTheBrokenField) {
    auto no_key = ParseKeyBundle(json::parse(R"({"attributes":{}})"));
    ASSERT_FALSE(no_key.ok());
    EXPECT_NE(no_key.status().message().find("\"key\""), std::string::npos);
    auto bad_n = ParseKeyBundle(json::parse(R"({"key":{"kid":"x","kty":"RSA","n":"!!!"}})"));
    ASSERT_FALSE(bad_n.ok());
    EXPECT_NE(bad_n.status().message().find("\"n\""), std::string::npos);
    auto bad_time = ParseKeyBundle(
        json::parse(R"({"key":{"kid":"x","kty":"EC"},"attributes":{"exp":"soon"}})"));
    ASSERT_FALSE(bad_time.ok());
    EXPECT_NE(bad_time.status().message().find("exp"), std::string::npos);
    auto bad_enabled = ParseAttributes(json::parse(R"({"enabled":"yes"})"));
    EXPECT_FALSE(bad_enabled.ok());
    EXPECT_FALSE(ParseKeyBundle(json::parse("[]")).ok());
    EXPECT_FALSE(ParseKeyBundle(json::parse(R"({"key":{"kid":5,"kty":"RSA"}})")).ok());
}

TEST(ModelJson, RefusesTimestampsThatDoNotFitSixtyFourBits) {
    for (const char* attrs :
         {R"({"nbf":1.6e26})", R"({"exp":-1e19})", R"({"created":18446744073709551615})"}) {
        auto a = ParseAttributes(json::parse(attrs));
        ASSERT_FALSE(a.ok()) << attrs;
        EXPECT_NE(a.status().message().find("out-of-range timestamp"), std::string::npos) << attrs;
    }
    auto ok = ParseAttributes(json::parse(R"({"nbf":9223372036854775807,"exp":1.7e9})"));
    ASSERT_TRUE(ok.ok()) << ok.status().ToString();
    EXPECT_EQ(*ok->expires, 1700000000);
}

TEST(ModelJson, OperationResultNeedsBase64UrlValue) {
    auto ok =
        ParseOperationResult(json::parse(R"({"kid":"k","value":"AQID","iv":"AAAA","tag":"AQ"})"));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->value.size(), 3u);
    EXPECT_EQ(ok->iv.size(), 3u);
    EXPECT_FALSE(ParseOperationResult(json::parse(R"({"kid":"k"})")).ok());
    EXPECT_FALSE(ParseOperationResult(json::parse(R"({"value":"a b"})")).ok());
}

TEST(ModelJson, CertificateCerIsStandardBase64) {
    auto c = ParseCertificateBundle(json::parse(
        R"({"id":"https://v/certificates/c/1","kid":"https://v/keys/c/1","sid":"https://v/secrets/c/1","cer":"MIIB+w=="})"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->cer.size(), 4u);
    EXPECT_FALSE(ParseCertificateBundle(json::parse(R"({"id":"x","cer":""})")).ok());
}

TEST(ModelJson, CreateBodyCarriesOnlyWhatWasGiven) {
    json b = CreateKeyBody({.kty = "EC-HSM", .crv = "P-256", .key_ops = {"sign"}, .expires = 42});
    EXPECT_EQ(b["kty"], "EC-HSM");
    EXPECT_EQ(b["crv"], "P-256");
    EXPECT_FALSE(b.contains("key_size"));
    EXPECT_EQ(b["attributes"]["exp"], 42);
    EXPECT_FALSE(b["attributes"].contains("enabled"));
    json u = UpdateKeyBody({.enabled = false});
    EXPECT_EQ(u.dump(), R"({"attributes":{"enabled":false}})");
}

}  // namespace
}  // namespace azkv::keyvault::detail
