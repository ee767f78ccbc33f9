#include "log/logger.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "log/line_format.hpp"
#include "log/memory_sink.hpp"

namespace cardsync::log {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// 2026-11-28T17:04:05.123Z
const Clock::WallTime kOrigin =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 17h + 4min + 5s + 123ms;

struct LoggerFixture : ::testing::Test {
  ManualClock clock{false, kOrigin};
  std::shared_ptr<MemorySink> sink = std::make_shared<MemorySink>();
  Logger logger{clock, Level::info};

  LoggerFixture() { logger.add_sink(sink); }

  std::string only_json_line() {
    const auto records = sink->records();
    EXPECT_EQ(records.size(), 1U);
    return records.empty() ? std::string() : format_json_line(records.front());
  }
};

using LoggerTest = LoggerFixture;

TEST_F(LoggerTest, DeliversARecordStampedByTheInjectedClock) {
  clock.advance(2s);
  logger.info("page fetched", "req-1", {{"page", 3}});

  const auto records = sink->records();
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].ts, kOrigin + 2s);
  EXPECT_EQ(records[0].level, Level::info);
  EXPECT_EQ(records[0].message, "page fetched");
  EXPECT_EQ(records[0].request_id, "req-1");
  EXPECT_EQ(records[0].fields, (std::vector<Field>{{"page", 3}}));
  EXPECT_EQ(format_json_line(records[0]),
            "{\"ts\":\"2026-11-28T17:04:07.123Z\",\"level\":\"info\",\"msg\":\"page fetched\","
            "\"request_id\":\"req-1\",\"page\":3}\n");
}

TEST_F(LoggerTest, FiltersBelowTheMinimumLevel) {
  logger.trace("t");
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  logger.log(Level::debug, "d2");

  const auto records = sink->records();
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].level, Level::info);
  EXPECT_EQ(records[1].level, Level::warn);
  EXPECT_EQ(records[2].level, Level::error);
  EXPECT_FALSE(logger.enabled(Level::debug));
  EXPECT_TRUE(logger.enabled(Level::info));
}

TEST_F(LoggerTest, SetLevelTakesEffectImmediately) {
  logger.set_level(Level::error);
  EXPECT_EQ(logger.level(), Level::error);
  logger.warn("hidden");
  logger.set_level(Level::trace);
  logger.trace("shown");

  const auto records = sink->records();
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].message, "shown");
}

TEST_F(LoggerTest, SecretNamedFieldsAreRedactedWhateverTheirType) {
  logger.info("auth", "",
              {{"api_key", "tcg_live_abc123"},
               {"Authorization", "Bearer eyJhbGci"},
               {"refresh_token", 12345},
               {"db_password", true},
               {"user", "alice"}});

  const auto records = sink->records();
  ASSERT_EQ(records.size(), 1U);
  const auto& f = records[0].fields;
  ASSERT_EQ(f.size(), 5U);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(f[i].value, Field::Value(std::string("***"))) << f[i].key;
  }
  EXPECT_EQ(f[4].value, Field::Value(std::string("alice")));

  const std::string line = only_json_line();
  EXPECT_THAT(line, Not(HasSubstr("tcg_live_abc123")));
  EXPECT_THAT(line, Not(HasSubstr("eyJhbGci")));
  EXPECT_THAT(line, Not(HasSubstr("12345")));
  EXPECT_THAT(line, HasSubstr(R"("api_key":"***")"));
}

TEST_F(LoggerTest, UrlCredentialsAreRedactedInMessagesAndStringFields) {
  logger.error("cannot connect to postgres://sync:hunter2@db.local/cards: refused", "req-9",
               {{"upstream", "https://api.justtcg.com/v1/cards?game=pokemon&api_key=SECRET9"},
                {"note", "retrying https://u:pw2@h.example/x soon"}});

  const std::string line = only_json_line();
  EXPECT_THAT(line, Not(HasSubstr("hunter2")));
  EXPECT_THAT(line, Not(HasSubstr("SECRET9")));
  EXPECT_THAT(line, Not(HasSubstr("pw2")));

  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["msg"].GetString(),
               "cannot connect to postgres://sync:***@db.local/cards: refused");
  EXPECT_STREQ(doc["upstream"].GetString(),
               "https://api.justtcg.com/v1/cards?game=pokemon&api_key=***");
  EXPECT_STREQ(doc["note"].GetString(), "retrying https://u:***@h.example/x soon");
}

