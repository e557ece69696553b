// C_GetAttributeValue and C_FindObjects rules of AttributeMap (PKCS#11 3.0 §5.7.5).

#include <gtest/gtest.h>

#include "attribute_map.h"
#include "key_objects.h"
#include "p11_error.h"
#include "slot.h"

namespace azkv::p11 {
namespace {

AttributeMap Sample() {
    AttributeMap a;
    a.PutUlong(CKA_CLASS, CKO_PRIVATE_KEY);
    a.PutString(CKA_LABEL, "signer");
    a.PutBool(CKA_SIGN, true);
    a.PutSensitive(CKA_PRIVATE_EXPONENT);
    return a;
}

TEST(AttributeMapTest, ProcessesEveryAttributeAndReportsSensitiveFirst) {
    AttributeMap a = Sample();
    char label[3];
    CK_BBOOL sign = CK_FALSE;
    CK_ATTRIBUTE t[] = {
        {CKA_PRIVATE_EXPONENT, nullptr, 0},  // sensitive
        {CKA_MODULUS, nullptr, 0},           // not on this object
        {CKA_LABEL, label, sizeof(label)},   // too small
        {CKA_SIGN, &sign, sizeof(sign)},     // fine: still filled in
    };
    EXPECT_EQ(a.Read(t), static_cast<CK_RV>(CKR_ATTRIBUTE_SENSITIVE));
    EXPECT_EQ(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    EXPECT_EQ(t[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    EXPECT_EQ(t[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    EXPECT_EQ(t[3].ulValueLen, sizeof(CK_BBOOL));
    EXPECT_EQ(sign, CK_TRUE);
}

TEST(AttributeMapTest, TypeInvalidBeatsBufferTooSmall) {
    AttributeMap a = Sample();
    char label[3];
    CK_ATTRIBUTE t[] = {{CKA_LABEL, label, sizeof(label)}, {CKA_MODULUS, nullptr, 0}};
    EXPECT_EQ(a.Read(t), static_cast<CK_RV>(CKR_ATTRIBUTE_TYPE_INVALID));
}

TEST(AttributeMapTest, LengthQueryThenRead) {
    AttributeMap a = Sample();
    CK_ATTRIBUTE t = {CKA_LABEL, nullptr, 0};
    ASSERT_EQ(a.Read({&t, 1}), static_cast<CK_RV>(CKR_OK));
    ASSERT_EQ(t.ulValueLen, 6u);
    std::string buf(t.ulValueLen, '\0');
    t.pValue = buf.data();
    ASSERT_EQ(a.Read({&t, 1}), static_cast<CK_RV>(CKR_OK));
    EXPECT_EQ(buf, "signer");
    char small[2];
    CK_ATTRIBUTE s = {CKA_LABEL, small, sizeof(small)};
    EXPECT_EQ(a.Read({&s, 1}), static_cast<CK_RV>(CKR_BUFFER_TOO_SMALL));
}

TEST(AttributeMapTest, MatchesNeedsEqualReadableValues) {
    AttributeMap a = Sample();
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY, other = CKO_PUBLIC_KEY;
    CK_ATTRIBUTE yes[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_LABEL, (void*)"signer", 6}};
    CK_ATTRIBUTE no_class[] = {{CKA_CLASS, &other, sizeof(other)}};
    CK_ATTRIBUTE prefix[] = {{CKA_LABEL, (void*)"sign", 4}};
    CK_ATTRIBUTE sensitive[] = {{CKA_PRIVATE_EXPONENT, nullptr, 0}};
    EXPECT_TRUE(a.Matches(yes));
    EXPECT_TRUE(a.Matches({}));
    EXPECT_FALSE(a.Matches(no_class));
    EXPECT_FALSE(a.Matches(prefix));
    EXPECT_FALSE(a.Matches(sensitive));
}

TEST(AttributeMapTest, TemplateBoolRejectsWrongSize) {
    CK_ULONG wrong = 1;
    CK_ATTRIBUTE t[] = {{CKA_TOKEN, &wrong, sizeof(wrong)}};
    EXPECT_THROW(TemplateBool(t, CKA_TOKEN), P11Error);
    EXPECT_FALSE(TemplateBool(t, CKA_SIGN).has_value());
}

TEST(KeyObjectsTest, VersionIdIsSixteenBytes) {
    auto id = VersionIdBytes("0123456789abcdef0123456789ABCDEF");
    ASSERT_EQ(id.size(), 16u);
    EXPECT_EQ(id[0], 0x01);
    EXPECT_EQ(id[15], 0xEF);
    EXPECT_EQ(VersionIdHex(id), "0123456789abcdef0123456789abcdef");
    EXPECT_TRUE(VersionIdBytes("xyz").empty());
    EXPECT_TRUE(VersionIdBytes("0123456789abcdef0123456789abcdeg").empty());
}

TEST(KeyObjectsTest, CkDateFromUnixSeconds) {
    auto d = CkDate(int64_t{1700000000});  // 2023-11-14
    EXPECT_EQ(std::string(d.begin(), d.end()), "20231114");
    EXPECT_TRUE(CkDate(std::nullopt).empty());
}

TEST(SlotTest, PadFieldBlankPadsAndKeepsUtf8Whole) {
    unsigned char f[6];
    PadField(f, sizeof(f), "ab");
    EXPECT_EQ(std::string(f, f + 6), "ab    ");
    PadField(f, sizeof(f), "abcde\xc3\xa9");  // 'é' would be cut in half
    EXPECT_EQ(std::string(f, f + 6), "abcde ");
}

}  // namespace
}  // namespace azkv::p11
