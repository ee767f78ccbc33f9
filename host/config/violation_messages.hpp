#pragma once
// The wording of config diagnostics: what a failed schema keyword or an unknown key means to
// the person editing the file. Values under secret-named keys are never printed.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

namespace cardsync::config {

class ViolationMessages {
 public:
  // Schema node -> the noun its entries are ("provider"), for the nodes whose keys name
  // plugins: there an unknown key is an unloaded plugin, not a typo in a setting. The map must
  // outlive this object.
  using PluginContainers = std::unordered_map<const rapidjson::Value*, std::string>;
  explicit ViolationMessages(const PluginContainers& plugin_containers)
      : plugin_containers_(&plugin_containers) {}

  // RapidJSON found that `value`, at `path`, fails `keyword` of `schema` (the schema object
  // holding the keyword) while validating against the walked schema node `node`. Usually one
  // message; "required" and "dependencies" give one per missing key, possibly none.
  std::vector<std::string> keyword_failed(std::string_view keyword, const rapidjson::Value& schema,
                                          const rapidjson::Value& node,
                                          const rapidjson::Value& value,
                                          const std::string& path) const;

  // `key` is not allowed by `node`; suggests the closest allowed key or loaded plugin.
  std::string unknown_key(const rapidjson::Value& node, std::string_view key) const;

  static std::string missing_key(std::string_view key);

  // The suffix naming the ${...} text a value at `path` came from, so the user can see which
  // environment variable to fix; empty when the path is secret.
  static std::string substitution_source(const std::string& path, std::string_view source);

 private:
  const PluginContainers* plugin_containers_;
};

}  // namespace cardsync::config
