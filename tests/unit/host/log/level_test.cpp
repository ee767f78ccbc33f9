#include "log/level.hpp"

#include <gtest/gtest.h>

namespace cardsync::log {
namespace {

TEST(LevelTest, NamesRoundTrip) {
  for (Level level : {Level::trace, Level::debug, Level::info, Level::warn, Level::error}) {
    EXPECT_EQ(parse_level(to_string(level)), level);
  }
  EXPECT_EQ(to_string(Level::warn), "warn");
}

TEST(LevelTest, ParseIgnoresCaseAndRejectsUnknownNames) {
  EXPECT_EQ(parse_level("DEBUG"), Level::debug);
  EXPECT_EQ(parse_level("Error"), Level::error);
  EXPECT_EQ(parse_level("warning"), std::nullopt);
  EXPECT_EQ(parse_level(""), std::nullopt);
  EXPECT_EQ(parse_level("info "), std::nullopt);
}

TEST(LevelTest, SeverityIsOrdered) {
  EXPECT_LT(Level::trace, Level::debug);
  EXPECT_LT(Level::debug, Level::info);
  EXPECT_LT(Level::info, Level::warn);
  EXPECT_LT(Level::warn, Level::error);
}

}  // namespace
}  // namespace cardsync::log
