#include "config/host_root_schema.hpp"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "config/schema_set.hpp"

namespace cardsync::config {
namespace {

TEST(HostRootSchema, IsEmbeddedAndDocumentsEveryKey) {
  rapidjson::Document schema;
  schema.Parse(host_root_schema().data(), host_root_schema().size());
  ASSERT_FALSE(schema.HasParseError());
  ASSERT_TRUE(schema.HasMember("properties"));
  for (const char* key : {"plugin_dirs", "providers", "storage"}) {
    ASSERT_TRUE(schema["properties"].HasMember(key)) << key;
    const auto& property = schema["properties"][key];
    EXPECT_TRUE(property.HasMember("description")) << key;
    EXPECT_TRUE(property.HasMember("default")) << key;
  }
  EXPECT_FALSE(schema["additionalProperties"].GetBool());
}

TEST(HostRootSchema, DefaultSchemaSetUsesIt) {
  const SchemaSet set;
  auto result = parse_text(R"({"plugin_dirs": ["/opt/p"], "providers": {}, "storage": {}})",
                           "c.json", [](std::string_view) { return std::nullopt; });
  EXPECT_TRUE(set.validate(std::get<ParsedConfig>(result)).empty());
}

}  // namespace
}  // namespace cardsync::config
