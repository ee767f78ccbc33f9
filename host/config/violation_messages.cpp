#include "config/violation_messages.hpp"

#include "config/closest_match.hpp"
#include "config/json_pointer.hpp"
#include "config/schema_node.hpp"
#include "config/value_description.hpp"
#include "secrets/redaction.hpp"

namespace cardsync::config {

namespace {

using rapidjson::Value;

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
  if (const Value* props = member_of(node, "properties"); props != nullptr && props->IsObject()) {
    for (const auto& m : props->GetObject()) names.emplace_back(as_view(m.name));
  }
  return names;
}

std::vector<std::string> member_names(const Value& object) {
  std::vector<std::string> names;
  for (const auto& m : object.GetObject()) names.emplace_back(as_view(m.name));
  return names;
}

std::string type_list(const Value& schema) {
  const Value* type = member_of(schema, "type");
  if (type == nullptr) return "a different type";
  if (type->IsString()) return std::string(as_view(*type));
  std::string out;
  if (type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (!t.IsString()) continue;
      if (!out.empty()) out += " or ";
      out += as_view(t);
    }
  }
  return out;
}

std::string numeric_word(const Value& schema) {
  const auto types = type_set(schema);
  return types.size() == 1 && types[0] == "integer" ? "integer" : "number";
}

bool flag(const Value& schema, std::string_view name) {
  const Value* v = member_of(schema, name);
  return v != nullptr && v->IsTrue();
}

std::string argument(const Value& schema, std::string_view keyword) {
  const Value* v = member_of(schema, keyword);
  return v == nullptr ? "?" : compact_json(*v);
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

std::vector<std::string> ViolationMessages::keyword_failed(std::string_view keyword,
                                                           const Value& schema, const Value& node,
                                                           const Value& value,
                                                           const std::string& path) const {
  const bool secret = is_secret_path(path);
  const std::string found = describe_found(value, secret, false);
  const std::string found_typed = describe_found(value, secret, true);
  std::vector<std::string> out;

  if (keyword == "type") {
    out.push_back("expected " + type_list(schema) + ", found " + found_typed);
  } else if (keyword == "enum") {
    std::vector<std::string> options;
    std::vector<std::string> words;  // the string options, for "did you mean"
    if (const Value* e = member_of(schema, "enum"); e && e->IsArray()) {
      for (const auto& option : e->GetArray()) {
        options.push_back(compact_json(option));
        if (option.IsString()) words.emplace_back(option.GetString(), option.GetStringLength());
      }
    }
    std::string list;
    for (const auto& option : options) list += (list.empty() ? "" : ", ") + option;
    std::string msg = "expected one of " + list + ", found " + found;
    if (value.IsString() && !secret) {
      const auto suggestion =
          closest_match(std::string_view(value.GetString(), value.GetStringLength()), words);
      if (suggestion) msg += "; did you mean " + quoted(*suggestion) + "?";
    }
    out.push_back(std::move(msg));
  } else if (keyword == "minimum") {
    out.push_back("expected " + numeric_word(schema) +
                  (flag(schema, "exclusiveMinimum") ? " > " : " >= ") +
                  argument(schema, "minimum") + ", found " + found);
  } else if (keyword == "maximum") {
    out.push_back("expected " + numeric_word(schema) +
                  (flag(schema, "exclusiveMaximum") ? " < " : " <= ") +
                  argument(schema, "maximum") + ", found " + found);
  } else if (keyword == "multipleOf") {
    out.push_back("expected a multiple of " + argument(schema, "multipleOf") + ", found " + found);
  } else if (keyword == "minLength" || keyword == "maxLength") {
    out.push_back(std::string("expected a string of ") +
                  (keyword == "minLength" ? "at least " : "at most ") + argument(schema, keyword) +
                  " characters, found " + found);
  } else if (keyword == "pattern") {
    out.push_back("expected a string matching the pattern " + argument(schema, "pattern") +
                  ", found " + found);
  } else if ((keyword == "minItems" || keyword == "maxItems") && value.IsArray()) {
    out.push_back(std::string("expected an array of ") +
                  (keyword == "minItems" ? "at least " : "at most ") + argument(schema, keyword) +
                  " items, found " + plural(value.Size(), "item"));
  } else if (keyword == "uniqueItems") {
    // RapidJSON points at the later of the two equal items.
    out.push_back("expected array items to be unique, found a repeated " + found_typed);
  } else if ((keyword == "minProperties" || keyword == "maxProperties") && value.IsObject()) {
    const auto names = member_names(value);
    auto container = plugin_containers_->find(&node);
    if (keyword == "maxProperties" && container != plugin_containers_->end()) {
      out.push_back("configure at most " + argument(schema, keyword) + " " + container->second +
                    " plugin, found " + std::to_string(names.size()) + ": " + quoted_list(names));
    } else {
      out.push_back(std::string("expected an object with ") +
                    (keyword == "minProperties" ? "at least " : "at most ") +
                    argument(schema, keyword) + " keys, found " + std::to_string(names.size()) +
                    (names.empty() ? "" : ": " + quoted_list(names)));
    }
  } else if (keyword == "required" && value.IsObject()) {
    if (const Value* required = member_of(schema, "required"); required && required->IsArray()) {
      for (const auto& name : required->GetArray()) {
        if (name.IsString() && !value.HasMember(name)) out.push_back(missing_key(as_view(name)));
      }
    }
  } else if (keyword == "additionalProperties") {
    // RapidJSON points at the offending key; the schema is that of the enclosing object.
    const auto tokens = split_pointer(path);
    out.push_back(unknown_key(schema, tokens.empty() ? "" : tokens.back()));
  } else if (keyword == "dependencies" && value.IsObject()) {
    if (const Value* deps = member_of(schema, "dependencies"); deps && deps->IsObject()) {
      for (const auto& dep : deps->GetObject()) {
        if (!value.HasMember(dep.name) || !dep.value.IsArray()) continue;
        for (const auto& needed : dep.value.GetArray()) {
          if (needed.IsString() && !value.HasMember(needed)) {
            out.push_back("key " + quoted(as_view(dep.name)) + " also requires key " +
                          quoted(as_view(needed)));
          }
        }
      }
    }
    if (out.empty()) out.emplace_back("does not satisfy the schema's \"dependencies\"");
  } else if (keyword == "anyOf") {
    out.push_back("expected a value matching at least one of the allowed forms (anyOf), found " +
                  found_typed);
  } else if (keyword == "oneOf") {
    out.push_back("expected a value matching exactly one of the allowed forms (oneOf), found " +
                  found_typed);
  } else if (keyword == "allOf") {
    out.push_back("expected a value matching all of the schemas in allOf, found " + found_typed);
  } else if (keyword == "not") {
    out.push_back("expected a value not matching the excluded schema (not), found " + found_typed);
  } else {
    out.push_back("does not satisfy the schema keyword " + quoted(keyword) + ", found " +
                  found_typed);
  }
  return out;
}

std::string ViolationMessages::unknown_key(const Value& node, std::string_view key) const {
  const auto names = property_names(node);
  const auto suggestion = closest_match(key, names);
  auto container = plugin_containers_->find(&node);
  if (container != plugin_containers_->end()) {
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

std::string ViolationMessages::missing_key(std::string_view key) {
  return "missing required key " + quoted(key);
}

std::string ViolationMessages::substitution_source(const std::string& path,
                                                   std::string_view source) {
  if (is_secret_path(path)) return "";
  return " (from " + quoted(redact_text(source)) + ")";
}

}  // namespace cardsync::config
