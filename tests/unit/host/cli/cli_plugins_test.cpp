#include <cardsync/abi.h>
#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <string>

#include "cli/exit_codes.hpp"
#include "cli_fixture.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

TEST_F(CliTest, PluginsListShowsNameKindVersionAbiAndPath) {
  auto r = run({"--config", write("c.json", "{}").string(), "--plugin-dir", plugin_dir("good"),
                "plugins", "list"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  const std::string abi = std::to_string(CS_ABI_MAJOR) + "\\." + std::to_string(CS_ABI_MINOR);
  EXPECT_THAT(r.out,
              ContainsRegex("echo +provider +1\\.2\\.3 +" + abi + " +.*cardsync-provider-echo"));
  EXPECT_THAT(r.out,
              ContainsRegex("memo +storage +0\\.0\\.1 +" + abi + " +.*cardsync-storage-memo"));
}

TEST_F(CliTest, PluginsListJsonHasTheTablesFieldsAndTheProblems) {
  auto r = run({"--config", write("c.json", "{}").string(), "--plugin-dir", plugin_dir("good"),
                "--plugin-dir", plugin_dir("wrong_major"), "plugins", "list", "--json"});
  EXPECT_EQ(r.code, kExitUsage);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  const rapidjson::Value* echo = nullptr;
  for (const auto& p : doc["plugins"].GetArray()) {
    if (std::string(p["name"].GetString()) == "echo") echo = &p;
  }
  ASSERT_NE(echo, nullptr) << r.out;
  EXPECT_STREQ((*echo)["kind"].GetString(), "provider");
  EXPECT_STREQ((*echo)["version"].GetString(), "1.2.3");
  EXPECT_EQ((*echo)["abi"].GetString(),
            std::to_string(CS_ABI_MAJOR) + "." + std::to_string(CS_ABI_MINOR));
  EXPECT_THAT((*echo)["path"].GetString(), HasSubstr("cardsync-provider-echo"));
  EXPECT_TRUE((*echo)["lookups"].IsArray());
  ASSERT_EQ(doc["problems"].Size(), 1U);
  EXPECT_THAT(doc["problems"][0].GetString(), HasSubstr("wrong_major"));
}

TEST_F(CliTest, PluginsListStillShowsGoodPluginsBesideABadOne) {
  auto r = run({"--config", write("c.json", "{}").string(), "--plugin-dir", plugin_dir("good"),
                "--plugin-dir", plugin_dir("wrong_major"), "plugins", "list"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.out, HasSubstr("echo"));
  EXPECT_THAT(r.err, AllOf(HasSubstr("wrong_major"), HasSubstr("ABI 2.0")));
}

TEST_F(CliTest, PluginDirsFromConfigAreRelativeToTheConfigFile) {
  std::filesystem::create_directories(dir_ / "conf");
  auto rel = std::filesystem::relative(plugin_dir("good"), dir_ / "conf");
  auto file = write("conf/cardsync.json", R"({"plugin_dirs": [")" + rel.string() + R"("]})");
  auto r = run({"--config", file.string(), "plugins", "list"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("echo"));
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  auto r = run({"frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'frobnicate'"));
}

}  // namespace
}  // namespace cardsync::cli::testing
