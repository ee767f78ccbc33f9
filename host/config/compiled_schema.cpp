#include "config/compiled_schema.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <regex>

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "config/closest_match.hpp"
#include "config/json_pointer.hpp"
#include "config/value_description.hpp"
#include "secrets/redaction.hpp"

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

  void add(std::string path, std::string message) {
    out.push_back(Diagnostic{file, std::move(path), std::move(message)});
  }
};

namespace {

using rapidjson::Value;

std::string_view view(const Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

const Value* member(const Value& node, std::string_view name) {
  if (!node.IsObject()) return nullptr;
  auto it = node.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == node.MemberEnd() ? nullptr : &it->value;
}

bool has_object_keywords(const Value& node) {
  return member(node, "properties") != nullptr || member(node, "patternProperties") != nullptr ||
         member(node, "additionalProperties") != nullptr || member(node, "required") != nullptr;
}

const Value* items_schema(const Value& node) {
  const Value* items = member(node, "items");
  return items != nullptr && items->IsObject() ? items : nullptr;
}

bool is_structural(const Value& node) {
  return has_object_keywords(node) || items_schema(node) != nullptr;
}

bool pattern_matches(std::string_view pattern, std::string_view key) {
  try {
    const std::regex re(pattern.begin(), pattern.end(), std::regex::ECMAScript);
    return std::regex_search(key.begin(), key.end(), re);
  } catch (const std::regex_error&) {
    return false;  // RapidJSON ignores patterns it cannot compile; so do we
  }
}

bool is_secret_path(const std::string& path) {
  for (const auto& token : split_pointer(path)) {
    if (is_secret_key(token)) return true;
  }
  return false;
}

std::string quoted(std::string_view s) {
  const Value v(rapidjson::StringRef(s.data(), s.size()));
  return compact_json(v);
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += quoted(name);
  }
  return out;
}

std::vector<std::string> property_names(const Value& node) {
  std::vector<std::string> names;
  if (const Value* props = member(node, "properties"); props != nullptr && props->IsObject()) {
    for (const auto& m : props->GetObject()) names.emplace_back(view(m.name));
  }
  return names;
}

std::vector<std::string> member_names(const Value& object) {
  std::vector<std::string> names;
  for (const auto& m : object.GetObject()) names.emplace_back(view(m.name));
  return names;
}

std::string type_list(const Value& schema) {
  const Value* type = member(schema, "type");
  if (type == nullptr) return "a different type";
  if (type->IsString()) return std::string(view(*type));
  std::string out;
  if (type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (!t.IsString()) continue;
      if (!out.empty()) out += " or ";
      out += view(t);
    }
  }
  return out;
}

