// /_sandbox: statistics by route and status, runtime knobs, truth and config.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sandbox_fixture.hpp"

namespace cardsync::sandbox::testing {
namespace {

using ::testing::HasSubstr;
namespace http = boost::beast::http;

class ControlApiTest : public SandboxTest {};

TEST_F(ControlApiTest, StatsCountRequestsByRouteAndStatus) {
  start(small_options());
  api("/v1/games");
  api("/v1/games");
  client_->get("/v1/games");  // 401
  api("/v1/sets?game=pokemon");
  api("/v1/nothing");
  auto stats = control(http::verb::get, "/_sandbox/stats");
  EXPECT_EQ(stats["total"].GetUint64(), 5U);
  EXPECT_EQ(stats["requests"]["GET /v1/games"]["200"].GetUint64(), 2U);
  EXPECT_EQ(stats["requests"]["GET /v1/games"]["401"].GetUint64(), 1U);
  EXPECT_EQ(stats["requests"]["GET /v1/sets"]["200"].GetUint64(), 1U);
  EXPECT_EQ(stats["requests"]["unmatched"]["404"].GetUint64(), 1U);
  EXPECT_EQ(stats["statuses"]["200"].GetUint64(), 3U);
  EXPECT_EQ(stats["served"]["games"].GetUint64(), 4U);
  EXPECT_EQ(stats["served"]["sets"].GetUint64(), 3U);
  EXPECT_TRUE(stats["faults"].HasMember("outage"));

  control(http::verb::post, "/_sandbox/reset-stats");
  auto after = control(http::verb::get, "/_sandbox/stats");
  EXPECT_EQ(after["total"].GetUint64(), 0U);
  EXPECT_EQ(after["requests"].MemberCount(), 0U);
}

TEST_F(ControlApiTest, UnknownPathsAnswerInTheApisErrorShape) {
  start(small_options());
  auto r = api("/v1/pokedex");
  EXPECT_EQ(r.status, 404U);
  EXPECT_STREQ(parse_json(r.body)["code"].GetString(), "NOT_FOUND");
  auto wrong_method = client_->request(http::verb::delete_, "/v1/cards", {{"x-api-key", kKey}});
  EXPECT_EQ(wrong_method.status, 405U);
  EXPECT_EQ(client_->get("/elsewhere").status, 404U);
}

TEST_F(ControlApiTest, FaultsChangeAtRuntime) {
  start(small_options());
  EXPECT_EQ(api("/v1/games").status, 200U);
  auto config = control(http::verb::post, "/_sandbox/faults?fail-rate=1&retry_after_form=date");
  EXPECT_DOUBLE_EQ(config["faults"]["fail_rate"].GetDouble(), 1.0);
  EXPECT_STREQ(config["faults"]["retry_after_form"].GetString(), "date");
  EXPECT_GE(api("/v1/games").status, 500U);
  control(http::verb::post, "/_sandbox/faults?fail_rate=0");
  EXPECT_EQ(api("/v1/games").status, 200U);
  for (const char* bad : {"/_sandbox/faults?fail_rate=2", "/_sandbox/faults?colour=1",
                          "/_sandbox/faults?hang_rate=x", "/_sandbox/faults?retry_after_form=w"}) {
    auto r = client_->post(bad, "");
    EXPECT_EQ(r.status, 400U) << bad;
    EXPECT_THAT(r.body, HasSubstr("error"));
  }
}

TEST_F(ControlApiTest, MutateReportsWhatChangedAndMovesTheTruth) {
  start(small_options());
  auto before = control(http::verb::get, "/_sandbox/truth");
  auto m = control(http::verb::post, "/_sandbox/mutate?fraction=0.5");
  EXPECT_GT(m["mutated"].GetUint64(), 0U);
  EXPECT_EQ(m["round"].GetUint(), 1U);
  auto after = control(http::verb::get, "/_sandbox/truth");
  EXPECT_STRNE(after["checksum"].GetString(), before["checksum"].GetString());
  EXPECT_EQ(after["variants"].GetUint64(), before["variants"].GetUint64());
  EXPECT_EQ(after["mutation_rounds"].GetUint(), 1U);
  EXPECT_EQ(client_->post("/_sandbox/mutate?fraction=3", "").status, 400U);
  EXPECT_EQ(client_->post("/_sandbox/mutate", "").status, 400U);
}

TEST_F(ControlApiTest, StartupMutationMatchesARuntimeOne) {
  // --mutate F at start picks the same variants as a first POST /_sandbox/mutate.
  SandboxOptions o = small_options();
  o.mutate = 0.3;
  start(o);
  auto at_start = control(http::verb::get, "/_sandbox/truth");
  sandbox_.reset();
  start(small_options());
  control(http::verb::post, "/_sandbox/mutate?fraction=0.3");
  EXPECT_STREQ(control(http::verb::get, "/_sandbox/truth")["checksum"].GetString(),
               at_start["checksum"].GetString());
}

TEST_F(ControlApiTest, ConfigDescribesCatalogAndFaults) {
  SandboxOptions o = small_options();
  o.faults.throttle_rate = 0.05;
  start(o);
  auto c = control(http::verb::get, "/_sandbox/config");
  EXPECT_EQ(c["catalog"]["seed"].GetUint64(), 7U);
  EXPECT_EQ(c["catalog"]["cards_per_set"].GetUint(), 7U);
  EXPECT_DOUBLE_EQ(c["faults"]["throttle_rate"].GetDouble(), 0.05);
}

}  // namespace
}  // namespace cardsync::sandbox::testing
