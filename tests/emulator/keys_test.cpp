// Keys API shapes and lifecycle: create, import, get, list/paging, versions, update, delete.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <set>

#include "emu_test_util.h"

namespace emu_test {
namespace {

class KeysTest : public EmulatorSuite {};

std::string bn_field(EVP_PKEY* k, const char* name, int pad = 0) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(k, name, &bn);
    Bytes b(pad ? static_cast<size_t>(pad) : static_cast<size_t>(BN_num_bytes(bn)));
    if (pad)
        BN_bn2binpad(bn, b.data(), pad);
    else
        BN_bn2bin(bn, b.data());
    BN_free(bn);
    return b64url(b);
}

TEST_F(KeysTest, CreateRsaShapes) {
    for (int bits : {2048, 3072, 4096}) {
        auto b = create_key("demo", {{"kty", "RSA"}, {"key_size", bits}});
        Bytes n = unb64url(b["key"]["n"]);
        EXPECT_EQ(n.size(), static_cast<size_t>(bits / 8));
        EXPECT_NE(n[0], 0);
        EXPECT_EQ(b["key"]["e"], "AQAB");
        EXPECT_EQ(b["key"]["kty"], "RSA");
        EXPECT_EQ(b["key"]["key_ops"],
                  nlohmann::json({"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"}));
        auto a = b["attributes"];
        EXPECT_EQ(a["enabled"], true);
        EXPECT_TRUE(a["created"].is_number_integer());
        EXPECT_EQ(a["recoveryLevel"], "CustomizedRecoverable+Purgeable");
        EXPECT_TRUE(a.contains("recoverableDays"));
        EXPECT_FALSE(a.contains("exportable"));
        std::string kid = b["key"]["kid"];
        EXPECT_EQ(kid.rfind(emu().Vault("demo").url + "/keys/", 0), 0u);
        std::string version = kid.substr(kid.rfind('/') + 1);
        EXPECT_EQ(version.size(), 32u);
        EXPECT_EQ(version.find_first_not_of("0123456789abcdef"), std::string::npos);
    }
    auto e3 = create_key("demo", {{"kty", "RSA-HSM"}, {"public_exponent", 3}});
    EXPECT_EQ(unb64url(e3["key"]["e"]), Bytes({3}));
    EXPECT_EQ(e3["key"]["kty"], "RSA-HSM");
}

TEST_F(KeysTest, CreateEcCoordinatesAreFixedLength) {
    const std::pair<const char*, size_t> curves[] = {
        {"P-256", 32}, {"P-256K", 32}, {"P-384", 48}, {"P-521", 66}};
    for (auto [crv, len] : curves) {
        for (int i = 0; i < 3; ++i) {
            auto b = create_key("demo", {{"kty", "EC-HSM"}, {"crv", crv}});
            EXPECT_EQ(unb64url(b["key"]["x"]).size(), len) << crv;
            EXPECT_EQ(unb64url(b["key"]["y"]).size(), len) << crv;
            EXPECT_EQ(b["key"]["crv"], crv);
            EXPECT_EQ(b["key"]["key_ops"], nlohmann::json({"sign", "verify"}));
        }
    }
    EXPECT_EQ(create_key("demo", {{"kty", "EC"}})["key"]["crv"], "P-256");
}

TEST_F(KeysTest, MhsmReportsHsmTypesAndRefusesSoftwareTypes) {
    auto b = create_key("hsm", {{"kty", "EC-HSM"}, {"crv", "P-384"}});
    EXPECT_EQ(b["key"]["kty"], "EC-HSM");
    EXPECT_EQ(b["attributes"]["exportable"], false);
    for (auto kty : {"RSA", "EC", "oct"}) {
        auto r = call("POST", "hsm", "/keys/" + unique_name("x") + "/create", {{"kty", kty}});
        EXPECT_EQ(r.status, 400) << kty;
        EXPECT_EQ(r.Json()["error"]["code"], "BadParameter");
    }
    auto oct = create_key("hsm", {{"kty", "oct-HSM"}, {"key_size", 128}});
    EXPECT_EQ(oct["key"]["kty"], "oct-HSM");
    EXPECT_FALSE(oct["key"].contains("k"));
    EXPECT_EQ(oct["key"]["key_ops"],
              nlohmann::json({"encrypt", "decrypt", "wrapKey", "unwrapKey"}));
    EXPECT_EQ(
        call("POST", "demo", "/keys/" + unique_name("x") + "/create", {{"kty", "oct-HSM"}}).status,
        400);
}

TEST_F(KeysTest, BadCreateParametersNameTheField) {
    struct Case {
        nlohmann::json body;
        std::string field;
    } cases[] = {{{{"kty", "RSA"}, {"key_size", 1024}}, "key_size"},
                 {{{"kty", "EC"}, {"crv", "P-192"}}, "crv"},
                 {{{"kty", "XYZ"}}, "kty"},
                 {nlohmann::json::object(), "kty"},
                 {{{"kty", "EC"}, {"key_ops", {"fly"}}}, "key_ops"},
                 {{{"kty", "EC"}, {"attributes", {{"enabled", "yes"}}}}, "attributes.enabled"},
                 {{{"kty", "EC"}, {"attributes", {{"exp", "soon"}}}}, "attributes.exp"},
                 {{{"kty", "RSA"}, {"public_exponent", 4}}, "public_exponent"}};
    for (auto& c : cases) {
        auto r = call("POST", "demo", "/keys/" + unique_name("x") + "/create", c.body);
        EXPECT_EQ(r.status, 400) << c.body;
        EXPECT_EQ(r.Json()["error"]["code"], "BadParameter");
        EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find(c.field), std::string::npos)
            << r.body;
    }
    auto bad_json =
        emu().Request("POST", url("demo", "/keys/x/create"), "{not json", token("demo"));
    EXPECT_EQ(bad_json.status, 400);
    EXPECT_EQ(bad_json.Json()["error"]["code"], "BadParameter");
    EXPECT_EQ(emu().Request("POST", url("demo", "/keys/x/create"), "", token("demo")).status, 400);
}

