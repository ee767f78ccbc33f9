#include "log/stream_sink.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "log/logger.hpp"

namespace cardsync::log {
namespace {

using namespace std::chrono_literals;

// An anonymous temporary file, read back from the start.
class TempFile {
 public:
  TempFile() : file_(std::tmpfile()) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  int fd() const { return fileno(file_); }
  std::string contents() const {
    std::string out;
    std::vector<char> buf(1 << 16);
    off_t offset = 0;
    for (;;) {
      const ssize_t n = ::pread(fd(), buf.data(), buf.size(), offset);
      if (n <= 0) break;
      out.append(buf.data(), static_cast<size_t>(n));
      offset += n;
    }
    return out;
  }

 private:
  std::FILE* file_;
};

Record record(std::string message) {
  Record r;
  r.ts = std::chrono::sys_days{std::chrono::year{2026} / 1 / 2} + 3h + 4min + 5s + 6ms;
  r.level = Level::warn;
  r.message = std::move(message);
  return r;
}

TEST(StreamSinkTest, WritesJsonLinesToAFile) {
  TempFile file;
  StreamSink sink(file.fd(), Format::json);
  sink.write(record("one"));
  sink.write(record("two"));
  EXPECT_EQ(file.contents(),
            "{\"ts\":\"2026-01-02T03:04:05.006Z\",\"level\":\"warn\",\"msg\":\"one\"}\n"
            "{\"ts\":\"2026-01-02T03:04:05.006Z\",\"level\":\"warn\",\"msg\":\"two\"}\n");
}

TEST(StreamSinkTest, WritesTextWhenAsked) {
  TempFile file;
  StreamSink sink(file.fd(), Format::text);
  EXPECT_EQ(sink.format(), Format::text);
  sink.write(record("hello"));
  EXPECT_EQ(file.contents(), "03:04:05.006 WARN  hello\n");
}

TEST(StreamSinkTest, AutoDetectPicksJsonForAFile) {
  TempFile file;
  EXPECT_EQ(StreamSink(file.fd(), Format::auto_detect).format(), Format::json);
}

TEST(StreamSinkTest, AutoDetectPicksTextForATerminal) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) GTEST_SKIP() << "no pseudo-terminals available";
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const char* name = ::ptsname(master);
  ASSERT_NE(name, nullptr);
  const int slave = ::open(name, O_RDWR | O_NOCTTY);
  ASSERT_GE(slave, 0);

  EXPECT_EQ(StreamSink(slave, Format::auto_detect).format(), Format::text);
  EXPECT_EQ(StreamSink(slave, Format::json).format(), Format::json);
  ::close(slave);
  ::close(master);
}

TEST(StreamSinkTest, ClosedDescriptorDropsTheLineQuietly) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[1]);
  StreamSink sink(fds[1], Format::json);
  EXPECT_NO_THROW(sink.write(record("lost")));
  ::close(fds[0]);
}

// The path production uses: threads -> Logger -> StreamSink -> one descriptor.
TEST(StreamSinkTest, ConcurrentLinesThroughTheLoggerStayWhole) {
  constexpr int kThreads = 8;
  constexpr int kLines = 1000;
  TempFile file;
  ManualClock clock;
  Logger logger(clock, Level::info);
  logger.add_sink(std::make_shared<StreamSink>(file.fd(), Format::json));

  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) {
        logger.info("payload", "", {{"thread", t}, {"seq", i}, {"blob", std::string(300, 'z')}});
      }
    });
  }
  for (auto& th : threads) th.join();

  const std::string text = file.contents();
  std::set<std::pair<int64_t, int64_t>> seen;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    ASSERT_NE(end, std::string::npos);
    rapidjson::Document doc;
    doc.Parse(text.data() + pos, end - pos);
    ASSERT_FALSE(doc.HasParseError()) << text.substr(pos, end - pos);
    EXPECT_EQ(doc["blob"].GetStringLength(), 300U);
    seen.emplace(doc["thread"].GetInt64(), doc["seq"].GetInt64());
    pos = end + 1;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kLines));
}

}  // namespace
}  // namespace cardsync::log
