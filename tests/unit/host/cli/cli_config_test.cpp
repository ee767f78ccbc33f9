// `cardsync config check|show`: every kind of config mistake gives its own message naming
// file, JSON path, expectation and finding, and exit code 2 before any work.
#include <gmock/gmock.h>

#include "cli/exit_codes.hpp"
#include "cli_fixture.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class ConfigCommand : public CliTest {
 protected:
  CliResult check(const std::string& text) {
    auto file = write("cardsync.json", text);
    return run({"--config", file.string(), "--plugin-dir", plugin_dir("good"), "config", "check"});
  }
};

TEST_F(ConfigCommand, GoodConfigPasses) {
  auto r = check(R"({"log": {"level": "debug"}, "providers": {"echo": {"channel": "c"}}})");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("config OK"));
}

TEST_F(ConfigCommand, CommentsAndTrailingCommasAreAccepted) {
  auto r = check("// shop config\n{\n  /* quiet */ \"log\": {\"level\": \"warn\",},\n}\n");
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

TEST_F(ConfigCommand, MissingFileNamesIt) {
  auto r = run({"--config", (dir_ / "nope.json").string(), "config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr((dir_ / "nope.json").string()));
  EXPECT_THAT(r.err, HasSubstr("nothing was done"));
}

TEST_F(ConfigCommand, MalformedJsonGivesLineAndColumn) {
  auto r = check("{\n  \"log\": {\n    \"level\": \"info\"\n  \n  \"x\": 1\n}\n");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("cardsync.json"), HasSubstr("line 5"), HasSubstr("column")));
}

TEST_F(ConfigCommand, WrongTypeSaysExpectedAndFound) {
  auto r = check(R"({"log": {"level": 5}})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("cardsync.json"), HasSubstr("/log/level"),
                           HasSubstr("expected"), HasSubstr("5")));
}

TEST_F(ConfigCommand, MissingRequiredKeyIsNamed) {
  auto r = check(R"({"providers": {"echo": {"prefix": "p"}}})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/providers/echo"), HasSubstr("channel")));
}

TEST_F(ConfigCommand, UnknownKeySuggestsTheClosestOne) {
  auto r = check(R"({"log": {"levle": "info"}})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("/log/levle"), HasSubstr("did you mean"), HasSubstr("\"level\"")));
}

TEST_F(ConfigCommand, UnsetVariableWithoutDefaultIsNamed) {
  auto r = check(R"({"providers": {"echo": {"channel": "${ECHO_CHANNEL}"}}})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("ECHO_CHANNEL"), HasSubstr("/providers/echo/channel")));
}

TEST_F(ConfigCommand, VariablesAndDefaultsAreSubstituted) {
  env_["ECHO_CHANNEL"] = "from-env";
  auto file = write("cardsync.json",
                    R"({"providers": {"echo": {"channel": "${ECHO_CHANNEL}",
                                                "prefix": "${ECHO_PREFIX:-dflt}"}}})");
  auto r = run({"--config", file.string(), "--plugin-dir", plugin_dir("good"), "config", "show"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("from-env"), HasSubstr("dflt")));
}

TEST_F(ConfigCommand, PluginSectionIsValidatedAgainstThePluginsSchema) {
  auto r = check(R"({"providers": {"echo": {"channel": "c", "limit": 500}}})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/providers/echo/limit"), HasSubstr("100"), HasSubstr("500")));
}

TEST_F(ConfigCommand, UnknownPluginSectionNamesTheLoadedOnes) {
  auto r = check(R"({"providers": {"ecko": {"channel": "c"}}})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/providers/ecko"), HasSubstr("echo")));
}

TEST_F(ConfigCommand, SeveralErrorsAreAllReported) {
  auto r = check(R"({"log": {"level": "loud", "fromat": "json"},
                     "providers": {"echo": {"limit": "many"}},
                     "plugin_dirz": []})");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/log/level"), HasSubstr("/log/fromat"),
                           HasSubstr("/providers/echo/limit"), HasSubstr("channel"),
                           HasSubstr("/plugin_dirz")));
  EXPECT_THAT(r.err, HasSubstr("5 problems found"));
}

