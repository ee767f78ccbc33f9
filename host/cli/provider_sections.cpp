#include "cli/provider_sections.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <stdexcept>

#include "cli/host_sections.hpp"
#include "config/closest_match.hpp"
#include "config/json_pointer.hpp"
#include "config/schema_error.hpp"
#include "http/url_scope.hpp"
#include "plugin/plugin_instance.hpp"

namespace cardsync::cli {
namespace {

using rapidjson::Value;

const Value* member(const Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string text_of(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

std::vector<std::string> provider_names(const plugin::Registry& plugins) {
  std::vector<std::string> names;
  for (const auto& lib : plugins.all()) {
    if (lib->kind() == plugin::Kind::provider) names.emplace_back(lib->name());
  }
  return names;
}

// The plugin's own schema with the options its document declares merged in: the document
// key stays required, the declared properties and requirements are added.
std::string instance_schema(const plugin::Library& library, const Value& declared) {
  rapidjson::Document schema;
  const std::string_view own = library.config_schema();
  schema.Parse(own.empty() ? "{}" : own.data(), own.empty() ? 2 : own.size());
  if (schema.HasParseError() || !schema.IsObject()) schema.SetObject();
  auto& alloc = schema.GetAllocator();
  if (!schema.HasMember("properties"))
    schema.AddMember("properties", Value(rapidjson::kObjectType), alloc);
  if (!schema.HasMember("required"))
    schema.AddMember("required", Value(rapidjson::kArrayType), alloc);
  Value& props = schema["properties"];
  Value& required = schema["required"];
  const std::string key(library.document_key());
  if (!props.HasMember(key.c_str())) {
    Value node(rapidjson::kObjectType);
    node.AddMember("type", "string", alloc);
    node.AddMember("description",
                   Value(("The " + key + " file, relative to this config file.").c_str(), alloc),
                   alloc);
    props.AddMember(Value(key.c_str(), alloc), node, alloc);
    required.PushBack(Value(key.c_str(), alloc), alloc);
  }
  if (const Value* p = member(declared, "properties"); p != nullptr && p->IsObject()) {
    for (const auto& m : p->GetObject()) {
      if (props.HasMember(m.name)) props.RemoveMember(m.name);
      props.AddMember(Value(m.name, alloc), Value(m.value, alloc), alloc);
    }
  }
  if (const Value* r = member(declared, "required"); r != nullptr && r->IsArray()) {
    for (const auto& name : r->GetArray()) required.PushBack(Value(name, alloc), alloc);
  }
  return text_of(schema);
}

// The convention every provider follows: a string `base_url` in its (effective, so
// defaulted) section is the only place it may send requests to, and the host holds it to
// that. A provider without one keeps sending wherever it asks.
std::optional<UrlScope> url_scope(const std::string& provider, const Value& section) {
  const auto* base_url = member(section, "base_url");
  if (base_url == nullptr || !base_url->IsString()) return std::nullopt;
  try {
    return UrlScope(std::string_view(base_url->GetString(), base_url->GetStringLength()));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("providers." + provider + ".base_url: " + e.what());
  }
}

}  // namespace

std::shared_ptr<plugin::ProviderRuntime> create_provider(const ProviderSection& instance,
                                                         const Value& section) {
  return std::make_shared<plugin::ProviderRuntime>(
      plugin::Instance::create(instance.library, plugin_section_json(instance, section)),
      url_scope(instance.name, section), instance.name);
}

std::shared_ptr<const config::CheckedDocument> check_plugin_document(
    const plugin::Library& library, const std::filesystem::path& path, std::string label) {
  const std::string what(library.document_key());
  return std::make_shared<const config::CheckedDocument>(config::check_document(
      path, std::move(label), what, library.document_schema(),
      [&library](std::string_view json) { return library.inspect_document(json); }));
}

std::vector<ProviderSection> resolve_provider_sections(const config::ParsedConfig& config,
                                                       const std::filesystem::path& config_dir,
                                                       const plugin::Registry& plugins,
                                                       config::SchemaSet& schemas,
                                                       std::vector<std::string>& problems) {
  std::vector<ProviderSection> out;
  const Value* providers = member(config.doc, "providers");
  if (providers == nullptr || !providers->IsObject()) return out;
  for (const auto& entry : providers->GetObject()) {
    ProviderSection section;
    section.name.assign(entry.name.GetString(), entry.name.GetStringLength());
    const std::string pointer = config::append_pointer("/providers", section.name);
    std::string plugin_name = section.name;
    const Value* named = member(entry.value, "plugin");
    if (named != nullptr && named->IsString()) plugin_name = named->GetString();
    section.library = plugins.find(plugin::Kind::provider, plugin_name);
    if (section.library == nullptr) {
      if (named != nullptr && named->IsString()) {
        std::string message = "no provider plugin \"" + plugin_name + "\" is loaded";
        if (auto guess = config::closest_match(plugin_name, provider_names(plugins))) {
          message += "; did you mean \"" + *guess + "\"?";
        }
        problems.push_back(
            config::Diagnostic{config.file, pointer + "/plugin", message}.to_string());
        // Its other keys cannot be checked without the plugin; do not report them as unknown.
        schemas.add_provider_instance(section.name,
                                      R"({"type": "object", "additionalProperties": true})");
      }
      continue;  // a name that is no plugin: validation reports it
    }
    const std::string key(section.library->document_key());
    if (key.empty()) {
      if (plugin_name != section.name) {
        schemas.add_provider_instance(section.name, section.library->config_schema());
      }
      out.push_back(std::move(section));
      continue;
    }
    const Value* file = member(entry.value, key.c_str());
    if (file == nullptr || !file->IsString()) {
      std::string message = "the " + plugin_name + " plugin needs \"";
      message += key;
      message += "\": the path of its ";
      message += key;
      message += " file";
      problems.push_back(config::Diagnostic{config.file, pointer, message}.to_string());
      schemas.add_provider_instance(section.name,
                                    R"({"type": "object", "additionalProperties": true})");
      continue;
    }
    std::filesystem::path path(file->GetString());
    if (path.is_relative()) path = config_dir / path;
    section.document =
        check_plugin_document(*section.library, path, path.lexically_normal().string());
    for (const auto& d : section.document->problems) problems.push_back(d.to_string());
    try {
      schemas.add_provider_instance(
          section.name, instance_schema(*section.library, section.document->config_schema));
    } catch (const config::SchemaError& e) {
      problems.push_back(section.document->file +
                         ": the options it declares are not a usable schema: " + e.what());
    }
    out.push_back(std::move(section));
  }
  return out;
}

std::string plugin_section_json(const ProviderSection& instance, const Value& section) {
  rapidjson::Document copy;
  copy.CopyFrom(section, copy.GetAllocator());
  if (copy.IsObject()) {
    for (const auto& k : provider_host_key_names()) copy.RemoveMember(k.c_str());
    if (instance.document) {
      const std::string key(instance.library->document_key());
      copy.RemoveMember(key.c_str());
      copy.AddMember(Value(key.c_str(), copy.GetAllocator()),
                     Value(instance.document->doc, copy.GetAllocator()), copy.GetAllocator());
    }
  }
  return text_of(copy);
}

}  // namespace cardsync::cli
