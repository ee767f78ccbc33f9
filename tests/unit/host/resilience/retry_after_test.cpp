#include "resilience/retry_after.hpp"

#include <gtest/gtest.h>

namespace cardsync {
namespace {

using namespace std::chrono_literals;

// 2015-10-21 07:28:00 UTC
const Clock::WallTime kNow = std::chrono::sys_days{std::chrono::year{2015} / 10 / 21} + 7h + 28min;

TEST(RetryAfter, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("7", kNow), 7s);
  EXPECT_EQ(parse_retry_after("0", kNow), 0s);
  EXPECT_EQ(parse_retry_after(" 120 ", kNow), 120s);
  EXPECT_EQ(parse_retry_after("99999999999999999999999", kNow), std::chrono::hours(24 * 365));
}

TEST(RetryAfter, HttpDateInAllThreeForms) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kNow), 30s);
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", kNow), 60s);
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:38:00 2015", kNow), 600s);
}

TEST(RetryAfter, DateInThePastMeansNow) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", kNow), 0s);
}

TEST(RetryAfter, SubSecondRemainderRoundsUp) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kNow + 500ms), 30s);
}

TEST(RetryAfter, ADateBeyondTheClocksRangeSaturatesAtOneYear) {
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kNow), std::chrono::hours(24 * 365));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49 :371994", kNow), std::chrono::hours(24 * 365));
}

TEST(RetryAfter, GarbageIsNotParsed) {
  for (const char* v : {"", "   ", "soon", "1.5", "-3", "7s", "Blursday, 99 Foo 2015", "+5"}) {
    EXPECT_EQ(parse_retry_after(v, kNow), std::nullopt) << '"' << v << '"';
  }
}

}  // namespace
}  // namespace cardsync