TEST_F(KeysTest, KeyNameValidation) {
    EXPECT_EQ(call("POST", "demo", "/keys/bad_name/create", {{"kty", "EC"}}).status, 400);
    EXPECT_EQ(
        call("POST", "demo", "/keys/" + std::string(128, 'a') + "/create", {{"kty", "EC"}}).status,
        400);
    EXPECT_EQ(
        call("POST", "demo", "/keys/" + std::string(127, 'b') + "/create", {{"kty", "EC"}}).status,
        200);
}

TEST_F(KeysTest, GetLatestVersionTrailingSlashAndCase) {
    std::string name;
    auto v1 = create_key("demo", {{"kty", "EC"}}, &name);
    auto r2 = call("POST", "demo", "/keys/" + name + "/create", {{"kty", "EC"}});
    ASSERT_EQ(r2.status, 200);
    std::string kid1 = v1["key"]["kid"], kid2 = r2.Json()["key"]["kid"];
    EXPECT_NE(kid1, kid2);
    EXPECT_EQ(call("GET", "demo", "/keys/" + name).Json()["key"]["kid"], kid2);
    EXPECT_EQ(call("GET", "demo", "/keys/" + name + "/").Json()["key"]["kid"], kid2);
    std::string upper = name;
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(c));
    EXPECT_EQ(call("GET", "demo", "/KEYS/" + upper).status, 200);
    std::string v1ver = kid1.substr(kid1.rfind('/') + 1);
    EXPECT_EQ(call("GET", "demo", "/keys/" + name + "/" + v1ver).Json()["key"]["kid"], kid1);
    auto missing = call("GET", "demo", "/keys/" + name + "/00000000000000000000000000000000");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.Json()["error"]["code"], "KeyNotFound");
    EXPECT_EQ(call("GET", "demo", "/keys/nope-" + name).status, 404);
    EXPECT_EQ(call("GET", "demo", "/keys/" + name + "//").status, 404);
    auto versions = call("GET", "demo", "/keys/" + name + "/versions").Json();
    ASSERT_EQ(versions["value"].size(), 2u);
    std::set<std::string> kids = {versions["value"][0]["kid"], versions["value"][1]["kid"]};
    EXPECT_EQ(kids, (std::set<std::string>{kid1, kid2}));
}

