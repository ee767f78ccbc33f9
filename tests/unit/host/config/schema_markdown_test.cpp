#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/schema_set.hpp"
#include "test_schemas.hpp"

namespace cardsync::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RenderMarkdown, ListsEveryKeyWithTypeDefaultAndDescription) {
  const std::string md = fixtures::full_schema_set().render_markdown();
  EXPECT_THAT(md, HasSubstr("## `plugin_dirs`\n"));
  EXPECT_THAT(md, HasSubstr("| Key | Type | Default | Description |\n| --- | --- | --- | --- |\n"));
  EXPECT_THAT(md, HasSubstr("| `plugin_dirs` | array of string | `[]` | Directories searched"));
  EXPECT_THAT(md, HasSubstr("## `log`\n\nLogging.\n\n"));
  EXPECT_THAT(md, HasSubstr("| `log.level` | one of `\"debug\"`, `\"info\"`, `\"warn\"`, "
                            "`\"error\"` | `\"info\"` | Lowest level written. |\n"));
  EXPECT_THAT(md, HasSubstr("### `providers.justtcg`\n\nJustTCG catalog and prices.\n\n"));
  EXPECT_THAT(md, HasSubstr("| `providers.justtcg.api_key` | string | required | API key. |\n"));
  EXPECT_THAT(md, HasSubstr("| `providers.justtcg.requests_per_minute` | integer, >= 1, <= 600 | "
                            "`30` | Pacing. |\n"));
  EXPECT_THAT(md, HasSubstr("| `providers.justtcg.games` | array of string | `[\"pokemon\"]` |"));
  EXPECT_THAT(md, HasSubstr("| `storage.sqlite.busy_timeout_ms` | integer, >= 0 | `5000` |"));
  EXPECT_THAT(md, HasSubstr("| `storage` | object, at most 1 key(s) | `{}` |"));
}

TEST(RenderMarkdown, HostKeysAreDocumentedOnceForAllProviders) {
  const std::string md = fixtures::full_schema_set().render_markdown();
  // No default column: an override falls back to the host-wide section.
  EXPECT_THAT(md, HasSubstr("| `providers.<provider>.resilience.max_attempts` | integer, >= 1 | "
                            " | Attempts per job. |\n"));
  EXPECT_THAT(md, HasSubstr("| `providers.<provider>.resilience.breaker.failure_threshold` |"));
  EXPECT_THAT(md, Not(HasSubstr("providers.justtcg.resilience")));
  EXPECT_THAT(md, Not(HasSubstr("providers.psa.resilience")));
}

TEST(RenderMarkdown, PipesInDescriptionsDoNotBreakTheTable) {
  SchemaSet set;
  set.add_section("x", R"({"type": "object", "properties": {
    "mode": {"type": "string", "description": "a | b\nor c", "default": "a|b"}}})");
  EXPECT_THAT(set.render_markdown(),
              HasSubstr("| `x.mode` | string | `\"a\\|b\"` | a \\| b or c |\n"));
}

TEST(RenderMarkdown, PluginWithoutOptionsSaysSo) {
  SchemaSet set;
  set.add_plugin("storage", "memory", "");
  EXPECT_THAT(set.render_markdown(),
              HasSubstr("### `storage.memory`\n\nThis plugin takes no options of its own.\n"));
}

}  // namespace
}  // namespace cardsync::config
