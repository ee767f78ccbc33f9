// The command line: defaults, every flag reaching its option, and bad values refused with
// the flag named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "sandbox/sandbox_options.hpp"

namespace cardsync::sandbox {
namespace {

using ::testing::HasSubstr;

SandboxCommandLine parse(std::vector<const char*> args) {
  args.insert(args.begin(), "cardsync-sandbox");
  return parse_sandbox_command_line(static_cast<int>(args.size()), args.data());
}

TEST(SandboxOptions, DefaultsAreACleanSmallCatalog) {
  auto cli = parse({});
  EXPECT_FALSE(cli.help);
  const auto& o = cli.options;
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.justtcg.api_key, "tcg_sandbox");
  EXPECT_EQ(o.justtcg.plan.name, "Enterprise");
  EXPECT_EQ(o.faults.fail_rate, 0.0);
  EXPECT_LT(o.faults.outage_start, 0.0);
  EXPECT_EQ(o.catalog.invalid_rate, 0.0);
  EXPECT_EQ(o.catalog.games, 3U);
}

TEST(SandboxOptions, EveryFlagReachesItsOption) {
  auto o = parse({"--port",
                  "8787",
                  "--threads",
                  "3",
                  "--seed",
                  "99",
                  "--games",
                  "4",
                  "--sets-per-game",
                  "5",
                  "--cards-per-set",
                  "6",
                  "--variants-per-card",
                  "7",
                  "--invalid-rate",
                  "0.01",
                  "--mutate",
                  "0.05",
                  "--api-key",
                  "tcg_x",
                  "--plan",
                  "free",
                  "--rate-limit",
                  "10",
                  "--daily-limit",
                  "100",
                  "--monthly-limit",
                  "1000",
                  "--fail-rate",
                  "0.2",
                  "--throttle-rate",
                  "0.05",
                  "--retry-after-form",
                  "date",
                  "--retry-after",
                  "7",
                  "--hang-rate",
                  "0.01",
                  "--truncate-rate",
                  "0.02",
                  "--repeat-rate",
                  "0.03",
                  "--short-page-rate",
                  "0.04",
                  "--outage-start",
                  "5",
                  "--outage-duration",
                  "10",
                  "--latency-ms",
                  "15"})
               .options;
  EXPECT_EQ(o.port, 8787);
  EXPECT_EQ(o.threads, 3U);
  EXPECT_EQ(o.catalog.seed, 99U);
  EXPECT_EQ(o.catalog.games, 4U);
  EXPECT_EQ(o.catalog.sets_per_game, 5U);
  EXPECT_EQ(o.catalog.cards_per_set, 6U);
  EXPECT_EQ(o.catalog.variants_per_card, 7U);
  EXPECT_DOUBLE_EQ(o.catalog.invalid_rate, 0.01);
  EXPECT_DOUBLE_EQ(o.mutate, 0.05);
  EXPECT_EQ(o.justtcg.api_key, "tcg_x");
  EXPECT_EQ(o.justtcg.plan.max_limit, 20U);
  EXPECT_EQ(o.justtcg.rate_limit, 10U);
  EXPECT_EQ(o.justtcg.daily_limit, 100U);
  EXPECT_EQ(o.justtcg.monthly_limit, 1000U);
  EXPECT_DOUBLE_EQ(o.faults.fail_rate, 0.2);
  EXPECT_DOUBLE_EQ(o.faults.throttle_rate, 0.05);
  EXPECT_EQ(o.faults.retry_after_form, RetryAfterForm::kDate);
  EXPECT_EQ(o.faults.retry_after.count(), 7);
  EXPECT_DOUBLE_EQ(o.faults.hang_rate, 0.01);
  EXPECT_DOUBLE_EQ(o.faults.truncate_rate, 0.02);
  EXPECT_DOUBLE_EQ(o.faults.repeat_rate, 0.03);
  EXPECT_DOUBLE_EQ(o.faults.short_page_rate, 0.04);
  EXPECT_DOUBLE_EQ(o.faults.outage_start, 5.0);
  EXPECT_DOUBLE_EQ(o.faults.outage_duration, 10.0);
  EXPECT_EQ(o.faults.latency.count(), 15);
}

TEST(SandboxOptions, OutageWithoutStartBeginsAtZero) {
  auto o = parse({"--outage-duration", "10"}).options;
  EXPECT_DOUBLE_EQ(o.faults.outage_start, 0.0);
}

TEST(SandboxOptions, BadValuesNameTheFlag) {
  auto message = [](std::vector<const char*> args) {
    try {
      parse(std::move(args));
    } catch (const SandboxUsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_THAT(message({"--fail-rate", "1.5"}), HasSubstr("--fail-rate"));
  EXPECT_THAT(message({"--plan", "gold"}), HasSubstr("--plan"));
  EXPECT_THAT(message({"--retry-after-form", "weeks"}), HasSubstr("--retry-after-form"));
  EXPECT_THAT(message({"--variants-per-card", "65"}), HasSubstr("--variants-per-card"));
  EXPECT_THAT(message({"--games", "0"}), HasSubstr("--games"));
  EXPECT_THAT(message({"--port", "70000"}), HasSubstr("--port"));
  EXPECT_THAT(message({"--frobnicate"}), HasSubstr("frobnicate"));
}

TEST(SandboxOptions, HelpListsTheFlags) {
  auto cli = parse({"--help"});
  EXPECT_TRUE(cli.help);
  EXPECT_THAT(cli.help_text, HasSubstr("--throttle-rate"));
  EXPECT_THAT(cli.help_text, HasSubstr("--outage-start"));
}

}  // namespace
}  // namespace cardsync::sandbox
