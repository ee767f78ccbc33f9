#include "config/schema_markdown.hpp"

#include <set>
#include <vector>

#include "config/value_description.hpp"

namespace cardsync::config {
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

// Table cells are one line and '|' would end the cell.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string code(std::string_view text) {
  return "`" + std::string(text) + "`";
}

std::string type_names(const Value& node) {
  const Value* type = member(node, "type");
  std::string out;
  if (type != nullptr && type->IsString()) out = view(*type);
  if (type != nullptr && type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (!t.IsString()) continue;
      if (!out.empty()) out += " or ";
      out += view(t);
    }
  }
  if (out == "array") {
    if (const Value* items = member(node, "items"); items != nullptr && items->IsObject()) {
      const std::string item_type = type_names(*items);
      if (!item_type.empty()) out += " of " + item_type;
    }
  }
  return out;
}

std::string type_cell(const Value& node) {
  std::string out = type_names(node);
  std::vector<std::string> constraints;
  if (const Value* e = member(node, "enum"); e != nullptr && e->IsArray()) {
    std::string list;
    for (const auto& option : e->GetArray()) {
      list += (list.empty() ? "" : ", ") + code(compact_json(option));
    }
    constraints.push_back("one of " + list);
  }
  if (const Value* min = member(node, "minimum")) {
    const Value* exclusive = member(node, "exclusiveMinimum");
    constraints.push_back((exclusive != nullptr && exclusive->IsTrue() ? "> " : ">= ") +
                          compact_json(*min));
  }
  if (const Value* max = member(node, "maximum")) {
    const Value* exclusive = member(node, "exclusiveMaximum");
    constraints.push_back((exclusive != nullptr && exclusive->IsTrue() ? "< " : "<= ") +
                          compact_json(*max));
  }
  if (const Value* pattern = member(node, "pattern"); pattern != nullptr && pattern->IsString()) {
    constraints.push_back("matching " + code(view(*pattern)));
  }
  if (const Value* max = member(node, "maxProperties")) {
    constraints.push_back("at most " + compact_json(*max) + " key(s)");
  }
  for (const auto& c : constraints) out += (out.empty() ? "" : ", ") + c;
  return cell(out);
}

std::string description(const Value& node) {
  const Value* d = member(node, "description");
  return d != nullptr && d->IsString() ? std::string(view(*d)) : std::string();
}

void row(const Value& node, const std::string& key, bool required, std::string& out) {
  std::string def;
  if (const Value* d = member(node, "default")) {
    def = code(compact_json(*d));
  } else if (required) {
    def = "required";
  }
  out += "| " + code(key) + " | " + type_cell(node) + " | " + cell(def) + " | " +
         cell(description(node)) + " |\n";
}

bool is_required(const Value& parent, std::string_view name) {
  const Value* required = member(parent, "required");
  if (required == nullptr || !required->IsArray()) return false;
  for (const auto& r : required->GetArray()) {
    if (r.IsString() && view(r) == name) return true;
  }
  return false;
}

// The rows of every key below `node` (not `node` itself), depth first in schema order.
void child_rows(const Value& node, const std::string& key, const std::set<std::string>& skip,
                std::string& out) {
  if (const Value* props = member(node, "properties"); props != nullptr && props->IsObject()) {
    for (const auto& p : props->GetObject()) {
      const std::string name(view(p.name));
      if (skip.count(name) != 0) continue;
      std::string child = key;
      child += '.';
      child += name;
      row(p.value, child, is_required(node, name), out);
      child_rows(p.value, child, {}, out);
    }
  }
  if (const Value* extra = member(node, "additionalProperties");
      extra != nullptr && extra->IsObject()) {
    const std::string child = key + ".<name>";
    row(*extra, child, false, out);
    child_rows(*extra, child, {}, out);
  }
  if (const Value* items = member(node, "items"); items != nullptr && items->IsObject()) {
    if (member(*items, "properties") != nullptr) child_rows(*items, key + "[]", {}, out);
  }
}

constexpr std::string_view kTableHead =
    "| Key | Type | Default | Description |\n| --- | --- | --- | --- |\n";

void paragraph(const std::string& text, std::string& out) {
  if (!text.empty()) out += text + "\n\n";
}

}  // namespace

std::string render_schema_markdown(const Value& root,
                                   const std::map<std::string, std::string>& plugin_containers,
                                   const Value& provider_host_keys) {
  std::string out;
  const Value* props = member(root, "properties");
  if (props == nullptr || !props->IsObject()) return out;
  std::set<std::string> host_key_names;
  if (provider_host_keys.IsObject()) {
    for (const auto& k : provider_host_keys.GetObject()) host_key_names.emplace(view(k.name));
  }

  for (const auto& section : props->GetObject()) {
    const std::string name(view(section.name));
    const Value& node = section.value;
    out += "## " + code(name) + "\n\n";
    paragraph(description(node), out);
    out += kTableHead;
    row(node, name, is_required(root, name), out);

    auto container = plugin_containers.find(name);
    if (container == plugin_containers.end()) {
      child_rows(node, name, {}, out);
      out += "\n";
      continue;
    }
    const std::string entry = name + ".<" + container->second + ">";
    if (name == "providers" && provider_host_keys.IsObject()) {
      for (const auto& k : provider_host_keys.GetObject()) {
        const std::string key = entry + "." + std::string(view(k.name));
        row(k.value, key, false, out);
        child_rows(k.value, key, {}, out);
      }
    }
    out += "\n";
    const Value* plugins = member(node, "properties");
    if (plugins == nullptr || !plugins->IsObject()) continue;
    for (const auto& plugin : plugins->GetObject()) {
      const std::string key = name + "." + std::string(view(plugin.name));
      out += "### " + code(key) + "\n\n";
      paragraph(description(plugin.value), out);
      std::string rows;
      child_rows(plugin.value, key, name == "providers" ? host_key_names : std::set<std::string>{},
                 rows);
      if (rows.empty()) {
        out += "This plugin takes no options of its own.\n\n";
      } else {
        out += std::string(kTableHead) + rows + "\n";
      }
    }
  }
  return out;
}

}  // namespace cardsync::config
