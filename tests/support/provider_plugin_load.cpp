#include "support/provider_plugin_load.hpp"

#include <gmock/gmock.h>
#include <rapidjson/document.h>

#include <cardsync/sdk.hpp>

#include <utility>

#include "config/schema_set.hpp"
#include "plugin/plugin_instance.hpp"
#include "support/recording_emitter.hpp"

namespace cardsync::test {

ProviderPluginLoad::ProviderPluginLoad(const std::filesystem::path& plugin)
    : registry_(std::make_shared<plugin::HostServices>(plugin::HostServices::LogFn{})),
      lib_(registry_.load_file(plugin)) {}

void ProviderPluginLoad::expect_provider(const std::string& name,
                                         const std::vector<std::string>& job_types,
                                         const std::vector<std::string>& item_kinds) const {
  EXPECT_EQ(lib_->kind(), plugin::Kind::provider);
  EXPECT_EQ(lib_->name(), name);
  EXPECT_EQ(registry_.find(plugin::Kind::provider, name), lib_);
  ASSERT_NE(lib_->provider(), nullptr);
  EXPECT_EQ(std::string(lib_->provider()->service), name);
  std::vector<std::string> types;
  for (const char* const* t = lib_->provider()->job_types; *t != nullptr; ++t) {
    types.emplace_back(*t);
  }
  EXPECT_EQ(types, job_types);

  rapidjson::Document schema;
  schema.Parse(lib_->config_schema().data(), lib_->config_schema().size());
  EXPECT_FALSE(schema.HasParseError()) << "config schema";
  rapidjson::Document items;
  items.Parse(lib_->provider()->item_schemas);
  ASSERT_FALSE(items.HasParseError()) << "item schemas";
  for (const auto& kind : item_kinds) {
    EXPECT_TRUE(items.HasMember(kind.c_str())) << kind;
  }
}

ProviderPluginLoad::Resolved ProviderPluginLoad::resolve(const std::string& section_json) const {
  const std::string name(lib_->name());
  auto parsed = config::parse_text(R"({"providers":{")" + name + R"(":)" + section_json + "}}",
                                   "cardsync.json",
                                   [](std::string_view) { return std::optional<std::string>{}; });
  Resolved out{std::move(std::get<config::ParsedConfig>(parsed)), {}};
  config::SchemaSet schemas;
  schemas.add_plugin("providers", name, lib_->config_schema());
  out.problems = schemas.resolve(out.config);
  return out;
}

std::vector<std::string> ProviderPluginLoad::start_urls(const std::string& instance_config,
                                                        const std::string& type,
                                                        const std::string& key) const {
  auto instance = plugin::Instance::create(lib_, instance_config);
  RecordingEmitter out;
  cs_job job{sizeof(cs_job), 1, sdk::str(type), sdk::str(key), {}, {}, {}, 1};
  EXPECT_EQ(lib_->provider()->start(instance->handle(), &job, out.c_api(), out.c_emit(), nullptr),
            CS_OK);
  std::vector<std::string> urls;
  for (const auto& r : out.emitted().requests) urls.push_back(r.url);
  return urls;
}

std::optional<std::string> ProviderPluginLoad::refusal(const std::string& instance_config) const {
  try {
    plugin::Instance::create(lib_, instance_config);
  } catch (const plugin::PluginError& e) {
    return e.what();
  }
  return std::nullopt;
}

}  // namespace cardsync::test
