// sdk::percent_encode / percent_decode, sdk::with_query / query_value: what a provider sends
// is what it reads back from the request when the response arrives.
#include <gtest/gtest.h>

#include <cardsync/query.hpp>
#include <cardsync/url.hpp>

#include <optional>
#include <string>

namespace cardsync::sdk {
namespace {

TEST(SdkUrl, EncodesEveryByteButTheUnreservedOnes) {
  EXPECT_EQ(percent_encode("a b&c=d/é~-._"), "a%20b%26c%3Dd%2F%C3%A9~-._");
  EXPECT_EQ(percent_encode(""), "");
  EXPECT_EQ(percent_decode("a%20b%26c%3Dd%2F%C3%A9"), "a b&c=d/é");
  EXPECT_EQ(percent_decode("a+b"), "a b");    // form encoding
  EXPECT_EQ(percent_decode("100%"), "100%");  // malformed escapes stay as written
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
}

TEST(SdkQuery, ValuesRoundTripThroughTheUrl) {
  const std::string url =
      with_query("https://x/v1/cards", {{"set", "a b&c=d/é"}, {"offset", "40"}, {"flag", ""}});
  EXPECT_EQ(url, "https://x/v1/cards?set=a%20b%26c%3Dd%2F%C3%A9&offset=40&flag=");
  EXPECT_EQ(query_value(url, "set"), "a b&c=d/é");
  EXPECT_EQ(query_value(url, "offset"), "40");
  EXPECT_EQ(query_value(url, "flag"), "");
  EXPECT_EQ(query_value(url, "limit"), std::nullopt);
  EXPECT_EQ(query_value("https://x/cards", "offset"), std::nullopt);
  EXPECT_EQ(query_value("https://x/cards?a=1#offset=2", "offset"), std::nullopt);
}

TEST(SdkQuery, AppendsToAUrlThatAlreadyHasAQuery) {
  EXPECT_EQ(with_query("https://x/s?q=1", {{"page", "2"}}), "https://x/s?q=1&page=2");
  EXPECT_EQ(with_query("https://x/s", {}), "https://x/s");
}

}  // namespace
}  // namespace cardsync::sdk
