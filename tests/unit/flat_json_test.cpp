// The hot-path JSON subset: what it accepts must mean exactly what nlohmann reads, and anything
// else must be handed back to nlohmann rather than guessed at.
#include "keyvault/flat_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keyvault/model_json.h"

namespace azkv::keyvault::detail {
namespace {

using nlohmann::json;

// Every accepted text must be a JSON object with exactly these string fields.
void ExpectSameAsNlohmann(std::string_view text) {
    auto flat = FlatStringObject::Read(text);
    ASSERT_TRUE(flat) << text;
    json j = json::parse(text);
    ASSERT_TRUE(j.is_object());
    ASSERT_EQ(j.size(), flat->size()) << text;
    for (size_t i = 0; i < flat->size(); ++i) {
        auto [name, value] = flat->field(i);
        ASSERT_TRUE(j[std::string(name)].is_string()) << text;
        EXPECT_EQ(j[std::string(name)].get<std::string>(), value) << text;
    }
}

TEST(FlatJson, ReadsTheAnswersKeyVaultSends) {
    ExpectSameAsNlohmann(R"({"kid":"https://v.vault.azure.net/keys/k/0123","value":"AQID"})");
    ExpectSameAsNlohmann(" {\n \"kid\" : \"k\" ,\t\"value\":\"\"\r\n} ");
    ExpectSameAsNlohmann("{}");
    ExpectSameAsNlohmann(R"({"value":"x","iv":"AAAA","tag":"AQ","aad":"Ag","kid":"k"})");
    auto f = FlatStringObject::Read(R"({"kid":"k","value":"AQID"})");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->Get("value"), "AQID");
    EXPECT_FALSE(f->Get("iv"));
    EXPECT_FALSE(f->Get("Value"));  // names are case-sensitive, as in nlohmann
}

TEST(FlatJson, HandsEverythingElseBack) {
    for (
        const char* text : {
            "",
            " ",
            "[]",
            "null",
            R"("value")",
            R"({"value":"a\"b"})",  // escapes: nlohmann decodes them
            R"({"value":"\u0041"})",
            R"({"value":"caf\u00e9"})",
            "{\"value\":\"caf\xc3\xa9\"}",  // non-ASCII: nlohmann validates UTF-8
            "{\"value\":\"a\tb\"}",         // a raw control character is bad JSON
            "{\"value\":\"a\x7f\"}",
            R"({"value":1})",
            R"({"value":null})",
            R"({"value":true})",
            R"({"value":{"a":"b"}})",
            R"({"value":["a"]})",
            R"({"value":"a","value":"b"})",  // duplicates: nlohmann keeps one, we do not guess
            R"({"value":"a",})",
            R"({,"value":"a"})",
            R"({"value" "a"})",
            R"({"value":"a"} x)",
            R"({"value":"a"}{})",
            R"({"value":"a")",
            R"({"value":"a)",
            R"({value:"a"})",
            R"({'value':'a'})",
            R"({"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11","l":"12","m":"13"})",
        }) {
        EXPECT_FALSE(FlatStringObject::Read(text)) << text;
    }
}

TEST(FlatJson, WritesWhatNlohmannReadsBack) {
    std::string tricky = "a\"b\\c\n\x01/\xc3\xa9";
    std::string text = WriteStringObject({{"alg", "ES256"}, {"value", tricky}, {"q\"", ""}});
    json j = json::parse(text);
    EXPECT_EQ(j["alg"], "ES256");
    EXPECT_EQ(j["value"], tricky);
    EXPECT_EQ(j["q\""], "");
    EXPECT_EQ(WriteStringObject({{"alg", "RS256"}, {"value", "AQID"}}),
              R"({"alg":"RS256","value":"AQID"})");
    EXPECT_EQ(WriteStringObject({}), "{}");
}

TEST(FlatJson, OperationResultMeansTheSameThroughEitherParser) {
    for (const char* text : {
             R"({"kid":"k","value":"AQID","iv":"AAAA","tag":"AQ"})",
             R"({"kid":"k"})",
             R"({"value":"a b"})",
             R"({"value":"AQID","iv":"!!"})",
             R"({"value":""})",
         }) {
        auto flat = FlatStringObject::Read(text);
        ASSERT_TRUE(flat) << text;
        auto a = ParseOperationResult(*flat);
        auto b = ParseOperationResult(json::parse(text));
        ASSERT_EQ(a.ok(), b.ok()) << text;
        if (!a.ok()) {
            EXPECT_EQ(a.status().message(), b.status().message());
            continue;
        }
        EXPECT_EQ(a->kid, b->kid);
        EXPECT_EQ(a->value, b->value);
        EXPECT_EQ(a->iv, b->iv);
        EXPECT_EQ(a->tag, b->tag);
        EXPECT_EQ(a->aad, b->aad);
    }
}

}  // namespace
}  // namespace azkv::keyvault::detail
