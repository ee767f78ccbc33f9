// What a page on another site can make a browser send is refused before any route runs.

#include "admin/cross_site_guard.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>

namespace cardsync::admin {
namespace {

namespace http = boost::beast::http;

HttpRequest request(http::verb method, const std::string& host, const std::string& origin = "",
                    const std::string& type = "") {
  HttpRequest r{method, "/api/v1/jobs/retry-failed", 11};
  if (!host.empty()) r.set(http::field::host, host);
  if (!origin.empty()) r.set(http::field::origin, origin);
  if (!type.empty()) r.set(http::field::content_type, type);
  return r;
}

unsigned refused(const CrossSiteGuard& guard, const HttpRequest& r) {
  const auto refusal = guard.check(r);
  return refusal ? refusal->status : 0;
}

TEST(CrossSiteGuardTest, APostWithoutAJsonTypeIsRefusedEvenWhenEmpty) {
  const CrossSiteGuard guard("127.0.0.1", {});
  EXPECT_EQ(refused(guard, request(http::verb::post, "127.0.0.1:8080")), 415u);
  EXPECT_EQ(refused(guard, request(http::verb::post, "127.0.0.1:8080", "", "text/plain")), 415u);
  EXPECT_EQ(refused(guard, request(http::verb::post, "127.0.0.1:8080", "",
                                   "application/x-www-form-urlencoded")),
            415u);
  EXPECT_EQ(refused(guard, request(http::verb::post, "127.0.0.1:8080", "",
                                   "application/json; charset=utf-8")),
            0u);
  EXPECT_EQ(refused(guard, request(http::verb::get, "127.0.0.1:8080")), 0u)
      << "reads carry no body type";
}

TEST(CrossSiteGuardTest, APostFromAForeignOriginIsRefused) {
  const CrossSiteGuard guard("127.0.0.1", {"https://shop.example"});
  const auto json = "application/json";
  EXPECT_EQ(
      refused(guard, request(http::verb::post, "127.0.0.1:8080", "https://evil.example", json)),
      403u);
  EXPECT_EQ(refused(guard, request(http::verb::post, "127.0.0.1:8080", "null", json)), 403u);
  EXPECT_EQ(
      refused(guard, request(http::verb::post, "127.0.0.1:8080", "http://127.0.0.1:8080", json)),
      0u)
      << "the monitor page is same-origin";
  EXPECT_EQ(
      refused(guard, request(http::verb::post, "127.0.0.1:8080", "https://shop.example", json)),
      0u);
  EXPECT_EQ(refused(guard, request(http::verb::post, "127.0.0.1:8080", "", json)), 0u)
      << "scripts and curl send no Origin";
}

TEST(CrossSiteGuardTest, OnLoopbackOnlyThisMachinesNamesAreServed) {
  const CrossSiteGuard guard("127.0.0.1", {"https://shop.example"});
  for (const char* host :
       {"127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "shop.example"}) {
    EXPECT_EQ(refused(guard, request(http::verb::get, host)), 0u) << host;
  }
  // A rebound name reaches 127.0.0.1 with the attacker's Host.
  EXPECT_EQ(refused(guard, request(http::verb::get, "rebind.evil.example:8080")), 421u);
  EXPECT_EQ(refused(guard, request(http::verb::get, "")), 421u);
}

TEST(CrossSiteGuardTest, OnAPublicAddressAnyHostIsServed) {
  const CrossSiteGuard guard("0.0.0.0", {});
  EXPECT_EQ(refused(guard, request(http::verb::get, "cards.shop.example")), 0u);
}

}  // namespace
}  // namespace cardsync::admin
