#include "config/schema_set.hpp"

#include <map>
#include <mutex>
#include <utility>

#include "config/compiled_schema.hpp"
#include "config/host_root_schema.hpp"
#include "config/schema_markdown.hpp"
#include "config/schema_source.hpp"

namespace cardsync::config {
namespace {

using rapidjson::Value;

// Top-level properties whose entries are plugin sections, and what one entry is called.
const std::map<std::string, std::string>& plugin_containers() {
  static const std::map<std::string, std::string> containers = {{"providers", "provider"},
                                                                {"storage", "storage"}};
  return containers;
}

std::string normalise_kind(const std::string& kind) {
  if (kind == "providers" || kind == "provider") return "providers";
  if (kind == "storage") return "storage";
  throw SchemaError("unknown plugin kind \"" + kind + "\" (expected \"providers\" or \"storage\")");
}

std::string noun(const std::string& kind) {
  return plugin_containers().at(kind);
}

// HasMember + operator[] rather than FindMember: comparing RapidJSON's mutable member
// iterators is ambiguous in C++20 (clang's ambiguous-reversed-operator).
Value* member(Value& node, const char* name) {
  return node.HasMember(name) ? &node[name] : nullptr;
}

}  // namespace

struct SchemaSet::State {
  rapidjson::Document root;
  std::vector<std::pair<std::string, rapidjson::Document>> sections;
  rapidjson::Document host_keys{rapidjson::kObjectType};  // key -> schema, in insertion order
  std::map<std::string, std::map<std::string, rapidjson::Document>> plugins;  // kind -> name
  std::mutex mutex;
  std::shared_ptr<const CompiledSchema> compiled;

  void invalidate() {
    const std::lock_guard lock(mutex);
    compiled.reset();
  }

  bool root_has_property(const std::string& name) const {
    auto props = root.FindMember("properties");
    return props != root.MemberEnd() && props->value.IsObject() &&
           props->value.HasMember(name.c_str());
  }

