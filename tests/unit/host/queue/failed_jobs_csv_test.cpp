#include "queue/failed_jobs_csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace cardsync::queue {
namespace {

TEST(FailedJobsCsv, QuotesPerRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(""), "");
}

// An upstream's error text or a raw item opened in a spreadsheet must not run as a formula.
TEST(FailedJobsCsv, TextThatLooksLikeAFormulaStaysText) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_field("+1"), "\"'+1\"");
  EXPECT_EQ(csv_field("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(csv_field("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv_field("a=b"), "a=b") << "only a leading sign makes a formula";
}

TEST(FailedJobsCsv, OneRowPerJobWithTheLastErrorAndTheHistory) {
  StoredJob a;
  a.id = 3;
  a.type = "justtcg.cards";
  a.key = "set,1";
  a.attempts = 5;
  a.max_attempts = 5;
  a.created_at_ms = 0;
  a.updated_at_ms = 1'714'564'800'123;
  a.request_id = "req-1";
  a.payload = R"({"set":"x"})";
  a.errors = {StoredJobError{4, 1000, 503, "HTTP 503", "req-1"},
              StoredJobError{5, 2000, 500, "HTTP 500: \"oops\"", "req-2"}};
  StoredJob b;
  b.id = 8;
  b.type = "psa.cert";
  b.key = "123";
  std::ostringstream out;
  write_failed_jobs_csv(out, {a, b});
  std::string csv = out.str();
  const std::string header =
      "id,type,key,attempts,max_attempts,created_at,failed_at,request_id,last_error,"
      "last_http_status,payload,errors\r\n";
  ASSERT_EQ(csv.substr(0, header.size()), header);
  std::string row1 = csv.substr(header.size(), csv.find("\r\n", header.size()) - header.size());
  EXPECT_EQ(row1,
            "3,justtcg.cards,\"set,1\",5,5,1970-01-01T00:00:00.000Z,2024-05-01T12:00:00.123Z,"
            "req-1,\"HTTP 500: \"\"oops\"\"\",500,\"{\"\"set\"\":\"\"x\"\"}\","
            "\"[{\"\"attempt\"\":4,\"\"at\"\":\"\"1970-01-01T00:00:01.000Z\"\",\"\"message\"\":"
            "\"\"HTTP 503\"\",\"\"http_status\"\":503,\"\"request_id\"\":\"\"req-1\"\"},"
            "{\"\"attempt\"\":5,\"\"at\"\":\"\"1970-01-01T00:00:02.000Z\"\",\"\"message\"\":"
            "\"\"HTTP 500: \\\"\"oops\\\"\"\"\",\"\"http_status\"\":500,\"\"request_id\"\":"
            "\"\"req-2\"\"}]\"");
  EXPECT_NE(csv.find("\r\n8,psa.cert,123,0,0,"), std::string::npos);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

}  // namespace
}  // namespace cardsync::queue
