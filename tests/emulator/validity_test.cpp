// key_ops, enabled and nbf/exp enforcement (protocol §5.14), and start-up time.
#include <chrono>

#include "emu_test_util.h"

namespace emu_test {
namespace {

class ValidityTest : public EmulatorSuite {
protected:
    static std::string path_of(const nlohmann::json& bundle) {
        std::string kid = bundle["key"]["kid"];
        return kid.substr(kid.find("/keys/"));
    }
    static void expect_403(const HttpResponse& r, const std::string& inner) {
        EXPECT_EQ(r.status, 403) << r.body;
        EXPECT_EQ(r.Json()["error"]["code"], "Forbidden") << r.body;
        EXPECT_EQ(r.Json()["error"]["innererror"]["code"], inner) << r.body;
    }
};

const nlohmann::json kSign = {{"alg", "ES256"},
                              {"value", "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"}};

TEST_F(ValidityTest, KeyOpsAreEnforced) {
    auto k = create_key("demo", {{"kty", "EC"}, {"key_ops", {"verify"}}});
    expect_403(call("POST", "demo", path_of(k) + "/sign", kSign), "KeyOperationForbidden");
    auto v = call("POST", "demo", path_of(k) + "/verify",
                  {{"alg", "ES256"}, {"digest", kSign["value"]}, {"value", b64url(Bytes(64, 1))}});
    EXPECT_EQ(v.status, 200);
    EXPECT_EQ(v.Json()["value"], false);
    // Adding sign through PATCH makes it usable.
    ASSERT_EQ(call("PATCH", "demo", path_of(k), {{"key_ops", {"sign", "verify"}}}).status, 200);
    EXPECT_EQ(call("POST", "demo", path_of(k) + "/sign", kSign).status, 200);
}

TEST_F(ValidityTest, ExpiredAndNotYetValidKeys) {
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    auto expired = create_key("demo", {{"kty", "RSA"}, {"attributes", {{"exp", now - 60}}}});
    Bytes digest = sha("256", "x");
    expect_403(call("POST", "demo", path_of(expired) + "/sign",
                    {{"alg", "RS256"}, {"value", b64url(digest)}}),
               "KeyExpired");
    expect_403(call("POST", "demo", path_of(expired) + "/encrypt",
                    {{"alg", "RSA-OAEP"}, {"value", b64url(Bytes(16, 2))}}),
               "KeyExpired");
    // verify, decrypt and unwrapKey keep working outside nbf/exp.
    EXPECT_EQ(call("POST", "demo", path_of(expired) + "/verify",
                   {{"alg", "RS256"}, {"digest", b64url(digest)}, {"value", b64url(Bytes(256, 1))}})
                  .status,
              200);
    auto dec = call("POST", "demo", path_of(expired) + "/decrypt",
                    {{"alg", "RSA-OAEP"}, {"value", b64url(Bytes(256, 1))}});
    EXPECT_EQ(dec.status, 400) << "decrypt is allowed; only the bogus ciphertext fails: "
                               << dec.body;
    EXPECT_EQ(call("GET", "demo", path_of(expired)).status, 200);

    auto future = create_key("demo", {{"kty", "EC"}, {"attributes", {{"nbf", now + 3600}}}});
    expect_403(call("POST", "demo", path_of(future) + "/sign", kSign), "KeyNotYetValid");
    ASSERT_EQ(call("PATCH", "demo", path_of(future), {{"attributes", {{"nbf", now - 1}}}}).status,
              200);
    EXPECT_EQ(call("POST", "demo", path_of(future) + "/sign", kSign).status, 200);
}

TEST_F(ValidityTest, DisabledKeysRefuseEverythingButUpdate) {
    auto k = create_key("demo", {{"kty", "EC"}, {"attributes", {{"enabled", false}}}});
    expect_403(call("GET", "demo", path_of(k)), "KeyDisabled");
    expect_403(call("POST", "demo", path_of(k) + "/sign", kSign), "KeyDisabled");
    ASSERT_EQ(call("PATCH", "demo", path_of(k), {{"attributes", {{"enabled", true}}}}).status, 200);
    EXPECT_EQ(call("POST", "demo", path_of(k) + "/sign", kSign).status, 200);
}

TEST(Startup, ReadyInUnderOneSecond) {
    // First start creates the CA and server certificate; the second reuses them.
    for (int i = 0; i < 2; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        EmulatorProcess emu;
        auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                      .count();
        EXPECT_LT(ms, 1000.0) << "start " << i;
        EXPECT_EQ(emu.Request("GET", emu.Vault("demo").url + "/_emulator/health").status, 200);
    }
}

}  // namespace
}  // namespace emu_test
