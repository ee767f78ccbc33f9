// Provider instances and their documents from the command line: `manifest check` reports
// every problem of a manifest with file, line, JSON pointer and a suggestion, and exits 2;
// a config may run one plugin under several names (`"plugin": ...`), each instance's
// manifest checked and its declared options validated and redacted like any other key.
#include <gmock/gmock.h>

#include "cli/exit_codes.hpp"
#include "cli_fixture.hpp"

namespace cardsync::cli::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class ManifestCommand : public CliTest {
 protected:
  CliResult cardsync(std::vector<std::string> args) {
    const auto config = dir_ / "cardsync.json";
    if (!std::filesystem::exists(config)) write("cardsync.json", "{}");
    args.insert(args.begin(), {"--config", config.string(), "--plugin-dir", plugin_dir("good"),
                               "--plugin-dir", plugin_dir("recipe")});
    // The rest plugin reads manifests too: these cases are the recipe plugin's.
    if (args[6] == "manifest") args.insert(args.end(), {"--plugin", "recipe"});
    return run(args);
  }
};

TEST_F(ManifestCommand, AGoodManifestPassesAndNamesTheOptionsItReads) {
  write("soups.json", R"({
    // two streams, the second fed by the first
    "streams": ["soups", "stews"],
    "follow": {"soups": "stews"},
    "options": {"api_key": {"type": "string"}},
  })");
  auto r = cardsync({"manifest", "check", (dir_ / "soups.json").string()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("soups.json: valid manifest for the recipe plugin"),
                           HasSubstr("api_key")));
}

TEST_F(ManifestCommand, EveryProblemAtOnceWithLinePointerAndSuggestion) {
  const auto file = write("bad.json",
                          "{\n"
                          "  \"streams\": [\"soups\", \"stews\"],\n"
                          "  \"styel\": \"plain\",\n"
                          "  \"options\": 5\n"
                          "}\n");
  auto r = cardsync({"manifest", "check", file.string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr(file.string() + ":3: /styel: unknown key"));
  EXPECT_THAT(r.err, HasSubstr("did you mean \"style\"?"));
  EXPECT_THAT(r.err, AllOf(HasSubstr(file.string() + ":4: /options: expected"),
                           HasSubstr("found integer 5")));
}

TEST_F(ManifestCommand, AMistypedValueFromAClosedSetGetsASuggestion) {
  const auto file = write("bad.json", "{\"streams\": [\"soups\"],\n \"style\": \"fancey\"}");
  auto r = cardsync({"manifest", "check", file.string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr(file.string() + ":2: /style"), HasSubstr("did you mean \"fancy\"?")));
}

TEST_F(ManifestCommand, ThePluginsOwnChecksCarryLinesAndSuggestionsToo) {
  const auto file = write("bad.json",
                          "{\n"
                          "  \"streams\": [\"soups\", \"stews\"],\n"
                          "  \"follow\": {\n"
                          "    \"soups\": \"stwes\"\n"
                          "  }\n"
                          "}\n");
  auto r = cardsync({"manifest", "check", file.string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr(file.string() + ":4: /follow/soups: no stream named"),
                           HasSubstr("did you mean \"stews\"?")));
}

TEST_F(ManifestCommand, UnreadableAndMalformedFilesAreNamed) {
  auto missing = cardsync({"manifest", "check", (dir_ / "nope.json").string()});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("nope.json: cannot read manifest file"));
  const auto file = write("broken.json", "{\n  \"streams\": [\"a\"\n}\n");
  auto broken = cardsync({"manifest", "check", file.string()});
  EXPECT_EQ(broken.code, kExitUsage);
  EXPECT_THAT(broken.err, AllOf(HasSubstr("broken.json"), HasSubstr("line 3")));
}

class ProviderInstances : public ManifestCommand {
 protected:
  void SetUp() override {
    ManifestCommand::SetUp();
    std::filesystem::create_directories(dir_ / "manifests");
    write("manifests/kitchen.json",
          R"({"streams": ["soups"], "options": {"api_key": {"type": "string"},
              "portions": {"type": "integer", "minimum": 1, "default": 2}}})");
    write("manifests/garden.json", R"({"streams": ["herbs"]})");
  }
};

TEST_F(ProviderInstances, TwoInstancesOfOnePluginPassWithTheirOwnOptions) {
  env_["KITCHEN_KEY"] = "s3cret-kitchen";
  write("cardsync.json", R"({"providers": {
    "kitchen": {"plugin": "recipe", "manifest": "manifests/kitchen.json",
                "api_key": "${KITCHEN_KEY}"},
    "garden": {"plugin": "recipe", "manifest": "manifests/garden.json"}}})");
  auto r = cardsync({"config", "check"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  auto shown = cardsync({"config", "show"});
  EXPECT_EQ(shown.code, kExitOk) << shown.err;
  EXPECT_THAT(shown.out, AllOf(Not(HasSubstr("s3cret-kitchen")), HasSubstr("\"portions\": 2")));
}

TEST_F(ProviderInstances, AnOptionTheManifestDoesNotDeclareIsAnError) {
  write("cardsync.json", R"({"providers": {
    "kitchen": {"plugin": "recipe", "manifest": "manifests/kitchen.json", "portons": 3}}})");
  auto r = cardsync({"config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/providers/kitchen/portons"),
                           HasSubstr("did you mean \"portions\"?")));
}

