// Every paging style and stop condition, deciding the next page from a response.
#include "paging.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rest_test_manifest.hpp"

namespace cardsync::rest {
namespace {

const std::string kBase = "http://127.0.0.1:9/api";

Paging paging(const std::string& spec) {
  Problems p;
  TemplateRules rules;
  rules.config_names = {"page_size"};
  const auto doc = test::parse_jsonc(spec);
  Paging out = Paging::parse(&doc, rules, p, "/paging");
  EXPECT_TRUE(p.empty()) << p.summary();
  return out;
}

std::optional<PageState> next(
    const Paging& paging, const PageState& current, const std::string& body, std::size_t items,
    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  const auto doc = test::parse_jsonc(body);
  std::vector<cs_header> hs;
  hs.reserve(headers.size());
  for (const auto& [k, v] : headers) hs.push_back({sdk::str(k), sdk::str(v)});
  sdk::Response response{200, body, hs.data(), hs.size()};
  const auto config = test::parse_jsonc(R"({"page_size": 10})");
  Scope scope;
  scope.config = &config;
  return paging.next(current, PageFacts{&doc, &response, items}, scope, kBase);
}

PageState page(std::int64_t n) {
  PageState s;
  s.number = n;
  return s;
}

PageState offset(std::int64_t n) {
  PageState s;
  s.offset = n;
  return s;
}

TEST(Paging, PageNumberStopsOnTheTotalOrAnEmptyPage) {
  const Paging p = paging(R"({"style": "page_number", "size": "{config.page_size}",
                              "stop": {"empty_page": true, "total": "/totalCount"}})");
  EXPECT_EQ(p.first(), page(1));
  EXPECT_EQ(next(p, page(1), R"({"totalCount": 25})", 10), page(2));
  EXPECT_EQ(next(p, page(2), R"({"totalCount": 25})", 10), page(3));
  EXPECT_FALSE(next(p, page(3), R"({"totalCount": 25})", 5));
  EXPECT_FALSE(next(p, page(2), R"({"totalCount": 20})", 10));
  EXPECT_FALSE(next(p, page(1), R"({"totalCount": 25})", 0));
  EXPECT_THROW(next(p, page(1), R"({})", 10), sdk::Retry);
}

TEST(Paging, OffsetAdvancesByItemsBySizeOrByTheBodysNextOffset) {
  const Paging by_items = paging(R"({"style": "offset", "size": "{config.page_size}",
                                     "stop": {"has_more": "/meta/hasMore"}})");
  EXPECT_EQ(by_items.first(), offset(0));
  // A short page (5 of 10 asked) moves by what it carried: nothing is skipped.
  EXPECT_EQ(next(by_items, offset(0), R"({"meta": {"hasMore": true}})", 5), offset(5));
  EXPECT_FALSE(next(by_items, offset(5), R"({"meta": {"hasMore": false}})", 10));

  const Paging by_size = paging(R"({"style": "offset", "size": "{config.page_size}",
                                    "advance": "size", "stop": {"total": "/total"}})");
  EXPECT_EQ(next(by_size, offset(0), R"({"total": 25})", 7), offset(10));
  EXPECT_FALSE(next(by_size, offset(20), R"({"total": 25})", 5));

  const Paging by_body = paging(R"({"style": "offset", "size": "{config.page_size}",
                                    "next_offset": "/meta/next_page_offset"})");
  EXPECT_EQ(next(by_body, offset(0), R"({"meta": {"next_page_offset": 6}})", 7), offset(6));
  EXPECT_FALSE(next(by_body, offset(6), R"({"meta": {"rows_remaining": 0}})", 4));
  EXPECT_THROW(next(by_body, offset(6), R"({"meta": {"next_page_offset": 6}})", 4), sdk::Retry);
}

TEST(Paging, CursorTokensComeFromTheBodyUntilAbsent) {
  const Paging p = paging(R"({"style": "cursor", "token": "/next_cursor"})");
  PageState t;
  t.token = "abc";
  EXPECT_EQ(p.first(), PageState{});
  EXPECT_EQ(next(p, {}, R"({"next_cursor": "abc"})", 3), t);
  EXPECT_FALSE(next(p, t, R"({"next_cursor": null})", 3));
  EXPECT_FALSE(next(p, t, R"({"next_cursor": ""})", 3));
  EXPECT_THROW(next(p, t, R"({"next_cursor": "abc"})", 3), sdk::Retry);
}

TEST(Paging, NextUrlsFromTheBodyOrLinkHeaderStayUnderBaseUrl) {
  const Paging body = paging(R"({"style": "next_url", "next_url": "/next_page",
                                 "stop": {"has_more": "/has_more"}})");
  PageState u;
  u.url = "/cards?page=2";
  EXPECT_EQ(
      next(body, {}, R"({"has_more": true, "next_page": ")" + kBase + R"(/cards?page=2"})", 1), u);
  EXPECT_FALSE(next(body, {}, R"({"has_more": false, "next_page": ")" + kBase + R"(/x"})", 1));
  EXPECT_THROW(next(body, {}, R"({"has_more": true, "next_page": "http://evil.example/x"})", 1),
               sdk::Permanent);
  EXPECT_THROW(next(body, {}, R"({"has_more": true, "next_page": ")" + kBase + R"(evil/x"})", 1),
               sdk::Permanent);

  const Paging link = paging(R"({"style": "next_url"})");
  EXPECT_EQ(next(link, {}, "[]", 2,
                 {{"Link", "<" + kBase + "/cards?page=1>; rel=\"prev\", <" + kBase +
                               "/cards?page=2>; rel=\"next\""}}),
            u);
  EXPECT_FALSE(next(link, {}, "[]", 2, {{"Link", "<" + kBase + "/cards?page=1>; rel=\"prev\""}}));
  EXPECT_FALSE(next(link, {}, "[]", 2));
}

TEST(Paging, StyleSpecificPointersAreCheckedAgainstTheStyle) {
  Problems p;
  TemplateRules rules;
  const auto doc = test::parse_jsonc(R"({"style": "cursor", "next_offset": "/n"})");
  Paging::parse(&doc, rules, p, "/paging");
  ASSERT_EQ(p.list().size(), 2U) << p.summary();
  EXPECT_EQ(p.list()[0].pointer, "/paging/token");
  EXPECT_EQ(p.list()[1].pointer, "/paging/next_offset");
}

}  // namespace
}  // namespace cardsync::rest
