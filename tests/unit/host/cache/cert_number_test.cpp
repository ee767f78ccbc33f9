#include <gmock/gmock.h>

#include "cache/cert_number.hpp"

namespace cardsync::cache {
namespace {

using ::testing::HasSubstr;

TEST(NormaliseCert, KeepsOnlyDigitsAndLeadingZeros) {
  EXPECT_EQ(normalise_cert("0001 2345").digits, "00012345");
  EXPECT_EQ(normalise_cert("#1234-5678").digits, "12345678");
  EXPECT_EQ(normalise_cert("cert: 42\n").digits, "42");
  EXPECT_EQ(normalise_cert("000000000000").digits, "000000000000");
}

TEST(NormaliseCert, RefusesEmptyAndTooLongWithAReason) {
  auto none = normalise_cert("PSA slab");
  EXPECT_FALSE(none.digits);
  EXPECT_THAT(none.problem, HasSubstr("no digits"));
  EXPECT_THAT(none.problem, HasSubstr("PSA slab"));
  EXPECT_FALSE(normalise_cert("").digits);
  auto long_one = normalise_cert("1234567890123");
  EXPECT_FALSE(long_one.digits);
  EXPECT_THAT(long_one.problem, HasSubstr("13 digits"));
  EXPECT_THAT(long_one.problem, HasSubstr("at most 12"));
}

}  // namespace
}  // namespace cardsync::cache
