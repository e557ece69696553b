#include "azkv/keyvault/challenge.h"

#include <gtest/gtest.h>

namespace azkv::keyvault {
namespace {

TEST(Challenge, ParsesTheVaultChallenge) {
    auto c = ParseChallenge(
        R"(Bearer authorization="https://login.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net")");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->resource, "https://vault.azure.net");
    EXPECT_EQ(c->tenant(), "72f988bf-86f1-41af-91ab-2d7cd011db47");
}

TEST(Challenge, AcceptsScopeAndAuthorizationUriVariants) {
    auto c = ParseChallenge(
        R"(Bearer authorization_uri="https://login.microsoftonline.com/t1/", scope="https://managedhsm.azure.net/.default")");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->resource, "https://managedhsm.azure.net");
    EXPECT_EQ(c->tenant(), "t1");
    auto unquoted =
        ParseChallenge("bearer resource=https://localhost:8443/,authorization=https://sts/t");
    ASSERT_TRUE(unquoted.has_value());
    EXPECT_EQ(unquoted->resource, "https://localhost:8443");
}

TEST(Challenge, RejectsOtherSchemesAndBrokenHeaders) {
    EXPECT_FALSE(ParseChallenge("Basic realm=/var/opt/azcmagent/tokens/x.key").has_value());
    EXPECT_FALSE(ParseChallenge(R"(Bearer authorization="https://login/t")").has_value());
    EXPECT_FALSE(ParseChallenge(R"(Bearer resource="https://vault.azure.net)").has_value());
    EXPECT_FALSE(ParseChallenge("").has_value());
    EXPECT_FALSE(ParseChallenge("Bearer").has_value());
}

}  // namespace
}  // namespace azkv::keyvault
