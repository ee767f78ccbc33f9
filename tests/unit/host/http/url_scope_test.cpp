#include "http/url_scope.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cardsync {
namespace {

TEST(UrlScope, SameOriginUnderTheBasePathIsAllowed) {
  const UrlScope scope("https://api.justtcg.com/v1");
  EXPECT_TRUE(scope.allows("https://api.justtcg.com/v1"));
  EXPECT_TRUE(scope.allows("https://api.justtcg.com/v1/"));
  EXPECT_TRUE(scope.allows("https://api.justtcg.com/v1/cards?game=pokemon&offset=20"));
  EXPECT_TRUE(scope.allows("https://api.justtcg.com/v1?x=1#top"));
}

TEST(UrlScope, AnotherHostIsRefused) {
  const UrlScope scope("https://api.justtcg.com/v1");
  EXPECT_FALSE(scope.allows("https://evil.example/v1/cards"));
  EXPECT_FALSE(scope.allows("https://justtcg.com/v1/cards"));
  EXPECT_FALSE(scope.allows("https://www.api.justtcg.com/v1/cards"));
}

TEST(UrlScope, AnotherPortIsRefused) {
  const UrlScope scope("http://127.0.0.1:8080/");
  EXPECT_TRUE(scope.allows("http://127.0.0.1:8080/cards"));
  EXPECT_FALSE(scope.allows("http://127.0.0.1:8081/cards"));
  EXPECT_FALSE(scope.allows("http://127.0.0.1/cards"));
}

TEST(UrlScope, TheSchemesDefaultPortIsTheSamePort) {
  const UrlScope https("https://api.justtcg.com/v1");
  EXPECT_TRUE(https.allows("https://api.justtcg.com:443/v1/cards"));
  EXPECT_FALSE(https.allows("https://api.justtcg.com:8443/v1/cards"));
  const UrlScope explicit_port("http://localhost:80");
  EXPECT_TRUE(explicit_port.allows("http://localhost/cards"));
}

TEST(UrlScope, ASchemeChangeIsRefused) {
  EXPECT_FALSE(UrlScope("https://api.justtcg.com/v1").allows("http://api.justtcg.com/v1/cards"));
  EXPECT_FALSE(UrlScope("http://api.justtcg.com/v1").allows("https://api.justtcg.com/v1/cards"));
  // The same host and port, another protocol: still another origin.
  EXPECT_FALSE(UrlScope("http://h:21/").allows("ftp://h:21/"));
}

TEST(UrlScope, OnlyPathsUnderTheBasePathAreAllowed) {
  const UrlScope scope("https://api.example.com/v1");
  EXPECT_FALSE(scope.allows("https://api.example.com/admin"));
  EXPECT_FALSE(scope.allows("https://api.example.com/"));
  EXPECT_FALSE(scope.allows("https://api.example.com"));
  // A prefix of the path, not of the segment.
  EXPECT_FALSE(scope.allows("https://api.example.com/v10/cards"));
  EXPECT_FALSE(scope.allows("https://api.example.com/v1-admin"));
  // Paths are case-sensitive.
  EXPECT_FALSE(scope.allows("https://api.example.com/V1/cards"));
}

TEST(UrlScope, DotSegmentsCannotLeaveTheBasePath) {
  const UrlScope scope("https://api.example.com/v1");
  EXPECT_FALSE(scope.allows("https://api.example.com/v1/../admin"));
  EXPECT_FALSE(scope.allows("https://api.example.com/v1/%2e%2e/admin"));
  EXPECT_FALSE(scope.allows("https://api.example.com/v1/%2E%2E/admin"));
  EXPECT_FALSE(scope.allows("https://api.example.com/v1%2F..%2Fadmin"));
  EXPECT_TRUE(scope.allows("https://api.example.com/v1/./cards"));
  EXPECT_TRUE(scope.allows("https://api.example.com/v1/cards/../sets"));
}

TEST(UrlScope, ABaseUrlAtTheRootAllowsEveryPath) {
  const UrlScope scope("https://api.scryfall.com");
  EXPECT_TRUE(scope.allows("https://api.scryfall.com/"));
  EXPECT_TRUE(scope.allows("https://api.scryfall.com/cards/search?q=e%3Aneo"));
  EXPECT_EQ(UrlScope("https://api.scryfall.com/").allows("https://api.scryfall.com/sets"), true);
}

TEST(UrlScope, UserInfoCannotDisguiseAnotherHost) {
  const UrlScope scope("https://api.justtcg.com/v1");
  // The host is evil.example; "api.justtcg.com" is only a user name.
  EXPECT_FALSE(scope.allows("https://api.justtcg.com@evil.example/v1/cards"));
  EXPECT_FALSE(scope.allows("https://api.justtcg.com:443@evil.example/v1/cards"));
  EXPECT_FALSE(scope.allows("https://api.justtcg.com\\@evil.example/v1/cards"));
  // A longer name that merely starts with the right one.
  EXPECT_FALSE(scope.allows("https://api.justtcg.com.evil.example/v1/cards"));
}

TEST(UrlScope, HostsCompareCaseInsensitively) {
  const UrlScope scope("https://api.justtcg.com/v1");
  EXPECT_TRUE(scope.allows("https://API.JustTCG.com/v1/cards"));
  EXPECT_TRUE(scope.allows("HTTPS://api.justtcg.com/v1/cards"));
  EXPECT_TRUE(UrlScope("https://API.JUSTTCG.COM/v1").allows("https://api.justtcg.com/v1/x"));
}

TEST(UrlScope, PercentEncodedHostsAreDecodedBeforeComparing) {
  const UrlScope scope("https://api.justtcg.com/v1");
  EXPECT_TRUE(scope.allows("https://%61pi.justtcg.com/v1/cards"));
  EXPECT_FALSE(scope.allows("https://evil%2eexample/v1/cards"));
  EXPECT_FALSE(scope.allows("https://api.justtcg.com%2eevil.example/v1/cards"));
}

TEST(UrlScope, WhatLibcurlCannotParseIsRefused) {
  const UrlScope scope("https://api.justtcg.com/v1");
  EXPECT_FALSE(scope.allows(""));
  EXPECT_FALSE(scope.allows("/v1/cards"));
  EXPECT_FALSE(scope.allows("api.justtcg.com/v1/cards"));
  EXPECT_FALSE(scope.allows("https:///v1/cards"));
  EXPECT_FALSE(scope.allows("https://api.justtcg.com/v1/cards with space"));
}

TEST(UrlScope, ABaseUrlThatIsNotAnHttpUrlIsRejected) {
  EXPECT_THROW(UrlScope("api.justtcg.com/v1"), std::invalid_argument);
  EXPECT_THROW(UrlScope("ftp://api.justtcg.com/v1"), std::invalid_argument);
  EXPECT_THROW(UrlScope("https://"), std::invalid_argument);
}

TEST(UrlScope, BaseUrlIsShownWithItsPasswordMasked) {
  EXPECT_EQ(UrlScope("https://api.justtcg.com/v1").base_url(), "https://api.justtcg.com/v1");
  EXPECT_EQ(UrlScope("https://u:hunter22@h.example/v1").base_url(), "https://u:***@h.example/v1");
}

TEST(UrlWithoutQuery, DropsQueryFragmentAndUserInfo) {
  EXPECT_EQ(url_without_query("https://evil.example/steal?api_key=tcg_secret&x=1#frag"),
            "https://evil.example/steal");
  EXPECT_EQ(url_without_query("https://user:pw@evil.example:8443/a/b?token=t"),
            "https://evil.example:8443/a/b");
}

TEST(UrlWithoutQuery, CutsAnUnparsableUrlAtItsQuery) {
  EXPECT_EQ(url_without_query("not a url?api_key=tcg_secret"), "not a url");
  EXPECT_EQ(url_without_query("/relative/path#frag?x"), "/relative/path");
}

}  // namespace
}  // namespace cardsync
