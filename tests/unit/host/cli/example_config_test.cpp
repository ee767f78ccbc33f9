// config/cardsync.example.json must stay a complete, valid picture of the options, and
// docs/configuration.md must be what `cardsync config docs` generates today.
#include <gmock/gmock.h>

#include <fstream>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/host_sections.hpp"
#include "cli_fixture.hpp"
#include "config/config_parser.hpp"
#include "config/schema_set.hpp"

#include <rapidjson/pointer.h>

namespace cardsync::cli::testing {
namespace {

const std::filesystem::path kSource = CARDSYNC_SOURCE_DIR;

// Every JSON Pointer of a scalar or empty container under `v`.
void leaf_paths(const rapidjson::Value& v, const std::string& at, std::vector<std::string>& out) {
  if (v.IsObject() && v.MemberCount() > 0) {
    for (const auto& m : v.GetObject()) {
      leaf_paths(m.value, at + "/" + m.name.GetString(), out);
    }
  } else {
    out.push_back(at);
  }
}

TEST_F(CliTest, ExampleConfigIsValid) {
  env_["JUSTTCG_API_KEY"] = "tcg_example";
  env_["PSA_TOKEN"] = "psa_example";
  auto r =
      run({"--config", (kSource / "config/cardsync.example.json").string(), "config", "check"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
}

TEST_F(CliTest, ExampleConfigShowsEveryHostOptionWithItsDefault) {
  config::SchemaSet schemas;
  add_host_sections(schemas);
  rapidjson::Document defaults;
  defaults.SetObject();
  schemas.apply_defaults(defaults);

  auto parsed = config::parse_file(kSource / "config/cardsync.example.json",
                                   [](auto) { return std::optional<std::string>{}; });
  ASSERT_TRUE(std::holds_alternative<config::ParsedConfig>(parsed));
  const auto& example = std::get<config::ParsedConfig>(parsed).doc;

  std::vector<std::string> paths;
  leaf_paths(defaults, "", paths);
  ASSERT_FALSE(paths.empty());
  for (const auto& p : paths) {
    // Plugin maps: the example fills them with the shipped plugins instead of leaving {}.
    if (p == "/providers" || p == "/storage") continue;
    const auto* want = rapidjson::Pointer(p.c_str()).Get(defaults);
    const auto* have = rapidjson::Pointer(p.c_str()).Get(example);
    ASSERT_NE(have, nullptr) << "config/cardsync.example.json lacks " << p;
    EXPECT_TRUE(*want == *have) << p << " differs from its default";
  }
}

TEST_F(CliTest, ConfigurationDocIsUpToDate) {
  env_["JUSTTCG_API_KEY"] = "tcg_example";
  env_["PSA_TOKEN"] = "psa_example";
  auto r = run({"--config", (kSource / "config/cardsync.example.json").string(), "config", "docs"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::ifstream in(kSource / "docs/configuration.md");
  std::stringstream checked_in;
  checked_in << in.rdbuf();
  EXPECT_EQ(checked_in.str(), r.out)
      << "docs/configuration.md is stale: regenerate it with\n  JUSTTCG_API_KEY=x PSA_TOKEN=x "
         "build/release/bin/cardsync --config config/cardsync.example.json config docs > "
         "docs/configuration.md";
}

}  // namespace
}  // namespace cardsync::cli::testing
