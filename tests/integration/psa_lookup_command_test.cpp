// `cardsync psa lookup` as a shop runs it: the real binary with a config naming the PSA
// provider (pointed at an in-process sandbox) and SQLite storage.
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

class PsaLookupCommandTest : public ::testing::Test {
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
    std::ofstream(dir_ / "cardsync.json")
        << R"({"providers": {"psa": {"base_url": ")" << sandbox_->base_url()
        << R"(/publicapi", "token": "${PSA_TOKEN}", "resilience": {"retry": {"max_retries": 2}}}},
              "storage": {"sqlite": {"path": ")"
        << (dir_ / "cardsync.db").string() << R"("}}, "log": {"level": "warn"}})";
  }

  ProcessExit cardsync(const std::vector<std::string>& args) {
    std::vector<std::string> all{"--config", (dir_ / "cardsync.json").string()};
    all.insert(all.end(), args.begin(), args.end());
    setenv("PSA_TOKEN", "psa_sandbox", 1);
    ChildProcess child(CARDSYNC_BINARY, all, dir_.path(), "cardsync-" + std::to_string(++runs_));
    auto exit = child.wait_for(std::chrono::seconds(60));
    EXPECT_TRUE(exit.has_value());
    return exit ? *exit : ProcessExit{};
  }

  ScratchDir dir_{"psa-lookup-command"};
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<SandboxControl> control_;
  int runs_ = 0;
};

TEST_F(PsaLookupCommandTest, FetchesOnceThenAnswersFromTheCache) {
  const std::string cert(PsaExamples::kBackFirst);
  auto first = cardsync({"psa", "lookup", "1000-0021"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("cert " + cert + ": fresh"));
  EXPECT_THAT(first.out, HasSubstr("front image"));
  EXPECT_THAT(first.out, HasSubstr("/front.jpg"));
  EXPECT_EQ(control_->stats().total(), 2U);

  auto second = cardsync({"psa", "lookup", cert, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  rapidjson::Document doc;
  doc.Parse(second.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << second.out;
  EXPECT_STREQ(doc["status"].GetString(), "fresh");
  EXPECT_FALSE(doc["fetched_now"].GetBool());
  EXPECT_STREQ(doc["data"]["images"][0]["side"].GetString(), "front");
  EXPECT_EQ(control_->stats().total(), 2U);  // the second lookup sent nothing
  EXPECT_THAT(first.err + second.err, ::testing::Not(HasSubstr("psa_sandbox")));
}

TEST_F(PsaLookupCommandTest, BadInputIsAUsageErrorAndSendsNothing) {
  auto r = cardsync({"psa", "lookup", "abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("invalid"));
  EXPECT_THAT(r.out, HasSubstr("no digits"));
  EXPECT_EQ(control_->stats().total(), 0U);
  auto none = cardsync({"psa", "lookup"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("usage: cardsync psa lookup"));
}

TEST_F(PsaLookupCommandTest, NotFoundIsAnAnswer) {
  auto r = cardsync({"psa", "lookup", std::string(PsaExamples::kNotFound)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("not_found"));
}

TEST_F(PsaLookupCommandTest, ANumberPsaCallsInvalidIsRememberedAndNotAskedAgain) {
  const std::string cert(PsaExamples::kInvalid);  // 11 digits: PSA answers 400
  auto first = cardsync({"psa", "lookup", cert});
  EXPECT_EQ(first.exit_code, 2) << first.err;
  EXPECT_THAT(first.out, HasSubstr("cert " + cert + ": invalid"));
  EXPECT_EQ(control_->stats().total(), 1U);

  auto second = cardsync({"psa", "lookup", cert, "--json"});
  EXPECT_EQ(second.exit_code, 2) << second.err;
  rapidjson::Document doc;
  doc.Parse(second.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << second.out;
  EXPECT_STREQ(doc["status"].GetString(), "invalid");
  EXPECT_FALSE(doc["fetched_now"].GetBool());
  EXPECT_THAT(doc["message"].GetString(), HasSubstr("invalid cert number"));
  EXPECT_EQ(control_->stats().total(), 1U);  // answered from the cache
}

TEST_F(PsaLookupCommandTest, PsasQuotaAnswerQueuesTheLookupUntilMidnightUtc) {
  start_sandbox(1);
  ASSERT_EQ(cardsync({"psa", "lookup", std::string(PsaExamples::kNotFound)}).exit_code, 0);
  const auto midnight = [] {
    return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
           std::chrono::days(1);
  };
  const auto before = midnight();
  auto r = cardsync({"psa", "lookup", std::string(PsaExamples::kFound), "--json"});
  const auto after = midnight();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
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
