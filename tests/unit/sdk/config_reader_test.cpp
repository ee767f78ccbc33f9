// sdk::ConfigReader: defaults where the section is silent, and an sdk::Fatal naming the exact
// key when a value cannot work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cardsync/config_reader.hpp>

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace cardsync::sdk {
namespace {

using ::testing::HasSubstr;

rapidjson::Document section(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

enum class Tier { low, high };

TEST(SdkConfigReader, AbsentNullAndEmptyValuesTakeTheDefault) {
  const auto d = section(R"({"name": null, "empty": "", "other": 1})");
  const ConfigReader r(d, "providers.x");
  EXPECT_EQ(r.string("name", "dflt"), "dflt");
  EXPECT_EQ(r.string("empty", "dflt"), "dflt");
  EXPECT_EQ(r.string("missing"), "");
  EXPECT_EQ(r.number("missing", 2.5), 2.5);
  EXPECT_EQ(r.integer("missing"), std::nullopt);
  EXPECT_EQ(r.strings("missing", {"a"}), std::vector<std::string>{"a"});
  EXPECT_EQ(r.one_of("missing", Tier::low, {{"low", Tier::low}, {"high", Tier::high}}), Tier::low);
}

TEST(SdkConfigReader, ReadsWhatIsSet) {
  const auto d = section(R"({"url": "http://127.0.0.1:8080/v1//", "n": 7, "rate": 2.5,
                             "list": ["a", "b"], "tier": "high"})");
  const ConfigReader r(d, "providers.x");
  EXPECT_EQ(r.base_url("url", "https://example.com"), "http://127.0.0.1:8080/v1");
  EXPECT_EQ(r.base_url("missing", "https://example.com/"), "https://example.com");
  EXPECT_EQ(r.integer("n"), 7);
  EXPECT_EQ(r.number("rate", 1), 2.5);
  EXPECT_EQ(r.strings("list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.one_of("tier", Tier::low, {{"low", Tier::low}, {"high", Tier::high}}), Tier::high);
}

std::string refusal(const char* json, const std::function<void(const ConfigReader&)>& read) {
  const auto d = section(json);
  try {
    read(ConfigReader(d, "providers.x"));
  } catch (const Fatal& e) {
    return e.what();
  }
  return "no error";
}

TEST(SdkConfigReader, UnusableValuesAreFatalAndNameTheKey) {
  EXPECT_EQ(refusal(R"({"url": "ftp://x"})", [](auto& r) { r.base_url("url", ""); }),
            "providers.x.url must start with http:// or https://");
  EXPECT_EQ(refusal(R"({"key": 5})", [](auto& r) { r.string("key"); }),
            "providers.x.key must be a string");
  EXPECT_EQ(refusal("{}", [](auto& r) { r.required_string("token", "set it"); }),
            "providers.x.token is not set: set it");
  EXPECT_EQ(refusal(R"({"n": 1.5})", [](auto& r) { r.integer("n"); }),
            "providers.x.n must be an integer");
  EXPECT_EQ(refusal(R"({"list": "a"})", [](auto& r) { r.strings("list"); }),
            "providers.x.list must be a list of strings");
  EXPECT_EQ(refusal(R"({"list": ["a", ""]})", [](auto& r) { r.strings("list"); }),
            "providers.x.list must hold non-empty strings");
  EXPECT_EQ(refusal(R"({"tier": "mid"})",
                    [](auto& r) {
                      r.one_of("tier", Tier::low, {{"low", Tier::low}, {"high", Tier::high}});
                    }),
            "providers.x.tier must be one of low, high, not \"mid\"");
}

}  // namespace
}  // namespace cardsync::sdk
