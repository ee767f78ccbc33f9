#include "queue/content_hash.hpp"

#include <gtest/gtest.h>

namespace cardsync::queue {
namespace {

TEST(ContentHash, EqualContentEqualHashAnyChangeAnotherHash) {
  const std::string h = content_hash("set-1", "justtcg", R"({"a":1})", R"({"raw":1})");
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h, content_hash("set-1", "justtcg", R"({"a":1})", R"({"raw":1})"));
  EXPECT_NE(h, content_hash("set-2", "justtcg", R"({"a":1})", R"({"raw":1})"));
  EXPECT_NE(h, content_hash("set-1", "psa", R"({"a":1})", R"({"raw":1})"));
  EXPECT_NE(h, content_hash("set-1", "justtcg", R"({"a":2})", R"({"raw":1})"));
  EXPECT_NE(h, content_hash("set-1", "justtcg", R"({"a":1})", R"({"raw":2})"));
  // Field boundaries count: bytes moved between fields change the hash.
  EXPECT_NE(content_hash("ab", "c", "", ""), content_hash("a", "bc", "", ""));
}

}  // namespace
}  // namespace cardsync::queue
