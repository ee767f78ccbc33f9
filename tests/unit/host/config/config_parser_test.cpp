#include "config/config_parser.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "fake_env.hpp"

namespace cardsync::config {
namespace {

using fixtures::fake_env;

// Fatal diagnostics, or the non-fatal problems carried by a parsed config.
std::vector<Diagnostic> errors_of(ParseResult result) {
  if (auto* errors = std::get_if<std::vector<Diagnostic>>(&result)) return *errors;
  return std::get<ParsedConfig>(result).problems;
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cardsync-config-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

using ParseFile = TempDir;

TEST_F(ParseFile, MissingFileSaysSo) {
  const auto path = dir_ / "cardsync.json";
  const auto errors = errors_of(parse_file(path, fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].to_string(),
            path.string() + ": cannot read config file: No such file or directory");
}

TEST_F(ParseFile, DirectoryIsNotAConfigFile) {
  const auto errors = errors_of(parse_file(dir_, fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].message, "cannot read config file: it is a directory, not a JSON file");
}

TEST_F(ParseFile, ReadsAndSubstitutesARealFile) {
  const auto path = write("c.json", R"({"storage": {"sqlite": {"path": "${DB:-x.db}"}}})");
  auto result = parse_file(path, fake_env({{"DB", "/var/lib/cards.db"}}));
  auto* parsed = std::get_if<ParsedConfig>(&result);
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(parsed->file, path.string());
  EXPECT_STREQ(parsed->doc["storage"]["sqlite"]["path"].GetString(), "/var/lib/cards.db");
}

TEST(ParseText, MalformedJsonReportsLineAndColumn) {
  const auto errors =
      errors_of(parse_text("{\n  \"a\": 1\n  \"b\": 2\n}\n", "cardsync.json", fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].to_string(),
            "cardsync.json: invalid JSON at line 3, column 3: Missing a comma or '}' after an "
            "object member.");
}

TEST(ParseText, ColumnsCountCharactersNotBytes) {
  // "é" is two bytes; the stray 'x' is the 10th character on line 1.
  const auto errors = errors_of(parse_text("{\"né\": 1 x}", "c.json", fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_NE(errors[0].message.find("line 1, column 10:"), std::string::npos) << errors[0].message;
}

TEST(ParseText, TruncatedDocumentPointsAtTheEnd) {
  const auto errors = errors_of(parse_text("{\n  \"a\": [1, 2\n", "c.json", fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_NE(errors[0].message.find("line 3, column 1:"), std::string::npos) << errors[0].message;
}

TEST(ParseText, AcceptsCommentsAndTrailingCommas) {
  auto result = parse_text(R"({
    // line comment
    "plugin_dirs": ["/opt/cardsync/plugins", /* block */ ],
    "providers": {"psa": {"daily_quota": 100,},},
  })",
                           "c.json", fake_env());
  auto* parsed = std::get_if<ParsedConfig>(&result);
  ASSERT_NE(parsed, nullptr) << errors_of(std::move(result)).at(0).to_string();
  EXPECT_EQ(parsed->doc["plugin_dirs"].Size(), 1U);
  EXPECT_EQ(parsed->doc["providers"]["psa"]["daily_quota"].GetInt(), 100);
}

TEST(ParseText, AcceptsUtf8ByteOrderMark) {
  auto result = parse_text("\xEF\xBB\xBF{\"a\": 1}", "c.json", fake_env());
  EXPECT_TRUE(std::holds_alternative<ParsedConfig>(result));
}

TEST(ParseText, RejectsInvalidUtf8) {
  const auto errors = errors_of(parse_text("{\"a\": \"\xFF\"}", "c.json", fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_NE(errors[0].message.find("Invalid encoding"), std::string::npos) << errors[0].message;
}

TEST(ParseText, DuplicateKeysAreErrors) {
  const auto errors = errors_of(
      parse_text(R"({"log": {"level": "info", "level": "debug"}})", "c.json", fake_env()));
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].to_string(),
            "c.json: /log/level: duplicate key \"level\" (each key may appear only once in an "
            "object)");
}

TEST(ParseText, ReportsDuplicatesAndEveryUnsetVariableTogether) {
  const auto errors = errors_of(
      parse_text(R"({"a": "${ONE}", "b": {"c": ["${TWO}"]}, "a": 1, "d": "${THREE:-ok}"})",
                 "c.json", fake_env()));
  ASSERT_EQ(errors.size(), 3U);
  EXPECT_EQ(errors[0].path, "/a");
  EXPECT_NE(errors[0].message.find("duplicate key"), std::string::npos);
  EXPECT_EQ(errors[1].path, "/a");
  EXPECT_NE(errors[1].message.find("ONE"), std::string::npos);
  EXPECT_EQ(errors[2].path, "/b/c/0");
  EXPECT_NE(errors[2].message.find("TWO"), std::string::npos);
}

TEST(Diagnostic, ToStringOmitsAnEmptyPath) {
  EXPECT_EQ((Diagnostic{"f.json", "", "bad"}).to_string(), "f.json: bad");
  EXPECT_EQ((Diagnostic{"f.json", "/a/0", "bad"}).to_string(), "f.json: /a/0: bad");
}

}  // namespace
}  // namespace cardsync::config