TEST(KeysPaging, ListPagesOverMoreThan25Keys) {
    EmulatorProcess emu;
    std::string t = emu.GetToken(emu.Vault("demo").resource);
    std::string base = emu.Vault("demo").url;
    for (int i = 0; i < 30; ++i)
        ASSERT_EQ(
            emu.Request("POST", base + "/keys/p" + std::to_string(i) + "/create?api-version=7.5",
                        R"({"kty":"EC"})", t)
                .status,
            200);
    std::set<std::string> seen;
    std::string next = base + "/keys?api-version=7.5&maxresults=7";
    int pages = 0;
    while (!next.empty()) {
        auto r = emu.Request("GET", next, "", t);
        ASSERT_EQ(r.status, 200) << r.body;
        auto j = r.Json();
        ASSERT_TRUE(j.contains("nextLink"));
        for (auto& item : j["value"]) {
            std::string kid = item["kid"];
            EXPECT_EQ(std::count(kid.begin(), kid.end(), '/'), 4)
                << "list kid must be unversioned: " << kid;
            EXPECT_FALSE(item.contains("key"));
            seen.insert(kid);
        }
        ++pages;
        if (j["nextLink"].is_null())
            break;
        next = j["nextLink"];
        EXPECT_EQ(next.rfind(base + "/keys?", 0), 0u) << next;  // keeps :PORT
        EXPECT_NE(next.find("$skiptoken="), std::string::npos);
    }
    EXPECT_EQ(seen.size(), 30u);
    EXPECT_EQ(pages, 5);
    // Default page size 25.
    auto first = emu.Request("GET", base + "/keys?api-version=7.5", "", t).Json();
    EXPECT_EQ(first["value"].size(), 25u);
    EXPECT_FALSE(first["nextLink"].is_null());
    for (std::string bad : {"0", "26", "abc", "-1"})
        EXPECT_EQ(
            emu.Request("GET", base + "/keys?api-version=7.5&maxresults=" + bad, "", t).status, 400)
            << bad;
    // Empty pages with a nextLink (fault): a client must keep paging.
    emu.SetFaults({{"rate_empty_page", 1.0}, {"operations", {"list"}}});
    auto empty = emu.Request("GET", base + "/keys?api-version=7.5", "", t).Json();
    EXPECT_TRUE(empty["value"].empty());
    EXPECT_FALSE(empty["nextLink"].is_null());
    emu.ClearFaults();
    auto resumed = emu.Request("GET", empty["nextLink"].get<std::string>(), "", t).Json();
    EXPECT_EQ(resumed["value"].size(), 25u);
}