  rapidjson::Document compose() const {
    rapidjson::Document out;
    auto& alloc = out.GetAllocator();
    out.CopyFrom(root, alloc);
    if (member(out, "properties") == nullptr) {
      out.AddMember("properties", Value(rapidjson::kObjectType), alloc);
    }
    Value& props = *member(out, "properties");
    for (const auto& [name, schema] : sections) {
      props.AddMember(Value(name.c_str(), alloc), Value(schema, alloc), alloc);
    }
    for (const auto& [kind, word] : plugin_containers()) {
      if (member(props, kind.c_str()) == nullptr) {
        Value node(rapidjson::kObjectType);
        node.AddMember("type", "object", alloc);
        props.AddMember(Value(kind.c_str(), alloc), node, alloc);
      }
    }
    for (const auto& [kind, word] : plugin_containers()) {
      Value entries(rapidjson::kObjectType);
      auto found = plugins.find(kind);
      if (found != plugins.end()) {
        for (const auto& [name, schema] : found->second) {
          Value entry(schema, alloc);
          if (kind == "providers" && host_keys.MemberCount() > 0) {
            if (member(entry, "properties") == nullptr) {
              entry.AddMember("properties", Value(rapidjson::kObjectType), alloc);
            }
            Value& entry_props = *member(entry, "properties");
            for (const auto& key : host_keys.GetObject()) {
              entry_props.AddMember(Value(key.name, alloc), Value(key.value, alloc), alloc);
            }
          }
          entries.AddMember(Value(name.c_str(), alloc), entry, alloc);
        }
      }
      Value& node = *member(props, kind.c_str());
      node.RemoveMember("properties");
      node.RemoveMember("additionalProperties");
      node.AddMember("properties", entries, alloc);
      node.AddMember("additionalProperties", false, alloc);
    }
    return out;
  }
};

SchemaSet::SchemaSet() : SchemaSet(host_root_schema()) {}

SchemaSet::SchemaSet(std::string_view root_schema_json) : state_(std::make_unique<State>()) {
  state_->root = load_schema(root_schema_json, "host root config schema");
}

SchemaSet::~SchemaSet() = default;
SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;

void SchemaSet::add_section(std::string name, std::string_view schema_json) {
  const std::string what = "schema of config section \"" + name + "\"";
  if (name.empty()) throw SchemaError("a config section needs a name");
  bool taken = state_->root_has_property(name) || plugin_containers().count(name) != 0;
  for (const auto& section : state_->sections) taken = taken || section.first == name;
  if (taken) throw SchemaError("config section \"" + name + "\" is defined twice");
  rapidjson::Document schema = load_schema(schema_json, what);
  state_->sections.emplace_back(std::move(name), std::move(schema));
  state_->invalidate();
}

namespace {
void strip_defaults(rapidjson::Value& schema) {
  if (schema.IsObject()) {
    schema.RemoveMember("default");
    for (auto& m : schema.GetObject()) {
      const std::string_view keyword = m.name.GetString();
      if ((keyword == "properties" || keyword == "patternProperties") && m.value.IsObject()) {
        // A map of property names to schemas: a property may well be named "default".
        for (auto& p : m.value.GetObject()) strip_defaults(p.value);
      } else {
        strip_defaults(m.value);
      }
    }
  } else if (schema.IsArray()) {
    for (auto& v : schema.GetArray()) strip_defaults(v);
  }
}
}  // namespace

void SchemaSet::add_provider_host_key(const std::string& key, std::string_view schema_json) {
  if (key.empty()) throw SchemaError("a provider host key needs a name");
  if (state_->host_keys.HasMember(key.c_str())) {
    throw SchemaError("provider host key \"" + key + "\" is defined twice");
  }
  for (const auto& [name, schema] : state_->plugins["providers"]) {
    auto props = schema.FindMember("properties");
    if (props != schema.MemberEnd() && props->value.IsObject() &&
        props->value.HasMember(key.c_str())) {
      std::string message = "provider plugin \"" + name + "\" declares the key \"";
      message += key;
      message += "\", which the host owns in every provider section; rename it";
      throw SchemaError(message);
    }
  }
  rapidjson::Document schema =
      load_schema(schema_json, "schema of provider host key \"" + key + "\"");
  // A host key inside a provider section overrides the host-wide section key by key, so its
  // defaults would silently replace the user's host-wide settings: drop them.
  strip_defaults(schema);
  auto& alloc = state_->host_keys.GetAllocator();
  state_->host_keys.AddMember(Value(key.c_str(), alloc), Value(schema, alloc), alloc);
  state_->invalidate();
}

rapidjson::Document SchemaSet::plugin_schema(const std::string& kind, const std::string& name,
                                             std::string_view schema_json) const {
  const std::string what = "config schema of " + noun(kind) + " plugin \"" + name + "\"";
  if (name.empty()) throw SchemaError("a " + noun(kind) + " plugin needs a name");
  rapidjson::Document schema = load_schema(schema_json.empty() ? "{}" : schema_json, what);
  auto& alloc = schema.GetAllocator();
  if (Value* type = member(schema, "type")) {
    if (!(type->IsString() && *type == "object")) {
      throw SchemaError(what +
                        ": a plugin section is a JSON object, so \"type\" must be \"object\"");
    }
  } else {
    schema.AddMember("type", "object", alloc);
  }
  // A plugin taking no options (or forgetting to say) must still reject unknown keys.
  if (!schema.HasMember("additionalProperties") && !schema.HasMember("patternProperties")) {
    schema.AddMember("additionalProperties", false, alloc);
  }
  if (kind == "providers") {
    const Value* props = member(schema, "properties");
    if (props != nullptr && props->IsObject()) {
      for (const auto& key : std::as_const(state_->host_keys).GetObject()) {
        if (props->HasMember(key.name)) {
          throw SchemaError(what + " declares the key \"" + std::string(key.name.GetString()) +
                            "\", which the host owns in every provider section; rename it");
        }
      }
    }
  }
  return schema;
}

void SchemaSet::add_plugin(std::string kind, std::string name, std::string_view schema_json) {
  kind = normalise_kind(kind);
  auto& registered = state_->plugins[kind];
  if (registered.count(name) != 0) {
    throw SchemaError(noun(kind) + " plugin \"" + name + "\" is registered twice");
  }
  rapidjson::Document schema = plugin_schema(kind, name, schema_json);
  registered.emplace(std::move(name), std::move(schema));
  state_->invalidate();
}

void SchemaSet::add_provider_instance(std::string name, std::string_view schema_json) {
  rapidjson::Document schema = plugin_schema("providers", name, schema_json);
  state_->plugins["providers"].insert_or_assign(std::move(name), std::move(schema));
  state_->invalidate();
}

std::shared_ptr<const CompiledSchema> SchemaSet::compiled() const {
  const std::lock_guard lock(state_->mutex);
  if (!state_->compiled) {
    state_->compiled =
        std::make_shared<const CompiledSchema>(state_->compose(), plugin_containers());
  }
  return state_->compiled;
}

void SchemaSet::coerce(ParsedConfig& config) const {
  compiled()->coerce(config.doc, config.substitutions);
}

std::vector<Diagnostic> SchemaSet::validate(const ParsedConfig& config) const {
  return compiled()->validate(config.doc, config.file, config.substitutions);
}

void SchemaSet::apply_defaults(rapidjson::Document& doc) const {
  compiled()->apply_defaults(doc);
}

std::vector<Diagnostic> SchemaSet::resolve(ParsedConfig& config) const {
  const auto schema = compiled();
  schema->coerce(config.doc, config.substitutions);
  auto diagnostics = schema->validate(config.doc, config.file, config.substitutions);
  if (diagnostics.empty()) schema->apply_defaults(config.doc);
  return diagnostics;
}

std::vector<Diagnostic> SchemaSet::resolve_paths(ParsedConfig& config,
                                                 const std::filesystem::path& base) const {
  return compiled()->resolve_paths(config.doc, base, config.file);
}

std::string SchemaSet::render_markdown() const {
  const auto schema = compiled();
  return render_schema_markdown(schema->root(), schema->plugin_containers(), state_->host_keys);
}

}  // namespace cardsync::config