std::vector<std::string> type_set(const Value& schema) {
  std::vector<std::string> out;
  const Value* type = member(schema, "type");
  if (type == nullptr) return out;
  if (type->IsString()) out.emplace_back(view(*type));
  if (type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (t.IsString()) out.emplace_back(view(t));
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string numeric_word(const Value& schema) {
  const auto types = type_set(schema);
  return types.size() == 1 && types[0] == "integer" ? "integer" : "number";
}

bool flag(const Value& schema, std::string_view name) {
  const Value* v = member(schema, name);
  return v != nullptr && v->IsTrue();
}

std::string argument(const Value& schema, std::string_view keyword) {
  const Value* v = member(schema, keyword);
  return v == nullptr ? "?" : compact_json(*v);
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string stringify(const rapidjson::Pointer& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.Stringify(buffer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

CompiledSchema::CompiledSchema(rapidjson::Document root,
                               std::map<std::string, std::string> plugin_containers)
    : root_(std::move(root)), plugin_container_names_(std::move(plugin_containers)) {
  if (const Value* props = member(root_, "properties")) {
    for (const auto& [name, noun] : plugin_container_names_) {
      if (const Value* node = member(*props, name)) plugin_containers_.emplace(node, noun);
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
    if (const Value* children = member(node, keyword);
        children != nullptr && children->IsObject()) {
      for (const auto& m : children->GetObject()) compile_tree(m.value);
    }
  }
  if (const Value* extra = member(node, "additionalProperties"); extra && extra->IsObject()) {
    compile_tree(*extra);
  }
  if (const Value* items = items_schema(node)) compile_tree(*items);
}

std::vector<Diagnostic> CompiledSchema::validate(
    const Value& doc, const std::string& file,
    const std::vector<Substitution>& substitutions) const {
  std::vector<Diagnostic> out;
  Sink sink{file, out};
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
      if (s.path == diagnostic.path && !is_secret_path(s.path)) {
        diagnostic.message += " (from " + quoted(redact_text(s.source)) + ")";
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

  if (const Value* required = member(node, "required"); required && required->IsArray()) {
    for (const auto& name : required->GetArray()) {
      if (name.IsString() && !value.HasMember(name)) {
        sink.add(path, "missing required key " + quoted(view(name)));
      }
    }
  }
  const Value* props = member(node, "properties");
  const Value* patterns = member(node, "patternProperties");
  const Value* additional = member(node, "additionalProperties");
  for (const auto& m : value.GetObject()) {
    const std::string_view key = view(m.name);
    const std::string child = append_pointer(path, key);
    bool matched = false;
    if (const Value* sub = props != nullptr ? member(*props, key) : nullptr) {
      walk(m.value, *sub, child, sink);
      matched = true;
    }
    if (patterns != nullptr && patterns->IsObject()) {
      for (const auto& p : patterns->GetObject()) {
        if (pattern_matches(view(p.name), key)) {
          walk(m.value, p.value, child, sink);
          matched = true;
        }
      }
    }
    if (matched || additional == nullptr) continue;
    if (additional->IsObject()) {
      walk(m.value, *additional, child, sink);
    } else if (additional->IsFalse()) {
      sink.add(child, unknown_key_message(node, key));
    }
  }
}

void CompiledSchema::report_first(const Compiled& compiled, const Value& node, const Value& value,
                                  const std::string& path, Sink& sink) const {
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
  report_keyword(keyword, *schema, node, *bad, where, sink);
}

void CompiledSchema::report_keyword(std::string_view keyword, const Value& schema,
                                    const Value& node, const Value& value, const std::string& path,
                                    Sink& sink) const {
  const bool secret = is_secret_path(path);
  const std::string found = describe_found(value, secret, false);
  const std::string found_typed = describe_found(value, secret, true);

  if (keyword == "type") {
    sink.add(path, "expected " + type_list(schema) + ", found " + found_typed);
  } else if (keyword == "enum") {
    std::vector<std::string> options;
    if (const Value* e = member(schema, "enum"); e && e->IsArray()) {
      for (const auto& option : e->GetArray()) options.push_back(compact_json(option));
    }
    std::string list;
    for (const auto& option : options) list += (list.empty() ? "" : ", ") + option;
    sink.add(path, "expected one of " + list + ", found " + found);
  } else if (keyword == "minimum") {
    sink.add(path, "expected " + numeric_word(schema) +
                       (flag(schema, "exclusiveMinimum") ? " > " : " >= ") +
                       argument(schema, "minimum") + ", found " + found);
  } else if (keyword == "maximum") {
    sink.add(path, "expected " + numeric_word(schema) +
                       (flag(schema, "exclusiveMaximum") ? " < " : " <= ") +
                       argument(schema, "maximum") + ", found " + found);
  } else if (keyword == "multipleOf") {
    sink.add(path, "expected a multiple of " + argument(schema, "multipleOf") + ", found " + found);
  } else if (keyword == "minLength" || keyword == "maxLength") {
    sink.add(path, std::string("expected a string of ") +
                       (keyword == "minLength" ? "at least " : "at most ") +
                       argument(schema, keyword) + " characters, found " + found);
  } else if (keyword == "pattern") {
    sink.add(path, "expected a string matching the pattern " + argument(schema, "pattern") +
                       ", found " + found);
  } else if ((keyword == "minItems" || keyword == "maxItems") && value.IsArray()) {
    sink.add(path, std::string("expected an array of ") +
                       (keyword == "minItems" ? "at least " : "at most ") +
                       argument(schema, keyword) + " items, found " + plural(value.Size(), "item"));
  } else if (keyword == "uniqueItems") {
    // RapidJSON points at the later of the two equal items.
    sink.add(path, "expected array items to be unique, found a repeated " + found_typed);
  } else if ((keyword == "minProperties" || keyword == "maxProperties") && value.IsObject()) {
    const auto names = member_names(value);
    auto container = plugin_containers_.find(&node);
    if (keyword == "maxProperties" && container != plugin_containers_.end()) {
      sink.add(path, "configure at most " + argument(schema, keyword) + " " + container->second +
                         " plugin, found " + std::to_string(names.size()) + ": " +
                         quoted_list(names));
    } else {
      sink.add(path, std::string("expected an object with ") +
                         (keyword == "minProperties" ? "at least " : "at most ") +
                         argument(schema, keyword) + " keys, found " +
                         std::to_string(names.size()) +
                         (names.empty() ? "" : ": " + quoted_list(names)));
    }
  } else if (keyword == "required" && value.IsObject()) {
    if (const Value* required = member(schema, "required"); required && required->IsArray()) {
      for (const auto& name : required->GetArray()) {
        if (name.IsString() && !value.HasMember(name)) {
          sink.add(path, "missing required key " + quoted(view(name)));
        }
      }
    }
  } else if (keyword == "additionalProperties") {
    // RapidJSON points at the offending key; the schema is that of the enclosing object.
    const auto tokens = split_pointer(path);
    sink.add(path, unknown_key_message(schema, tokens.empty() ? "" : tokens.back()));
  } else if (keyword == "dependencies" && value.IsObject()) {
    bool reported = false;
    if (const Value* deps = member(schema, "dependencies"); deps && deps->IsObject()) {
      for (const auto& dep : deps->GetObject()) {
        if (!value.HasMember(dep.name) || !dep.value.IsArray()) continue;
        for (const auto& needed : dep.value.GetArray()) {
          if (needed.IsString() && !value.HasMember(needed)) {
            sink.add(path, "key " + quoted(view(dep.name)) + " also requires key " +
                               quoted(view(needed)));
            reported = true;
          }
        }
      }
    }
    if (!reported) sink.add(path, "does not satisfy the schema's \"dependencies\"");
  } else if (keyword == "anyOf") {
    sink.add(path, "expected a value matching at least one of the allowed forms (anyOf), found " +
                       found_typed);
  } else if (keyword == "oneOf") {
    sink.add(path, "expected a value matching exactly one of the allowed forms (oneOf), found " +
                       found_typed);
  } else if (keyword == "allOf") {
    sink.add(path, "expected a value matching all of the schemas in allOf, found " + found_typed);
  } else if (keyword == "not") {
    sink.add(path, "expected a value not matching the excluded schema (not), found " + found_typed);
  } else {
    sink.add(path,
             "does not satisfy the schema keyword " + quoted(keyword) + ", found " + found_typed);
  }
}

std::string CompiledSchema::unknown_key_message(const Value& node, std::string_view key) const {
  const auto names = property_names(node);
  const auto suggestion = closest_match(key, names);
  auto container = plugin_containers_.find(&node);
  if (container != plugin_containers_.end()) {
    const std::string& noun = container->second;
    std::string msg =
        "unknown " + noun + " " + quoted(key) + ": no " + noun + " plugin of that name is loaded";
    if (suggestion) msg += "; did you mean " + quoted(*suggestion) + "?";
    if (names.empty()) {
      msg += " (no " + noun + " plugins are loaded; check plugin_dirs)";
    } else {
      msg += " (loaded " + noun + " plugins: " + quoted_list(names) + ")";
    }
    return msg;
  }
  std::string msg = "unknown key " + quoted(key);
  if (suggestion) {
    msg += "; did you mean " + quoted(*suggestion) + "?";
  } else if (names.empty()) {
    msg += "; no keys are allowed here";
  } else if (names.size() <= 12) {
    msg += "; allowed keys: " + quoted_list(names);
  }
  return msg;
}

const Value* CompiledSchema::node_at(const std::string& pointer) const {
  const Value* node = &root_;
  for (const auto& token : split_pointer(pointer)) {
    const Value* next = nullptr;
    if (const Value* props = member(*node, "properties")) next = member(*props, token);
    if (next == nullptr) {
      if (const Value* patterns = member(*node, "patternProperties");
          patterns && patterns->IsObject()) {
        for (const auto& p : patterns->GetObject()) {
          if (pattern_matches(view(p.name), token)) {
            next = &p.value;
            break;
          }
        }
      }
    }
    if (next == nullptr) {
      if (const Value* extra = member(*node, "additionalProperties"); extra && extra->IsObject()) {
        next = extra;
      }
    }
    if (next == nullptr) next = items_schema(*node);
    if (next == nullptr) return nullptr;
    node = next;
  }
  return node;
}

void CompiledSchema::coerce(rapidjson::Document& doc,
                            const std::vector<Substitution>& substitutions) const {
  for (const auto& s : substitutions) {
    if (!s.whole) continue;
    const Value* node = node_at(s.path);
    if (node == nullptr) continue;
    const auto types = type_set(*node);
    if (types.empty() || contains(types, "string")) continue;
    const rapidjson::Pointer pointer(s.path.c_str(), s.path.size());
    Value* value = pointer.IsValid() ? pointer.Get(doc) : nullptr;
    if (value == nullptr || !value->IsString()) continue;
    const std::string_view text = view(*value);
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (contains(types, "integer") || contains(types, "number")) {
      std::int64_t integer = 0;
      if (auto [end, ec] = std::from_chars(first, last, integer);
          ec == std::errc() && end == last && !text.empty()) {
        value->SetInt64(integer);
        continue;
      }
    }
    if (contains(types, "number")) {
      double number = 0;
      if (auto [end, ec] = std::from_chars(first, last, number);
          ec == std::errc() && end == last && !text.empty() && std::isfinite(number)) {
        value->SetDouble(number);
        continue;
      }
    }
    if (contains(types, "boolean") && (text == "true" || text == "false")) {
      value->SetBool(text == "true");
    }
  }
}

void CompiledSchema::apply_defaults(rapidjson::Document& doc) const {
  fill_defaults(doc, root_, doc.GetAllocator());
}

void CompiledSchema::fill_defaults(Value& value, const Value& node,
                                   rapidjson::Document::AllocatorType& alloc) const {
  if (value.IsArray()) {
    if (const Value* items = items_schema(node)) {
      for (auto& element : value.GetArray()) fill_defaults(element, *items, alloc);
    }
    return;
  }
  if (!value.IsObject()) return;
  const Value* props = member(node, "properties");
  const bool container = plugin_containers_.count(&node) != 0;
  if (props != nullptr && props->IsObject()) {
    for (const auto& p : props->GetObject()) {
      if (!value.HasMember(p.name)) {
        // An absent plugin section stays absent: adding it would switch the plugin on.
        if (container) continue;
        if (const Value* def = member(p.value, "default")) {
          value.AddMember(Value(p.name, alloc), Value(*def, alloc), alloc);
        } else if (member(p.value, "properties") != nullptr) {
          Value object(rapidjson::kObjectType);
          fill_defaults(object, p.value, alloc);
          if (object.MemberCount() > 0) value.AddMember(Value(p.name, alloc), object, alloc);
          continue;
        } else {
          continue;
        }
      }
      fill_defaults(value[p.name], p.value, alloc);
    }
  }
  if (const Value* extra = member(node, "additionalProperties"); extra && extra->IsObject()) {
    // Indexing instead of a range-for: comparing RapidJSON's mutable member iterators is
    // ambiguous in C++20 (clang's ambiguous-reversed-operator).
    for (rapidjson::SizeType i = 0; i < value.MemberCount(); ++i) {
      auto& m = value.MemberBegin()[i];
      if (props == nullptr || member(*props, view(m.name)) == nullptr) {
        fill_defaults(m.value, *extra, alloc);
      }
    }
  }
}

}  // namespace cardsync::config
