#include "http/http_headers.hpp"

#include <gtest/gtest.h>

#include "http/request_redaction.hpp"

namespace cardsync {
namespace {

TEST(HttpHeaders, NamesCompareCaseInsensitively) {
  HttpHeaders h;
  h.add("Retry-After", "7");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.find("retry-after"), "7");
  EXPECT_EQ(h.find("RETRY-AFTER"), "7");
  EXPECT_FALSE(h.find("Retry").has_value());
  EXPECT_EQ(h.size(), 3u);  // repeated fields stay separate
  h.set("SET-COOKIE", "c=3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.find("Set-Cookie"), "c=3");
  h.remove("retry-after");
  EXPECT_FALSE(h.contains("Retry-After"));
}

TEST(RequestRedaction, SecretHeadersAndQueryValuesAreMasked) {
  HttpRequest r;
  r.method = "GET";
  r.url = "https://api.justtcg.com/v1/cards?game=pokemon&api_key=tcg_abc123";
  r.headers.add("x-api-key", "tcg_abc123");
  r.headers.add("Authorization", "bearer tok_999");
  r.headers.add("Accept", "application/json");
  const HttpHeaders safe = redact_headers(r.headers);
  EXPECT_EQ(safe.find("x-api-key"), "***");
  EXPECT_EQ(safe.find("authorization"), "***");
  EXPECT_EQ(safe.find("accept"), "application/json");
  EXPECT_EQ(describe_request(r), "GET https://api.justtcg.com/v1/cards?game=pokemon&api_key=***");
  const std::string text = redact_for_request(
      "failed at https://u:pw@h/x?token=t1 with key tcg_abc123 and bearer tok_999", r);
  EXPECT_EQ(text.find("tcg_abc123"), std::string::npos) << text;
  EXPECT_EQ(text.find("tok_999"), std::string::npos) << text;
  EXPECT_EQ(text.find(":pw@"), std::string::npos) << text;
  EXPECT_EQ(text.find("t1"), std::string::npos) << text;
}

}  // namespace
}  // namespace cardsync
