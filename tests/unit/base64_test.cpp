#include "azkv/util/base64.h"

#include <gtest/gtest.h>

namespace azkv {
namespace {

TEST(Base64Url, EncodesWithoutPaddingInUrlAlphabet) {
    const uint8_t bytes[] = {0xfb, 0xff, 0xbf};
    EXPECT_EQ(Base64UrlEncode(bytes, 3), "-_-_");
    EXPECT_EQ(Base64UrlEncode(std::string_view("a")), "YQ");
    EXPECT_EQ(Base64UrlEncode(std::string_view("ab")), "YWI");
    EXPECT_EQ(Base64UrlEncode(std::string_view("")), "");
}

TEST(Base64Url, DecodesPaddedAndUnpadded) {
    EXPECT_EQ(*Base64UrlDecode("YWI"), (std::vector<uint8_t>{'a', 'b'}));
    EXPECT_EQ(*Base64UrlDecode("YWI="), (std::vector<uint8_t>{'a', 'b'}));
    EXPECT_EQ(*Base64UrlDecode("YQ=="), (std::vector<uint8_t>{'a'}));
    EXPECT_EQ(*Base64UrlDecode("-_-_"), (std::vector<uint8_t>{0xfb, 0xff, 0xbf}));
}

TEST(Base64Url, RejectsGarbage) {
    EXPECT_FALSE(Base64UrlDecode("Y"));            // impossible length
    EXPECT_FALSE(Base64UrlDecode("YW!"));          // bad character
    EXPECT_FALSE(Base64UrlDecode("Y=Q="));         // padding in the middle
    EXPECT_FALSE(Base64UrlDecode("YR"));           // non-zero leftover bits
    EXPECT_FALSE(Base64UrlDecode("+/+/", false));  // standard alphabet when strict
}

TEST(Base64Std, RoundTrips) {
    std::vector<uint8_t> all(256);
    for (int i = 0; i < 256; ++i)
        all[i] = static_cast<uint8_t>(i);
    std::string enc = Base64Encode(all.data(), all.size());
    EXPECT_EQ(enc.back(), '=');
    EXPECT_EQ(*Base64Decode(enc), all);
    std::string url = Base64UrlEncode(all);
    EXPECT_EQ(url.find('='), std::string::npos);
    EXPECT_EQ(*Base64UrlDecode(url), all);
}

}  // namespace
}  // namespace azkv