TEST_F(KeysTest, UpdateAttributesTagsAndKeyOps) {
    std::string name;
    create_key("demo", {{"kty", "EC"}, {"tags", {{"a", "1"}}}}, &name);
    auto r = call(
        "PATCH", "demo", "/keys/" + name,
        {{"key_ops", {"sign"}}, {"tags", {{"b", "2"}}}, {"attributes", {{"exp", 4102444800}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    EXPECT_EQ(j["key"]["key_ops"], nlohmann::json({"sign"}));
    EXPECT_EQ(j["tags"], nlohmann::json({{"b", "2"}}));
    EXPECT_EQ(j["attributes"]["exp"], 4102444800);
    EXPECT_EQ(call("GET", "demo", "/keys/" + name).Json()["tags"]["b"], "2");
    EXPECT_EQ(call("PATCH", "demo", "/keys/" + name, {{"tags", "x"}}).status, 400);
    EXPECT_EQ(
        call("PATCH", "demo", "/keys/missing-" + name, {{"tags", nlohmann::json::object()}}).status,
        404);
}

TEST_F(KeysTest, DisabledKeyRefusesGetButCanBeReenabled) {
    std::string name;
    create_key("demo", {{"kty", "EC"}, {"attributes", {{"enabled", false}}}}, &name);
    auto r = call("GET", "demo", "/keys/" + name);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.Json()["error"]["code"], "Forbidden");
    EXPECT_EQ(r.Json()["error"]["innererror"]["code"], "KeyDisabled");
    EXPECT_EQ(call("POST", "demo", "/keys/" + name + "/sign",
                   {{"alg", "ES256"}, {"value", b64url(sha("256", "x"))}})
                  .status,
              403);
    EXPECT_EQ(
        call("POST", "demo", "/keys/" + name + "/verify",
             {{"alg", "ES256"}, {"digest", b64url(sha("256", "x"))}, {"value", b64url(Bytes(64))}})
            .status,
        403);
    EXPECT_EQ(call("PATCH", "demo", "/keys/" + name, {{"attributes", {{"enabled", true}}}}).status,
              200);
    EXPECT_EQ(call("GET", "demo", "/keys/" + name).status, 200);
}

TEST_F(KeysTest, SoftDeleteRecoverPurge) {
    std::string name;
    create_key("demo", {{"kty", "EC"}}, &name);
    auto del = call("DELETE", "demo", "/keys/" + name);
    ASSERT_EQ(del.status, 200);
    auto d = del.Json();
    EXPECT_EQ(d["recoveryId"], emu().Vault("demo").url + "/deletedkeys/" + name);
    EXPECT_TRUE(d["deletedDate"].is_number());
    EXPECT_GT(d["scheduledPurgeDate"].get<int64_t>(), d["deletedDate"].get<int64_t>());
    EXPECT_EQ(call("GET", "demo", "/keys/" + name).status, 404);
    auto conflict = call("POST", "demo", "/keys/" + name + "/create", {{"kty", "EC"}});
    EXPECT_EQ(conflict.status, 409);
    EXPECT_EQ(conflict.Json()["error"]["innererror"]["code"], "ObjectIsDeletedButRecoverable");
    EXPECT_EQ(call("GET", "demo", "/deletedkeys/" + name).status, 200);
    bool listed = false;
    auto deleted = call("GET", "demo", "/deletedkeys").Json();
    for (auto& item : deleted["value"])
        listed = listed || item["recoveryId"] == d["recoveryId"];
    EXPECT_TRUE(listed) << deleted;
    auto rec =
        emu().Request("POST", url("demo", "/deletedkeys/" + name + "/recover"), "", token("demo"));
    EXPECT_EQ(rec.status, 200) << rec.body;
    EXPECT_EQ(call("GET", "demo", "/keys/" + name).status, 200);
    ASSERT_EQ(call("DELETE", "demo", "/keys/" + name).status, 200);
    auto purge = call("DELETE", "demo", "/deletedkeys/" + name);
    EXPECT_EQ(purge.status, 204);
    EXPECT_TRUE(purge.body.empty());
    EXPECT_EQ(call("GET", "demo", "/deletedkeys/" + name).status, 404);
    EXPECT_EQ(call("POST", "demo", "/keys/" + name + "/create", {{"kty", "EC"}}).status, 200);
}

TEST_F(KeysTest, ImportRsaAndEcJwk) {
    PKey rsa(EVP_RSA_gen(2048), EVP_PKEY_free);
    nlohmann::json jwk = {{"kty", "RSA"},
                          {"n", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_N)},
                          {"e", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_E)},
                          {"d", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_D)},
                          {"p", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_FACTOR1)},
                          {"q", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_FACTOR2)},
                          {"dp", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1)},
                          {"dq", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2)},
                          {"qi", bn_field(rsa.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1)}};
    std::string name = unique_name("imp");
    auto r = call("PUT", "demo", "/keys/" + name, {{"key", jwk}, {"Hsm", true}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto b = r.Json();
    EXPECT_EQ(b["key"]["kty"], "RSA-HSM");
    EXPECT_EQ(b["key"]["n"], jwk["n"]);
    for (auto f : {"d", "p", "q", "dp", "dq", "qi", "k"})
        EXPECT_FALSE(b["key"].contains(f)) << f;
    // The emulator signs with the imported private key: verify locally with our own key.
    Bytes digest = sha("256", "import");
    auto s = call("POST", "demo", "/keys/" + name + "/sign",
                  {{"alg", "RS256"}, {"value", b64url(digest)}});
    Bytes sig = unb64url(s.Json()["value"]);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(rsa.get(), nullptr);
    EVP_PKEY_verify_init(ctx);
    EVP_PKEY_CTX_set_rsa_padding(ctx, 1 /* RSA_PKCS1_PADDING */);
    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
    EXPECT_EQ(EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()), 1);
    EVP_PKEY_CTX_free(ctx);

    PKey ec(EVP_EC_gen("P-384"), EVP_PKEY_free);
    nlohmann::json ecjwk = {{"kty", "EC"},
                            {"crv", "P-384"},
                            {"x", bn_field(ec.get(), OSSL_PKEY_PARAM_EC_PUB_X, 48)},
                            {"y", bn_field(ec.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 48)},
                            {"d", bn_field(ec.get(), OSSL_PKEY_PARAM_PRIV_KEY)}};
    auto er = call("PUT", "demo", "/keys/" + unique_name("imp"), {{"key", ecjwk}});
    ASSERT_EQ(er.status, 200) << er.body;
    EXPECT_EQ(er.Json()["key"]["kty"], "EC");
    EXPECT_EQ(er.Json()["key"]["x"], ecjwk["x"]);
    // Mismatched private scalar is refused.
    PKey other(EVP_EC_gen("P-384"), EVP_PKEY_free);
    ecjwk["d"] = bn_field(other.get(), OSSL_PKEY_PARAM_PRIV_KEY);
    EXPECT_EQ(call("PUT", "demo", "/keys/" + unique_name("imp"), {{"key", ecjwk}}).status, 400);
    // oct: refused on a vault, oct-HSM on mhsm.
    nlohmann::json oct = {{"kty", "oct"}, {"k", b64url(random_bytes(32))}};
    EXPECT_EQ(call("PUT", "demo", "/keys/" + unique_name("imp"), {{"key", oct}}).status, 400);
    auto ho = call("PUT", "hsm", "/keys/" + unique_name("imp"), {{"key", oct}});
    ASSERT_EQ(ho.status, 200) << ho.body;
    EXPECT_EQ(ho.Json()["key"]["kty"], "oct-HSM");
    EXPECT_FALSE(ho.Json()["key"].contains("k"));
    EXPECT_EQ(call("PUT", "demo", "/keys/" + unique_name("imp"), {{"key", "x"}}).status, 400);
    EXPECT_EQ(
        call("PUT", "demo", "/keys/" + unique_name("imp"), {{"key", {{"kty", "RSA"}, {"n", "!!"}}}})
            .status,
        400);
}

TEST_F(KeysTest, RngOnMhsmOnly) {
    auto r = call("POST", "hsm", "/rng", {{"count", 17}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(unb64url(r.Json()["value"]).size(), 17u);
    EXPECT_EQ(call("POST", "hsm", "/rng", {{"count", 0}}).status, 400);
    EXPECT_EQ(call("POST", "hsm", "/rng", {{"count", 129}}).status, 400);
    EXPECT_EQ(call("POST", "hsm", "/rng", {{"count", "5"}}).status, 400);
    EXPECT_EQ(call("POST", "hsm", "/rng", {{"count", 128}}).status, 200);
    EXPECT_EQ(call("POST", "demo", "/rng", {{"count", 4}}).status, 404);
}

TEST_F(KeysTest, ResponseHeaders) {
    auto r = call("GET", "demo", "/keys");
    EXPECT_EQ(r.Header("x-ms-request-id").size(), 36u);
    EXPECT_FALSE(r.Header("x-ms-keyvault-service-version").empty());
    EXPECT_NE(r.Header("x-ms-request-id"), call("GET", "demo", "/keys").Header("x-ms-request-id"));
}

}  // namespace
}  // namespace emu_test
