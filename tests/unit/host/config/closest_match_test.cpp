#include "config/closest_match.hpp"

#include <gtest/gtest.h>

namespace cardsync::config {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(edit_distance("api_key", "api_key"), 0U);
  EXPECT_EQ(edit_distance("api_kee", "api_key"), 1U);
  EXPECT_EQ(edit_distance("plugin_dir", "plugin_dirs"), 1U);
  EXPECT_EQ(edit_distance("pas", "psa"), 1U);  // one swap, not two substitutions
  EXPECT_EQ(edit_distance("", "abc"), 3U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("LEVEL", "level"), 0U);
}

TEST(ClosestMatch, SuggestsTheNearestPlausibleCandidate) {
  const std::vector<std::string> keys = {"api_key", "plan", "base_url", "requests_per_minute"};
  EXPECT_EQ(closest_match("api_kee", keys), "api_key");
  EXPECT_EQ(closest_match("APIKEY", keys), "api_key");
  EXPECT_EQ(closest_match("plna", keys), "plan");
  EXPECT_EQ(closest_match("requests_per_minut", keys), "requests_per_minute");
}

TEST(ClosestMatch, StaysQuietWhenNothingIsClose) {
  const std::vector<std::string> keys = {"api_key", "plan"};
  EXPECT_EQ(closest_match("timeout", keys), std::nullopt);
  EXPECT_EQ(closest_match("x", keys), std::nullopt);
  EXPECT_EQ(closest_match("anything", {}), std::nullopt);
}

}  // namespace
}  // namespace cardsync::config