TEST_F(ConfigCommand, ShowNeverPrintsASecret) {
  env_["ECHO_KEY"] = "tcg_live_5ecret";
  auto file = write("cardsync.json", R"({"providers": {"echo": {
      "channel": "c", "api_key": "${ECHO_KEY}",
      "url": "postgres://shop:hunter2@db.local/cards"}}})");
  auto r = run({"--config", file.string(), "--plugin-dir", plugin_dir("good"), "config", "show"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, AllOf(Not(HasSubstr("tcg_live_5ecret")), Not(HasSubstr("hunter2"))));
  EXPECT_THAT(r.out, AllOf(HasSubstr("\"api_key\""), HasSubstr("shop:***@db.local"),
                           HasSubstr("\"channel\": \"c\"")));
}

TEST_F(ConfigCommand, ShowFillsDefaults) {
  auto r = run({"--config", write("c.json", "{}").string(), "config", "show"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("\"level\": \"info\""), HasSubstr("\"format\"")));
}

TEST_F(ConfigCommand, ConfigFromEnvironmentVariable) {
  env_["CARDSYNC_CONFIG"] = write("env.json", R"({"log": {"level": "nope"}})").string();
  auto r = run({"config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("env.json"));
}

TEST_F(ConfigCommand, ShowAndCheckSayWhichFileAndWhy) {
  env_["CARDSYNC_CONFIG"] = write("env.json", "{}").string();
  auto shown = run({"config", "show"});
  EXPECT_EQ(shown.code, kExitOk) << shown.err;
  EXPECT_THAT(shown.err, HasSubstr("config: " + (dir_ / "env.json").string() +
                                   " (given by $CARDSYNC_CONFIG)"));
  auto checked = run({"config", "check"});
  EXPECT_THAT(checked.out, HasSubstr("given by $CARDSYNC_CONFIG"));
}

TEST_F(ConfigCommand, TheDefaultDatabaseLivesBesideTheConfigFile) {
  std::filesystem::create_directories(dir_ / "etc");
  auto file = write("etc/cardsync.json",
                    R"({"plugin_dirs": [")" + std::string(CARDSYNC_PLUGIN_DIR) + R"("]})");
  auto r = run({"--config", file.string(), "config", "show"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"path\": \"" + (dir_ / "etc" / "cardsync.db").string() + "\""));
}

TEST_F(ConfigCommand, AMissingCaFileIsReportedByCheck) {
  auto file = write("pg.json", R"({"plugin_dirs": [")" + std::string(CARDSYNC_PLUGIN_DIR) +
                                   R"("], "storage": {"postgres": {"url": "postgresql://db/cards",
                                   "sslmode": "verify-full", "sslrootcert": "root.crt"}}})");
  auto r = run({"--config", file.string(), "config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/storage/postgres/sslrootcert"),
                           HasSubstr((dir_ / "root.crt").string())));
}

TEST_F(ConfigCommand, AnUnusableStorageIsNamedOnce) {
  auto file = write("c.json", R"({"plugin_dirs": [")" + std::string(CARDSYNC_PLUGIN_DIR) +
                                  R"("], "storage": {"sqlite": {"path": "no/such/dir/x.db"}}})");
  auto r = run({"--config", file.string(), "queue", "stats"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr((dir_ / "no/such/dir/x.db").string()),
                           HasSubstr("storage.sqlite.path")));
  const auto first = r.err.find("'sqlite'");
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("'sqlite'", first + 1), std::string::npos) << r.err;
}

TEST_F(ConfigCommand, BadLogLevelFlagIsAUsageError) {
  auto r =
      run({"--config", write("c.json", "{}").string(), "--log-level", "chatty", "config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("chatty"));
}

// --connect goes past the file: the storage opens, and a provider whose upstream does not
// answer is named with the reason, exit 1.
TEST_F(CliTest, ConfigCheckConnectNamesAProviderItCannotReach) {
  auto file = write("c.json", R"({
    "providers": {"justtcg": {"base_url": "http://127.0.0.1:1/v1", "api_key": "tcg_x",
                              "resilience": {"retry": {"max_retries": 0}}}},
    "storage": {"sqlite": {"path": ")" +
                                  (dir_ / "c.db").string() + R"("}},
    "log": {"level": "error"}})");
  auto r = run({"--config", file.string(), "config", "check", "--connect"});
  EXPECT_EQ(r.code, kExitWorkFailed) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("storage sqlite: ok"));
  EXPECT_THAT(r.out, HasSubstr("provider justtcg: FAILED (GET http://127.0.0.1:1/v1/games"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "c.db"));
  auto plain = run({"--config", file.string(), "config", "check"});
  EXPECT_EQ(plain.code, kExitOk) << plain.err;
  EXPECT_THAT(plain.out, Not(HasSubstr("provider justtcg")));
}

}  // namespace
}  // namespace cardsync::cli::testing
