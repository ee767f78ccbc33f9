// Logs reach storage in batches without ever blocking the logger, drops are counted and
// reported, and old lines are expired.
#include "queue/storage_log_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "fake_storage.hpp"

namespace cardsync::queue {
namespace {

using namespace std::chrono_literals;
using testing::FakeStorage;

log::Record line(std::string message) {
  log::Record r;
  r.message = std::move(message);
  r.request_id = "req";
  r.fields = {log::Field("n", 1), log::Field("s", "x")};
  return r;
}

TEST(StorageLogSink, WritesBatchesWithFieldsAsJson) {
  FakeStorage fake;
  ManualClock clock;
  StorageLogSinkOptions o;
  o.batch_size = 2;
  StorageLogSink sink(fake, clock, o);
  sink.write(line("one"));
  sink.write(line("two"));  // a full batch goes without waiting for the interval
  ASSERT_TRUE(fake.wait([&] { return fake.log_lines().size() == 2; }));
  EXPECT_THAT(fake.log_lines(),
              ::testing::ElementsAre(R"(one|{"n":1,"s":"x"})", R"(two|{"n":1,"s":"x"})"));
  sink.write(line("three"));
  sink.flush();
  EXPECT_EQ(fake.log_lines().size(), 3u);
}

TEST(StorageLogSink, WhenStorageIsDownTheOldestLinesAreDroppedAndCounted) {
  FakeStorage fake;
  ManualClock clock;
  std::atomic<bool> down{true};
  fake.before_logs = [&](const std::vector<sdk::LogRow>&) {
    if (down) throw StorageError(CS_RETRY, "down");
  };
  StorageLogSinkOptions o;
  o.capacity = 3;
  o.batch_size = 100;
  o.retry = RetrySchedule{1s, 1s, 1.0};
  StorageLogSink sink(fake, clock, o);
  for (int i = 0; i < 5; ++i) sink.write(line("l" + std::to_string(i)));  // never blocks
  EXPECT_EQ(sink.dropped(), 2);
  sink.flush();  // one failed attempt
  down = false;
  sink.flush();
  ASSERT_TRUE(fake.wait([&] { return fake.log_lines().size() == 4; }))
      << ::testing::PrintToString(fake.log_lines());
  auto lines = fake.log_lines();
  EXPECT_THAT(lines[0], ::testing::StartsWith("l2|"));
  EXPECT_THAT(lines[2], ::testing::StartsWith("l4|"));
  EXPECT_EQ(lines[3], R"(log lines dropped: the storage log buffer was full|{"dropped":2})");
}

TEST(StorageLogSink, ExpiresLinesOlderThanTheRetention) {
  FakeStorage fake;
  ManualClock clock;
  StorageLogSinkOptions o;
  o.interval = 1s;
  o.retention = std::chrono::hours(24);
  StorageLogSink sink(fake, clock, o);
  ASSERT_TRUE(fake.wait([&] { return clock.sleepers() == 1; }));
  clock.advance(1s);
  ASSERT_TRUE(fake.wait([&] {
    std::lock_guard lock(fake.mu_);
    return !fake.deleted_before.empty();
  }));
  std::lock_guard lock(fake.mu_);
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.wall().time_since_epoch())
          .count();
  EXPECT_EQ(fake.deleted_before.front(), now_ms - 24 * 3600 * 1000);
}

}  // namespace
}  // namespace cardsync::queue
