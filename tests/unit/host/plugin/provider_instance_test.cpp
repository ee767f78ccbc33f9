// Provider instances: a config section served by a plugin under its own name owns the job
// types "<instance>.<stream>", while the plugin only ever sees and emits its own names; a
// plugin whose streams come from its document describes each instance (ABI 1.3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "plugin/job_type_names.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/provider_runtime.hpp"

namespace cardsync::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(JobTypeNames, RenamesTheServicePrefixBothWays) {
  const JobTypeNames names("pokemontcg", "rest");
  EXPECT_TRUE(names.renames());
  EXPECT_EQ(names.to_host("rest.cards"), "pokemontcg.cards");
  EXPECT_EQ(names.to_plugin("pokemontcg.cards"), "rest.cards");
  // Only a whole "<service>." prefix is renamed.
  EXPECT_EQ(names.to_host("restless.cards"), "restless.cards");
  EXPECT_EQ(names.to_plugin("pokemontcgx.cards"), "pokemontcgx.cards");
  EXPECT_TRUE(names.convertible("rest.sets"));
  EXPECT_FALSE(names.convertible("sets"));
  EXPECT_FALSE(names.convertible("rest."));
}

TEST(JobTypeNames, IsTheIdentityForAnInstanceNamedLikeItsService) {
  const JobTypeNames names("echo", "echo");
  EXPECT_FALSE(names.renames());
  EXPECT_EQ(names.to_host("echo.say"), "echo.say");
  EXPECT_TRUE(names.convertible("anything"));
}

class ProviderInstanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<Registry>(std::make_shared<HostServices>(HostServices::LogFn{}));
    const auto root = std::filesystem::path(CARDSYNC_TEST_PLUGIN_ROOT);
    ASSERT_TRUE(registry_->load_directories({root / "good", root / "recipe"}).empty());
  }

  std::shared_ptr<ProviderRuntime> recipe(const std::string& instance, const std::string& doc) {
    return std::make_shared<ProviderRuntime>(
        Instance::create(registry_->find(Kind::provider, "recipe"), R"({"manifest": )" + doc + "}"),
        std::nullopt, instance);
  }
  static queue::StoredJob job(std::string type, std::string key) {
    queue::StoredJob j;
    j.id = 1;
    j.type = std::move(type);
    j.key = std::move(key);
    j.attempts = 1;
    return j;
  }

  std::unique_ptr<Registry> registry_;
};

TEST_F(ProviderInstanceTest, TwoInstancesOfOnePluginServeTheirOwnJobTypes) {
  auto kitchen = recipe("kitchen", R"({"streams": ["soups", "stews"]})");
  auto garden = recipe("garden", R"({"streams": ["herbs"]})");
  EXPECT_THAT(kitchen->job_types(), ElementsAre("kitchen.soups", "kitchen.stews"));
  EXPECT_THAT(garden->job_types(), ElementsAre("garden.herbs"));
  EXPECT_TRUE(kitchen->serves("kitchen.stews"));
  EXPECT_FALSE(kitchen->serves("garden.herbs"));
  EXPECT_FALSE(kitchen->serves("recipe.soups"));
  EXPECT_EQ(kitchen->name(), "kitchen");
  EXPECT_EQ(kitchen->service(), "kitchen");
  EXPECT_EQ(kitchen->plugin(), "recipe");
}

TEST_F(ProviderInstanceTest, ThePluginSeesItsOwnNamesAndItsOutputCarriesTheInstances) {
  auto kitchen =
      recipe("kitchen", R"({"streams": ["soups", "stews"], "follow": {"soups": "stews"}})");
  const auto planned = kitchen->plan("");
  ASSERT_EQ(planned.output.jobs.size(), 1U);
  EXPECT_EQ(planned.output.jobs[0].type, "kitchen.soups");

  const auto started = kitchen->start(job("kitchen.soups", "all"));
  ASSERT_EQ(started.output.requests.size(), 1U);
  // The plugin built its URL from the job type it was given: its own name.
  EXPECT_EQ(started.output.requests[0].url, "http://recipe.invalid/recipe.soups/all");

  HttpResponse res;
  res.status = 200;
  res.body = "{}";
  const auto handled =
      kitchen->handle(job("kitchen.soups", "all"), started.output.requests[0], res);
  ASSERT_EQ(handled.status, CS_OK) << handled.error;
  ASSERT_EQ(handled.output.jobs.size(), 1U);
  EXPECT_EQ(handled.output.jobs[0].type, "kitchen.stews");
  EXPECT_EQ(handled.output.jobs[0].key, "all-next");
  ASSERT_EQ(handled.output.records.size(), 1U);
  EXPECT_EQ(handled.output.records[0].source, "kitchen");
}

TEST_F(ProviderInstanceTest, ANativePluginRunsUnderAnotherInstanceName) {
  ProviderRuntime shout(
      Instance::create(registry_->find(Kind::provider, "echo"), R"({"channel":"c"})"), std::nullopt,
      "shout");
  EXPECT_THAT(shout.job_types(), ElementsAre("shout.say"));
  EXPECT_EQ(shout.service(), "shout");
  const auto started = shout.start(job("shout.say", "hello"));
  EXPECT_EQ(started.status, CS_OK) << started.error;
}

TEST_F(ProviderInstanceTest, AnInstanceWithoutItsOwnNameIsThePlugin) {
  ProviderRuntime echo(
      Instance::create(registry_->find(Kind::provider, "echo"), R"({"channel":"c"})"));
  EXPECT_EQ(echo.name(), "echo");
  EXPECT_THAT(echo.job_types(), ElementsAre("echo.say"));
}

}  // namespace
}  // namespace cardsync::plugin
