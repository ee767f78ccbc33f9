#include "log/request_id.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cardsync::log {
namespace {

TEST(RequestIdTest, NewIdsAreWellFormed) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_request_id();
    EXPECT_EQ(id.size(), 16U);
    EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"), std::string::npos) << id;
    EXPECT_TRUE(is_valid_request_id(id));
  }
}

TEST(RequestIdTest, UniqueAcrossThreads) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      made[t].reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) made[t].push_back(new_request_id());
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(RequestIdTest, ForkedChildDoesNotRepeatTheParent) {
  (void)new_request_id();  // seed this thread's generator before forking
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string id = new_request_id();
    const ssize_t n = ::write(fds[1], id.data(), id.size());
    ::_exit(n == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  const std::string parent_id = new_request_id();
  std::array<char, 16> buf{};
  size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::read(fds[0], buf.data() + got, buf.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_EQ(got, buf.size());
  EXPECT_NE(std::string(buf.data(), buf.size()), parent_id);
}

TEST(RequestIdTest, ValidationAcceptsTheSafeAlphabetOnly) {
  EXPECT_TRUE(is_valid_request_id("a"));
  EXPECT_TRUE(is_valid_request_id("Req-1.2_x"));
  EXPECT_TRUE(is_valid_request_id("550e8400-e29b-41d4-a716-446655440000"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'z')));

  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'z')));
  EXPECT_FALSE(is_valid_request_id("a b"));
  EXPECT_FALSE(is_valid_request_id("a\nb"));
  EXPECT_FALSE(is_valid_request_id("a/b"));
  EXPECT_FALSE(is_valid_request_id("\"x\""));
  EXPECT_FALSE(is_valid_request_id("caf\xc3\xa9"));
  EXPECT_FALSE(is_valid_request_id(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace cardsync::log
