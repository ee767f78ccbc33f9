// `cardsync lookup` as a shop runs it: the real binary with a config naming the PSA provider
// (pointed at an in-process sandbox) and SQLite storage; `cardsync psa lookup` is its alias.
#include <gmock/gmock.h>

#include <rapidjson/document.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "integration/child_process.hpp"
#include "integration/sandbox_control.hpp"
#include "integration/scratch_dir.hpp"
#include "sandbox/psa_certs.hpp"
#include "sandbox/sandbox.hpp"

namespace cardsync::integration {
namespace {

using sandbox::PsaExamples;
using ::testing::HasSubstr;
using ::testing::Not;

// A provider built against ABI 1.1, which has no lookups (tests/plugins/old_minor.c).
const std::filesystem::path kOldMinorDir =
    std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT) / "old_minor";

class LookupCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { start_sandbox(100); }
  void TearDown() override { sandbox_->stop(); }

  // A new sandbox whose PSA answers 429 after `psa_daily_quota` calls a day.
  void start_sandbox(std::uint64_t psa_daily_quota) {
    if (sandbox_) sandbox_->stop();
    sandbox::SandboxOptions so;
    so.catalog.games = 1;
    so.catalog.sets_per_game = 1;
    so.catalog.cards_per_set = 1;
    so.catalog.variants_per_card = 1;
    so.psa.daily_quota = psa_daily_quota;
    sandbox_ = std::make_unique<sandbox::Sandbox>(so);
    sandbox_->start();
    control_ = std::make_unique<SandboxControl>(sandbox_->base_url());
    write_config();
  }

  // psa, and with `with_old_minor` also the old_minor provider (from its own plugin
  // directory, which cardsync() then passes).
  void write_config(bool with_old_minor = false) {
    old_minor_ = with_old_minor;
    std::ofstream(dir_ / "cardsync.json")
        << R"({"providers": {"psa": {"base_url": ")" << sandbox_->base_url()
        << R"(/publicapi", "token": "${PSA_TOKEN}", "resilience": {"retry": {"max_retries": 2}}})"
        << (with_old_minor ? R"(, "old_minor": {})" : "") << R"(},
              "storage": {"sqlite": {"path": ")"
        << (dir_ / "cardsync.db").string() << R"("}}, "log": {"level": "warn"}})";
  }

  ProcessExit cardsync(const std::vector<std::string>& args) {
    std::vector<std::string> all{"--config", (dir_ / "cardsync.json").string()};
    if (old_minor_) {
      all.emplace_back("--plugin-dir");
      all.push_back(kOldMinorDir.string());
    }
    all.insert(all.end(), args.begin(), args.end());
    setenv("PSA_TOKEN", "psa_sandbox", 1);
    ChildProcess child(CARDSYNC_BINARY, all, dir_.path(), "cardsync-" + std::to_string(++runs_));
    auto exit = child.wait_for(std::chrono::seconds(60));
    EXPECT_TRUE(exit.has_value());
    return exit ? *exit : ProcessExit{};
  }

  static rapidjson::Document json(const ProcessExit& r) {
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    EXPECT_FALSE(doc.HasParseError()) << r.out;
    if (doc.HasParseError()) doc.SetObject();
    return doc;
  }

  ScratchDir dir_{"lookup-command"};
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<SandboxControl> control_;
  bool old_minor_ = false;
  int runs_ = 0;
};