TEST_F(LoggerTest, EverySinkGetsEveryRecord) {
  auto second = std::make_shared<MemorySink>();
  logger.add_sink(second);
  logger.warn("both");
  EXPECT_EQ(sink->size(), 1U);
  ASSERT_EQ(second->size(), 1U);
  EXPECT_EQ(second->records()[0].message, "both");
}

class ThrowingSink final : public Sink {
 public:
  void write(const Record&) override { throw std::runtime_error("disk full"); }
  void flush() override { throw std::runtime_error("disk full"); }
};

class FlushCountingSink final : public Sink {
 public:
  void write(const Record&) override {}
  void flush() override { ++flushes; }
  std::atomic<int> flushes{0};
};

TEST(LoggerSinkFailureTest, AThrowingSinkDoesNotStopTheOthersOrTheCaller) {
  ManualClock clock;
  Logger logger(clock, Level::info);
  auto kept = std::make_shared<MemorySink>();
  auto counted = std::make_shared<FlushCountingSink>();
  logger.add_sink(std::make_shared<ThrowingSink>());
  logger.add_sink(kept);
  logger.add_sink(counted);

  EXPECT_NO_THROW(logger.info("still delivered"));
  EXPECT_EQ(kept->size(), 1U);
  EXPECT_NO_THROW(logger.flush());
  EXPECT_EQ(counted->flushes, 1);
}

TEST(LoggerFlushTest, DestructorFlushesSinks) {
  ManualClock clock;
  auto counted = std::make_shared<FlushCountingSink>();
  {
    Logger logger(clock, Level::info);
    logger.add_sink(counted);
  }
  EXPECT_EQ(counted->flushes, 1);
}

// Many threads into one logger and one fd-backed sink: every line must come out whole.
TEST(LoggerConcurrencyTest, EightThreadsThousandLinesEachNeverInterleave) {
  constexpr int kThreads = 8;
  constexpr int kLines = 1000;
  ManualClock clock;
  Logger logger(clock, Level::info);
  auto memory = std::make_shared<MemorySink>();
  logger.add_sink(memory);

  // Formats each record and appends it to one shared string, as a byte stream sink would.
  class CapturingSink final : public Sink {
   public:
    void write(const Record& r) override {
      const std::string line = format_json_line(r);
      std::lock_guard lock(mu);
      text += line;
    }
    std::mutex mu;
    std::string text;
  };
  auto capture = std::make_shared<CapturingSink>();
  logger.add_sink(capture);

  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string req = "req-" + std::to_string(t);
      for (int i = 0; i < kLines; ++i) {
        logger.info("line with \"quotes\" and a\nnewline", req,
                    {{"thread", t}, {"seq", i}, {"pad", std::string(64, 'x')}});
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(memory->size(), static_cast<size_t>(kThreads * kLines));
  std::vector<int> next(kThreads, 0);
  size_t lines = 0;
  size_t pos = 0;
  const std::string& text = capture->text;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    ASSERT_NE(end, std::string::npos);
    rapidjson::Document doc;
    doc.Parse(text.data() + pos, end - pos);
    ASSERT_FALSE(doc.HasParseError()) << text.substr(pos, end - pos);
    const int t = static_cast<int>(doc["thread"].GetInt64());
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    EXPECT_EQ(doc["seq"].GetInt64(), next[t]) << "lines of one thread stay in order";
    EXPECT_EQ(std::string(doc["request_id"].GetString()), "req-" + std::to_string(t));
    ++next[t];
    ++lines;
    pos = end + 1;
  }
  EXPECT_EQ(lines, static_cast<size_t>(kThreads * kLines));
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kLines);
}

TEST(LoggerConcurrencyTest, SinksAddedWhileLoggingAreSafe) {
  ManualClock clock;
  Logger logger(clock, Level::info);
  auto first = std::make_shared<MemorySink>();
  logger.add_sink(first);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) logger.info("tick");
  });
  std::vector<std::shared_ptr<MemorySink>> added;
  for (int i = 0; i < 20; ++i) {
    added.push_back(std::make_shared<MemorySink>());
    logger.add_sink(added.back());
  }
  logger.info("after");
  stop = true;
  writer.join();
  // Every sink present when "after" was logged received it.
  for (const auto& s : added) {
    const auto records = s->records();
    EXPECT_TRUE(std::any_of(records.begin(), records.end(),
                            [](const Record& r) { return r.message == "after"; }));
  }
}

}  // namespace
}  // namespace cardsync::log
