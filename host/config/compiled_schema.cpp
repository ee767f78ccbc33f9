#include "config/compiled_schema.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "config/json_pointer.hpp"
#include "config/schema_node.hpp"
#include "config/violation_messages.hpp"

namespace cardsync::config {

struct CompiledSchema::Compiled {
  // The validator reports pointers into the schema it compiled; keeping the source lets those
  // pointers be resolved to read the keyword's argument (enum list, minimum...).
  rapidjson::Document source;
  std::unique_ptr<rapidjson::SchemaDocument> schema;

  explicit Compiled(const rapidjson::Value& node) {
    source.CopyFrom(node, source.GetAllocator());
    schema = std::make_unique<rapidjson::SchemaDocument>(source);
  }
};

struct CompiledSchema::NodeSchemas {
  std::unique_ptr<Compiled> whole;     // the node as written
  std::unique_ptr<Compiled> residual;  // without the keywords walk() checks itself
};

struct CompiledSchema::Sink {
  const std::string& file;
  std::vector<Diagnostic>& out;
  ViolationMessages messages;

  void add(std::string path, std::string message) {
    out.push_back(Diagnostic{file, std::move(path), std::move(message)});
  }
};

namespace {

using rapidjson::Value;

std::string stringify(const rapidjson::Pointer& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.Stringify(buffer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

CompiledSchema::CompiledSchema(rapidjson::Document root,
                               std::map<std::string, std::string> plugin_containers)
    : root_(std::move(root)), plugin_container_names_(std::move(plugin_containers)) {
  if (const Value* props = member_of(root_, "properties")) {
    for (const auto& [name, noun] : plugin_container_names_) {
      if (const Value* node = member_of(*props, name)) plugin_containers_.emplace(node, noun);
    }
  }
  compile_tree(root_);
}

CompiledSchema::~CompiledSchema() = default;

void CompiledSchema::compile_tree(const Value& node) {
  auto schemas = std::make_unique<NodeSchemas>();
  schemas->whole = std::make_unique<Compiled>(node);
  if (is_structural(node)) {
    rapidjson::Document residual;
    residual.CopyFrom(node, residual.GetAllocator());
    for (const char* keyword :
         {"properties", "patternProperties", "additionalProperties", "required"}) {
      residual.RemoveMember(keyword);
    }
    if (items_schema(node) != nullptr) {
      residual.RemoveMember("items");
      residual.RemoveMember("additionalItems");  // meaningless without tuple-form items
    }
    schemas->residual = std::make_unique<Compiled>(residual);
  }
  nodes_.emplace(&node, std::move(schemas));

  for (const char* keyword : {"properties", "patternProperties"}) {
    if (const Value* children = member_of(node, keyword);
        children != nullptr && children->IsObject()) {
      for (const auto& m : children->GetObject()) compile_tree(m.value);
    }
  }
  if (const Value* extra = member_of(node, "additionalProperties"); extra && extra->IsObject()) {
    compile_tree(*extra);
  }
  if (const Value* items = items_schema(node)) compile_tree(*items);
}

std::vector<Diagnostic> CompiledSchema::validate(
    const Value& doc, const std::string& file,
    const std::vector<Substitution>& substitutions) const {
  std::vector<Diagnostic> out;
  Sink sink{file, out, ViolationMessages(plugin_containers_)};
  const Compiled& whole = *nodes_.at(&root_)->whole;
  rapidjson::SchemaValidator validator(*whole.schema);
  if (doc.Accept(validator)) return out;

  walk(doc, root_, "", sink);
  // The walk mirrors RapidJSON's semantics; should the two ever disagree, RapidJSON's own
  // verdict is still reported rather than passing an invalid config.
  if (out.empty()) report_first(whole, root_, doc, "", sink);
  if (out.empty()) sink.add("", "does not match the configuration schema");

  for (auto& diagnostic : out) {
    for (const auto& s : substitutions) {
      if (s.path == diagnostic.path) {
        diagnostic.message += ViolationMessages::substitution_source(s.path, s.source);
        break;
      }
    }
  }
  return out;
}

void CompiledSchema::walk(const Value& value, const Value& node, const std::string& path,
                          Sink& sink) const {
  const NodeSchemas& schemas = *nodes_.at(&node);
  const bool object_walk = value.IsObject() && has_object_keywords(node);
  const Value* items = value.IsArray() ? items_schema(node) : nullptr;
  if (!object_walk && items == nullptr) {
    report_first(*schemas.whole, node, value, path, sink);
    return;
  }
  report_first(*schemas.residual, node, value, path, sink);

  if (items != nullptr) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      walk(value[i], *items, append_pointer(path, i), sink);
    }
    return;
  }

  if (const Value* required = member_of(node, "required"); required && required->IsArray()) {
    for (const auto& name : required->GetArray()) {
      if (name.IsString() && !value.HasMember(name)) {
        sink.add(path, ViolationMessages::missing_key(as_view(name)));
      }
    }
  }
  const Value* props = member_of(node, "properties");
  const Value* patterns = member_of(node, "patternProperties");
  const Value* additional = member_of(node, "additionalProperties");
  for (const auto& m : value.GetObject()) {
    const std::string_view key = as_view(m.name);
    const std::string child = append_pointer(path, key);
    bool matched = false;
    if (const Value* sub = props != nullptr ? member_of(*props, key) : nullptr) {
      walk(m.value, *sub, child, sink);
      matched = true;
    }
    if (patterns != nullptr && patterns->IsObject()) {
      for (const auto& p : patterns->GetObject()) {
        if (pattern_matches(as_view(p.name), key)) {
          walk(m.value, p.value, child, sink);
          matched = true;
        }
      }
    }
    if (matched || additional == nullptr) continue;
    if (additional->IsObject()) {
      walk(m.value, *additional, child, sink);
    } else if (additional->IsFalse()) {
      sink.add(child, sink.messages.unknown_key(node, key));
    }
  }
}

void CompiledSchema::report_first(const Compiled& compiled, const Value& node, const Value& value,
                                  const std::string& path, Sink& sink) {
  rapidjson::SchemaValidator validator(*compiled.schema);
  if (value.Accept(validator)) return;
  const char* keyword = validator.GetInvalidSchemaKeyword();
  const std::string where = path + stringify(validator.GetInvalidDocumentPointer());
  const Value* schema = validator.GetInvalidSchemaPointer().Get(compiled.source);
  const Value* bad = validator.GetInvalidDocumentPointer().Get(value);
  if (keyword == nullptr || schema == nullptr || bad == nullptr) {
    sink.add(where, "does not match the configuration schema");
    return;
  }
  for (auto& message : sink.messages.keyword_failed(keyword, *schema, node, *bad, where)) {
    sink.add(where, std::move(message));
  }
}

const Value* CompiledSchema::node_at(const std::string& pointer) const {
  const Value* node = &root_;
  for (const auto& token : split_pointer(pointer)) {
    const Value* next = nullptr;
    if (const Value* props = member_of(*node, "properties")) next = member_of(*props, token);
    if (next == nullptr) {
      if (const Value* patterns = member_of(*node, "patternProperties");
          patterns && patterns->IsObject()) {
        for (const auto& p : patterns->GetObject()) {
          if (pattern_matches(as_view(p.name), token)) {
            next = &p.value;
            break;
          }
        }
      }
    }
    if (next == nullptr) {
      if (const Value* extra = member_of(*node, "additionalProperties");
          extra && extra->IsObject()) {
        next = extra;
      }
    }
    if (next == nullptr) next = items_schema(*node);
    if (next == nullptr) return nullptr;
    node = next;
  }
  return node;
}

}  // namespace cardsync::config