TEST_F(LookupCommandTest, FetchesOnceThenAnswersFromTheCache) {
  const std::string cert(PsaExamples::kBackFirst);
  auto first = cardsync({"lookup", "psa", "1000-0021", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto doc = json(first);
  EXPECT_STREQ(doc["provider"].GetString(), "psa");
  EXPECT_STREQ(doc["kind"].GetString(), "cert");
  EXPECT_EQ(doc["key"].GetString(), cert);
  EXPECT_STREQ(doc["status"].GetString(), "fresh");
  EXPECT_TRUE(doc["fetched_now"].GetBool());
  EXPECT_EQ(control_->stats().total(), 2U);  // the cert and its images

  auto second = cardsync({"lookup", "psa", cert, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto again = json(second);
  EXPECT_STREQ(again["status"].GetString(), "fresh");
  EXPECT_FALSE(again["fetched_now"].GetBool());
  EXPECT_STREQ(again["data"]["grade"].GetString(), doc["data"]["grade"].GetString());
  // Both images, in key order (<cert>/back, <cert>/front), whatever order PSA sent them in.
  ASSERT_EQ(again["data"]["images"].Size(), 2U);
  EXPECT_STREQ(again["data"]["images"][0]["side"].GetString(), "back");
  EXPECT_STREQ(again["data"]["images"][1]["side"].GetString(), "front");
  EXPECT_THAT(again["data"]["images"][1]["url"].GetString(), HasSubstr("/front.jpg"));
  EXPECT_EQ(control_->stats().total(), 2U);  // the second lookup sent nothing
  EXPECT_THAT(first.err + second.err, Not(HasSubstr("psa_sandbox")));
}

TEST_F(LookupCommandTest, TheProviderAliasIsTheSameLookup) {
  const std::string cert(PsaExamples::kBackFirst);
  auto first = cardsync({"psa", "lookup", "1000-0021"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("psa cert " + cert + ": fresh"));
  EXPECT_THAT(first.out, HasSubstr("images:"));
  EXPECT_THAT(first.out, HasSubstr("side front, url "));
  EXPECT_THAT(first.out, HasSubstr("/front.jpg"));
  EXPECT_EQ(control_->stats().total(), 2U);

  // The alias and the command share the cache.
  auto second = cardsync({"lookup", "psa", cert, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_FALSE(json(second)["fetched_now"].GetBool());
  auto third = cardsync({"psa", "lookup", cert, "--json"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_FALSE(json(third)["fetched_now"].GetBool());
  EXPECT_EQ(control_->stats().total(), 2U);
  // Typed with a space and no quotes: one key, as the user meant.
  auto spaced = cardsync({"psa", "lookup", "1000", "0021"});
  EXPECT_EQ(spaced.exit_code, 0) << spaced.err;
  EXPECT_THAT(spaced.out, HasSubstr("psa cert " + cert + ": fresh"));
  EXPECT_EQ(control_->stats().total(), 2U);
}

TEST_F(LookupCommandTest, BadInputIsAUsageErrorAndSendsNothing) {
  auto r = cardsync({"lookup", "psa", "abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("invalid"));
  EXPECT_THAT(r.out, HasSubstr("a PSA cert number needs at least one digit"));
  auto alias = cardsync({"psa", "lookup", "abc", "--json"});
  EXPECT_EQ(alias.exit_code, 2);
  EXPECT_STREQ(json(alias)["status"].GetString(), "invalid");
  EXPECT_EQ(control_->stats().total(), 0U);

  auto none = cardsync({"psa", "lookup"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("cardsync psa lookup: expected a key"));
  EXPECT_THAT(none.err, HasSubstr("usage: cardsync lookup <provider> <key>"));
  auto nothing = cardsync({"lookup"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_THAT(nothing.err, HasSubstr("expected a provider and a key"));
  EXPECT_EQ(control_->stats().total(), 0U);
}

TEST_F(LookupCommandTest, AProviderThatIsNotConfiguredIsRefusedNamingThoseWithLookups) {
  auto r = cardsync({"lookup", "justtcg", "123"});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "cardsync lookup: no provider \"justtcg\" is configured; "
            "providers with lookups: psa (cert)\n");
  auto alias = cardsync({"justtcg", "lookup", "123"});
  EXPECT_EQ(alias.exit_code, 2);
  EXPECT_THAT(alias.err, HasSubstr("providers with lookups: psa (cert)"));
  EXPECT_EQ(control_->stats().total(), 0U);
}

TEST_F(LookupCommandTest, AProviderWithoutLookupsIsRefusedInOneLineNamingThoseWithLookups) {
  write_config(true);
  auto r = cardsync({"lookup", "old_minor", "123"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "cardsync lookup: provider \"old_minor\" has no lookups; "
            "providers with lookups: psa (cert)\n");
  auto kind = cardsync({"lookup", "psa", "123", "--kind", "card"});
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_EQ(kind.err,
            "cardsync lookup: provider \"psa\" has no lookup \"card\"; its lookups: cert\n");
  EXPECT_EQ(control_->stats().total(), 0U);
}

TEST_F(LookupCommandTest, NotFoundIsAnAnswer) {
  auto r = cardsync({"lookup", "psa", std::string(PsaExamples::kNotFound)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("not_found"));
}

TEST_F(LookupCommandTest, ANumberPsaCallsInvalidIsRememberedAndNotAskedAgain) {
  const std::string cert(PsaExamples::kInvalid);  // 11 digits: PSA answers 400
  auto first = cardsync({"lookup", "psa", cert});
  EXPECT_EQ(first.exit_code, 2) << first.err;
  EXPECT_THAT(first.out, HasSubstr("psa cert " + cert + ": invalid"));
  EXPECT_EQ(control_->stats().total(), 1U);

  auto second = cardsync({"lookup", "psa", cert, "--json"});
  EXPECT_EQ(second.exit_code, 2) << second.err;
  auto doc = json(second);
  EXPECT_STREQ(doc["status"].GetString(), "invalid");
  EXPECT_FALSE(doc["fetched_now"].GetBool());
  EXPECT_THAT(doc["message"].GetString(), HasSubstr("psa calls " + cert + " an invalid cert"));
  EXPECT_EQ(control_->stats().total(), 1U);  // answered from the cache
}

TEST_F(LookupCommandTest, PsasQuotaAnswerQueuesTheLookupUntilMidnightUtc) {
  start_sandbox(1);
  ASSERT_EQ(cardsync({"lookup", "psa", std::string(PsaExamples::kNotFound)}).exit_code, 0);
  const auto midnight = [] {
    return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
           std::chrono::days(1);
  };
  const auto before = midnight();
  auto r = cardsync({"lookup", "psa", std::string(PsaExamples::kFound), "--json"});
  const auto after = midnight();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = json(r);
  EXPECT_STREQ(doc["status"].GetString(), "queued");
  EXPECT_THAT(doc["message"].GetString(), HasSubstr("quota"));
  auto iso = [](std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd(day);
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT00:00:00Z", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return std::string(buf.data());
  };
  ASSERT_TRUE(doc.HasMember("retry_at")) << r.out;
  const std::string retry_at = doc["retry_at"].GetString();
  EXPECT_TRUE(retry_at == iso(before) || retry_at == iso(after)) << retry_at;
  const auto sent = control_->stats().total();
  EXPECT_EQ(sent, 2U);  // the not-found and the 429, not retried

  // Asked again (another process): the job waits for midnight, nothing is sent.
  auto again = cardsync({"psa", "lookup", std::string(PsaExamples::kFound)});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_THAT(again.out, HasSubstr(": queued"));
  EXPECT_THAT(again.out, HasSubstr("ask again in"));
  EXPECT_EQ(control_->stats().total(), sent);
}

}  // namespace
}  // namespace cardsync::integration
