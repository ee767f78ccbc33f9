// Job cursors survive the round trip through the queue, and an unreadable one starts over.
#include "job_cursor.hpp"

#include <gtest/gtest.h>

namespace cardsync::rest {
namespace {

TEST(JobCursor, RoundTripsEveryMember) {
  JobCursor c;
  c.next = PageState{};
  c.next->number = 3;
  c.next->url = "/cards?page=3";
  c.since = "1735689600";
  c.max = "1735700000";
  c.run_time = 1735800000;
  const JobCursor back = JobCursor::parse(c.to_json());
  ASSERT_TRUE(back.next);
  EXPECT_EQ(*back.next, *c.next);
  EXPECT_EQ(back.since, c.since);
  EXPECT_EQ(back.max, c.max);
  EXPECT_EQ(back.run_time, c.run_time);
}

TEST(JobCursor, AFinalCursorHasNoNextPage) {
  JobCursor c;
  c.since = "5";
  EXPECT_EQ(c.to_json(), R"({"since":"5"})");
  EXPECT_FALSE(JobCursor::parse(c.to_json()).next);
}

TEST(JobCursor, EmptyAndUnreadableTextsAreEmptyCursors) {
  bool readable = false;
  EXPECT_FALSE(JobCursor::parse("", &readable).next);
  EXPECT_TRUE(readable);
  EXPECT_FALSE(JobCursor::parse("found", &readable).next);
  EXPECT_FALSE(readable);
}

}  // namespace
}  // namespace cardsync::rest
