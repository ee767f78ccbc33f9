// `cardsync psa lookup` as a shop runs it: the real binary with a config naming the PSA
// provider (pointed at an in-process sandbox) and SQLite storage.
#include <gmock/gmock.h>

#include <rapidjson/document.h>

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
  void SetUp() override {
    sandbox::SandboxOptions so;
    so.catalog.games = 1;
    so.catalog.sets_per_game = 1;
    so.catalog.cards_per_set = 1;
    so.catalog.variants_per_card = 1;
    sandbox_ = std::make_unique<sandbox::Sandbox>(so);
    sandbox_->start();
    control_ = std::make_unique<SandboxControl>(sandbox_->base_url());
    std::ofstream(dir_ / "cardsync.json")
        << R"({"providers": {"psa": {"base_url": ")" << sandbox_->base_url()
        << R"(/publicapi", "token": "${PSA_TOKEN}", "resilience": {"retry": {"max_retries": 2}}}},
              "storage": {"sqlite": {"path": ")"
        << (dir_ / "cardsync.db").string() << R"("}}, "log": {"level": "warn"}})";
  }
  void TearDown() override { sandbox_->stop(); }

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

}  // namespace
}  // namespace cardsync::integration