TEST_F(ProviderInstances, AnUnknownPluginNameGetsASuggestion) {
  write("cardsync.json", R"({"providers": {"kitchen": {"plugin": "recipie"}}})");
  auto r = cardsync({"config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("/providers/kitchen/plugin"), HasSubstr("did you mean \"recipe\"?")));
}

TEST_F(ProviderInstances, AManifestsProblemsStopTheConfigWithTheManifestsLine) {
  write("manifests/garden.json", "{\n  \"streams\": [\"herbs\"],\n  \"stlye\": \"plain\"\n}");
  write("cardsync.json", R"({"providers": {
    "garden": {"plugin": "recipe", "manifest": "manifests/garden.json"}}})");
  auto r = cardsync({"config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("manifests/garden.json:3: /stlye: unknown key"));
}

TEST_F(ProviderInstances, ManifestPathsAreRelativeToTheConfigFile) {
  std::filesystem::create_directories(dir_ / "etc");
  const auto config = write("etc/shop.json", R"({"providers": {
    "garden": {"plugin": "recipe", "manifest": "../manifests/garden.json"}}})");
  auto r = run({"--config", config.string(), "--plugin-dir", plugin_dir("good"), "--plugin-dir",
                plugin_dir("recipe"), "config", "check"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

TEST_F(ProviderInstances, ASectionWithoutItsManifestSaysWhatIsMissing) {
  write("cardsync.json", R"({"providers": {"garden": {"plugin": "recipe"}}})");
  auto r = cardsync({"config", "check"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("/providers/garden"), HasSubstr("\"manifest\"")));
}

// The same through the rest plugin (built beside the binary): each kind of mistake a
// manifest author makes names the file, the line, the JSON pointer and what was meant.
class RestManifestMistakes : public CliTest {
 protected:
  static std::string manifest(const std::string& page_size_template, const std::string& items,
                              const std::string& transform, const std::string& items_key) {
    return "{\n"
           "  \"name\": \"Tiny\",\n"
           "  \"base_url\": \"https://api.example.com\",\n"
           "  \"config\": {\"page_size\": {\"type\": \"integer\", \"default\": 50, "
           "\"description\": \"n\"}},\n"
           "  \"plan\": [{\"stream\": \"sets\"}],\n"
           "  \"streams\": [{\n"
           "    \"name\": \"sets\",\n"
           "    \"request\": {\"path\": \"/sets\", \"query\": {\"n\": \"" +
           page_size_template +
           "\"}},\n"
           "    \"" +
           items_key + "\": \"" + items +
           "\",\n"
           "    \"records\": [{\"kind\": \"set\", \"key\": \"{item.id}\", \"parent\": \"g\",\n"
           "      \"fields\": {\"name\": {\"pointer\": \"/name\"},\n"
           "                 \"cards_count\": {\"pointer\": \"/n\", \"transform\": \"" +
           transform +
           "\"}}}]\n"
           "  }]\n"
           "}\n";
  }
  CliResult check(const std::string& text) {
    const auto file = write("tiny.json", text);
    return run({"manifest", "check", file.string()});
  }
  std::string file() const { return (dir_ / "tiny.json").string(); }
};

TEST_F(RestManifestMistakes, AGoodOnePasses) {
  auto r = check(manifest("{config.page_size}", "/data", "int", "items"));
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

TEST_F(RestManifestMistakes, AnUnknownKey) {
  auto r = check(manifest("{config.page_size}", "/data", "int", "itmes"));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr(file() + ":9: /streams/0/itmes: unknown key"),
                           HasSubstr("did you mean \"items\"?")));
}

TEST_F(RestManifestMistakes, AWrongType) {
  std::string text = manifest("{config.page_size}", "/data", "int", "items");
  const std::string plan = R"("plan": [{"stream": "sets"}])";
  text.replace(text.find(plan), plan.size(), R"("plan": "sets")");
  auto r = check(text);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr(file() + ":5: /plan: expected array"), HasSubstr("found string")));
}

TEST_F(RestManifestMistakes, AnUnknownTransform) {
  auto r = check(manifest("{config.page_size}", "/data", "cent", "items"));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr(file() + ":12: /streams/0/records/0/fields/cards_count/transform"),
                    HasSubstr("did you mean \"cents\"?")));
}

TEST_F(RestManifestMistakes, ABadJsonPointer) {
  auto r = check(manifest("{config.page_size}", "data", "int", "items"));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr(file() + ":9: /streams/0/items"));
}

TEST_F(RestManifestMistakes, ATemplateNamingAnUndeclaredOption) {
  auto r = check(manifest("{config.page_sise}", "/data", "int", "items"));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr(file() + ":8: /streams/0/request/query/n"),
                           HasSubstr("did you mean \"page_size\"?")));
}

}  // namespace
}  // namespace cardsync::cli::testing
