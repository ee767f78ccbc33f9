// The admin area's pieces without the network: options and the start-up refusal, the asset
// table, the per-minute record counts.
#include <gmock/gmock.h>

#include "admin/asset_table.hpp"
#include "admin_test_support.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;

config::EnvLookup env_with(const std::map<std::string, std::string>& vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

rapidjson::Document doc(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  return d;
}

TEST(AdminOptionsTest, DefaultsAndListen) {
  auto o = read_admin_options(nullptr, env_with({}));
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8080);
  EXPECT_TRUE(o.auth.enabled);
  EXPECT_EQ(o.auth.leeway, std::chrono::seconds(30));
  auto d = doc(R"({"listen":"[::1]:9000","allowed_origins":["https://a.example"]})");
  auto v6 = read_admin_options(
      &d, env_with({{"ALLOWED_ORIGINS", " https://b.example ,https://c.example"}}));
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 9000);
  EXPECT_EQ(v6.allowed_origins, (std::vector<std::string>{"https://a.example", "https://b.example",
                                                          "https://c.example"}));
  auto bad = doc(R"({"listen":"nowhere"})");
  EXPECT_THROW(read_admin_options(&bad, env_with({})), std::invalid_argument);
}

TEST(AdminOptionsTest, AuthOffIsRefusedOnANonLoopbackAddress) {
  auto d = doc(R"({"listen":"0.0.0.0:8080","auth":{"enabled":false}})");
  auto o = read_admin_options(&d, env_with({}));
  auto problems = check_admin_options(o);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("not a loopback address"));
  auto local = doc(R"({"listen":"127.0.0.1:8080","auth":{"enabled":false}})");
  auto lo = read_admin_options(&local, env_with({}));
  EXPECT_TRUE(check_admin_options(lo).empty());
}

TEST(AdminOptionsTest, AuthNeedsAUsableSecretOrKey) {
  auto o = read_admin_options(nullptr, env_with({}));
  auto problems = check_admin_options(o);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("hs256_secret"));
  auto rs = doc(R"({"auth":{"algorithm":"RS256","rs256_public_key_file":"/nonexistent.pem"}})");
  auto r = read_admin_options(&rs, env_with({}));
  problems = check_admin_options(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("/nonexistent.pem"));
}

TEST(AssetTableTest, OnlyExactPathsResolve) {
  EXPECT_FALSE(find_asset("/assets/../index.html"));
  EXPECT_FALSE(find_asset("/../index.html"));
  EXPECT_FALSE(find_asset("/assets/"));
  EXPECT_FALSE(find_asset("index.html"));
  if (!all_assets().empty()) {
    EXPECT_TRUE(find_asset("/"));
    EXPECT_EQ(find_asset("/")->content_type, "text/html; charset=utf-8");
  }
  EXPECT_EQ(content_type_for("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.bin"), "application/octet-stream");
}

TEST(RecordsPerMinuteTest, CountsGrowthPerMinuteAndForgetsOldMinutes) {
  RecordsPerMinute r;
  const Clock::WallTime t0{std::chrono::minutes(1000)};
  r.sample(t0, 100);  // primes: what came before is not attributed
  r.sample(t0 + std::chrono::seconds(10), 130);
  r.sample(t0 + std::chrono::seconds(70), 131);
  auto last = r.last(t0 + std::chrono::seconds(70), 3);
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[1].records, 30);
  EXPECT_EQ(last[2].records, 1);
  EXPECT_EQ(last[1].at_ms, 1000 * 60'000);
  auto later = r.last(t0 + std::chrono::minutes(RecordsPerMinute::kMinutes + 5), 60);
  for (const auto& m : later) EXPECT_EQ(m.records, 0);
}

}  // namespace
}  // namespace cardsync::admin::testing
