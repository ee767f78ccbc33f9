// Paths inside a config are relative to the config file's directory, whatever directory the
// process starts in; a file the config names that cannot be read is reported before any work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/schema_set.hpp"
#include "fake_env.hpp"

namespace cardsync::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr std::string_view kStore = R"({
  "properties": {
    "path": {"type": "string", "format": "path", "default": "cardsync.db"},
    "ca": {"type": "string", "format": "file"},
    "key": {"type": "string", "format": "file", "default": ""},
    "label": {"type": "string", "default": "plain.txt"}
  }
})";

class SchemaPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cardsync-paths-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    set_.add_plugin("storage", "store", kStore);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Parses, resolves and resolves paths against dir_; returns the path problems.
  std::vector<std::string> load(std::string_view text) {
    auto parsed = parse_text(text, "cardsync.json", fixtures::fake_env());
    config_ = std::move(std::get<ParsedConfig>(parsed));
    EXPECT_TRUE(set_.resolve(config_).empty());
    std::vector<std::string> out;
    for (const auto& d : set_.resolve_paths(config_, dir_)) out.push_back(d.to_string());
    return out;
  }
  std::string store(const char* key) const {
    return config_.doc["storage"]["store"][key].GetString();
  }

  std::filesystem::path dir_;
  SchemaSet set_;
  ParsedConfig config_;
};

TEST_F(SchemaPaths, RelativePathsAndDefaultsAreRelativeToTheConfigFile) {
  EXPECT_TRUE(load(R"({"storage": {"store": {}}})").empty());
  EXPECT_EQ(store("path"), (dir_ / "cardsync.db").string());
  EXPECT_TRUE(load(R"({"storage": {"store": {"path": "../data/./cards.db"}}})").empty());
  EXPECT_EQ(store("path"), (dir_.parent_path() / "data" / "cards.db").string());
}

TEST_F(SchemaPaths, AbsolutePathsAndOtherStringsAreLeftAlone) {
  EXPECT_TRUE(load(R"({"storage": {"store": {"path": "/var/lib/cardsync/cardsync.db"}}})").empty());
  EXPECT_EQ(store("path"), "/var/lib/cardsync/cardsync.db");
  EXPECT_EQ(store("label"), "plain.txt");
  EXPECT_EQ(store("key"), "");  // unset: nothing to read
}

TEST_F(SchemaPaths, PluginDirsAreRelativeToTheConfigFile) {
  EXPECT_TRUE(load(R"({"plugin_dirs": ["plugins", "/opt/cardsync/lib"]})").empty());
  EXPECT_EQ(std::string(config_.doc["plugin_dirs"][0].GetString()), (dir_ / "plugins").string());
  EXPECT_EQ(std::string(config_.doc["plugin_dirs"][1].GetString()), "/opt/cardsync/lib");
}

TEST_F(SchemaPaths, AFileThatExistsBesideTheConfigPasses) {
  std::ofstream(dir_ / "ca.pem") << "-----BEGIN CERTIFICATE-----\n";
  EXPECT_TRUE(load(R"({"storage": {"store": {"ca": "ca.pem"}}})").empty());
  EXPECT_EQ(store("ca"), (dir_ / "ca.pem").string());
}

TEST_F(SchemaPaths, AMissingFileIsReportedWithItsKeyAndResolvedPath) {
  auto problems = load(R"({"storage": {"store": {"ca": "certs/ca.pem"}}})");
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_THAT(problems[0], AllOf(HasSubstr("cardsync.json"), HasSubstr("/storage/store/ca"),
                                 HasSubstr((dir_ / "certs" / "ca.pem").string())));
}

TEST_F(SchemaPaths, ADirectoryIsNotAFile) {
  std::filesystem::create_directories(dir_ / "ca.pem");
  EXPECT_EQ(load(R"({"storage": {"store": {"ca": "ca.pem"}}})").size(), 1U);
}

}  // namespace
}  // namespace cardsync::config
