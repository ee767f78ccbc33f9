// Date/time text in declared formats: the slash dates of the Pokémon TCG API, ISO-8601 with
// zones, HTTP dates, and impossible dates refused.
#include "time_format.hpp"

#include <gtest/gtest.h>

namespace cardsync::rest {
namespace {

TEST(TimeFormat, ReadsDeclaredFormats) {
  EXPECT_EQ(parse_time("2024/12/28", "%Y/%m/%d"), 1735344000);
  EXPECT_EQ(parse_time("2024/12/05 18:05:42", "%Y/%m/%d %H:%M:%S"), 1733421942);
  EXPECT_EQ(parse_time("2024-12-28", "iso8601"), 1735344000);
  EXPECT_EQ(parse_time("2024-12-28T01:00:00Z", ""), 1735347600);
  EXPECT_EQ(parse_time("2024-12-28T03:00:00.250+02:00", "iso8601"), 1735347600);
  EXPECT_EQ(parse_time("1999-02-28", "%Y-%m-%d"), 920160000);
}

TEST(TimeFormat, RefusesWhatDoesNotMatchTheWholeTextOrIsNoDate) {
  EXPECT_FALSE(parse_time("2024-12-28", "%Y/%m/%d"));
  EXPECT_FALSE(parse_time("2024/12/28 extra", "%Y/%m/%d"));
  EXPECT_FALSE(parse_time("2023/02/29", "%Y/%m/%d"));
  EXPECT_FALSE(parse_time("2024/13/01", "%Y/%m/%d"));
  EXPECT_TRUE(parse_time("2024/02/29", "%Y/%m/%d"));
  EXPECT_FALSE(parse_time("yesterday", "iso8601"));
}

TEST(TimeFormat, WritesFormatsAndReadsHttpDates) {
  EXPECT_EQ(format_time(1735347600, "%Y-%m-%dT%H:%M:%SZ"), "2024-12-28T01:00:00Z");
  EXPECT_EQ(iso_date(1680220800), "2023-03-31");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(parse_http_date("not a date"));
  EXPECT_EQ(check_time_format("%Y/%m/%d"), "");
  EXPECT_NE(check_time_format("%Y/%q"), "");
}

}  // namespace
}  // namespace cardsync::rest
