#include "template.hpp"

#include <cardsync/url.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace cardsync::rest {
namespace {

constexpr std::array<std::pair<std::string_view, Source>, 11> kSources{{
    {"config", Source::config},
    {"job", Source::job},
    {"parent", Source::parent},
    {"item", Source::item},
    {"entry", Source::entry},
    {"body", Source::body},
    {"page", Source::page},
    {"incremental", Source::incremental},
    {"response", Source::response},
    {"request", Source::request},
    {"each", Source::each},
}};

std::set<std::string> names_of_sources() {
  std::set<std::string> out;
  for (const auto& [name, source] : kSources) out.emplace(name);
  return out;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(sep, start);
    out.emplace_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// The fixed members a source has, checked at compile time; empty: any path.
const std::set<std::string>* fixed_members(Source s) {
  static const std::set<std::string> job{"key", "type"};
  static const std::set<std::string> page{"number", "offset", "limit", "token"};
  static const std::set<std::string> incremental{"since"};
  static const std::set<std::string> response{"status"};
  static const std::set<std::string> request{"url"};
  switch (s) {
    case Source::job:
      return &job;
    case Source::page:
      return &page;
    case Source::incremental:
      return &incremental;
    case Source::response:
      return &response;
    case Source::request:
      return &request;
    default:
      return nullptr;
  }
}

std::optional<Placeholder> compile_placeholder(std::string_view text, const TemplateRules& rules,
                                               Problems& problems, const std::string& pointer) {
  std::vector<std::string> pieces = split(text, '|');
  Placeholder p;
  const std::vector<std::string> path = split(trimmed(pieces[0]), '.');
  const auto source = std::find_if(kSources.begin(), kSources.end(),
                                   [&](const auto& s) { return s.first == path[0]; });
  if (source == kSources.end()) {
    problems.add(pointer,
                 "unknown template source \"" + path[0] + "\" in {" + std::string(text) + "}",
                 path[0], similar_names(path[0], names_of_sources()));
    return std::nullopt;
  }
  p.source = source->second;
  p.path.assign(path.begin() + 1, path.end());
  if (std::any_of(p.path.begin(), p.path.end(), [](const auto& s) { return s.empty(); })) {
    problems.add(pointer, "empty name in {" + std::string(text) + "}");
    return std::nullopt;
  }
  const bool needs_member = p.source == Source::config || p.source == Source::parent ||
                            fixed_members(p.source) != nullptr;
  if (needs_member && p.path.empty()) {
    problems.add(pointer, "{" + path[0] + "} needs a member, e.g. {" + path[0] + "." +
                              (p.source == Source::config ? "api_key" : "name") + "}");
    return std::nullopt;
  }
  if (p.source == Source::config && rules.config_names.count(p.path[0]) == 0) {
    problems.add(
        pointer,
        "{config." + p.path[0] + "} names an option the manifest's config does not declare",
        p.path[0], similar_names(p.path[0], rules.config_names));
    return std::nullopt;
  }
  if (const auto* fixed = fixed_members(p.source);
      fixed != nullptr && (p.path.size() != 1 || fixed->count(p.path[0]) == 0)) {
    problems.add(pointer, "{" + std::string(trimmed(pieces[0])) + "} is not a value templates know",
                 p.path.back(), similar_names(p.path.back(), *fixed));
    return std::nullopt;
  }
  static const std::set<std::string> kFilters{"upper", "lower", "trim", "url", "json", "map"};
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    const std::string f = trimmed(pieces[i]);
    const auto colon = f.find(':');
    const std::string name = f.substr(0, colon);
    Filter filter;
    if (name == "upper") {
      filter.kind = Filter::upper;
    } else if (name == "lower") {
      filter.kind = Filter::lower;
    } else if (name == "trim") {
      filter.kind = Filter::trim;
    } else if (name == "url") {
      filter.kind = Filter::url;
    } else if (name == "json") {
      filter.kind = Filter::json;
    } else if (name == "map" && colon != std::string::npos) {
      filter.kind = Filter::map;
      filter.table = f.substr(colon + 1);
      if (rules.table_names.count(filter.table) == 0) {
        problems.add(pointer, "map:" + filter.table + " names a table `tables` does not declare",
                     filter.table, similar_names(filter.table, rules.table_names));
        return std::nullopt;
      }
    } else {
      problems.add(pointer, "unknown template filter \"" + f + "\"", name,
                   similar_names(name, kFilters));
      return std::nullopt;
    }
    p.filters.push_back(std::move(filter));
  }
  return p;
}

const rapidjson::Value* walk(const rapidjson::Value* v, const std::vector<std::string>& path,
                             std::size_t from) {
  for (std::size_t i = from; i < path.size() && v != nullptr; ++i) {
    if (v->IsObject()) {
      auto it = v->FindMember(rapidjson::StringRef(path[i].data(), path[i].size()));
      v = it == v->MemberEnd() ? nullptr : &it->value;
    } else if (v->IsArray()) {
      std::size_t index = 0;
      const auto* end = path[i].data() + path[i].size();
      auto [ptr, ec] = std::from_chars(path[i].data(), end, index);
      v = ec != std::errc{} || ptr != end || index >= v->Size() ? nullptr : &(*v)[index];
    } else {
      v = nullptr;
    }
  }
  return v;
}

Resolved number(const std::optional<std::int64_t>& n) {
  Resolved r;
  if (n) r.text = std::to_string(*n);
  return r;
}

std::string apply(const Filter& f, std::string text, const Scope& scope) {
  switch (f.kind) {
    case Filter::upper:
      for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return text;
    case Filter::lower:
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text;
    case Filter::trim: {
      const auto b = text.find_first_not_of(" \t\r\n");
      if (b == std::string::npos) return {};
      return text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
    }
    case Filter::url:
      return sdk::percent_encode(text);
    case Filter::json: {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      // The writer quotes the string; the template supplies its own quotes.
      return std::string(buf.GetString() + 1, buf.GetSize() - 2);
    }
    case Filter::map:
      if (scope.tables != nullptr) {
        auto table = scope.tables->find(f.table);
        if (table != scope.tables->end()) {
          auto hit = table->second.find(text);
          if (hit != table->second.end()) return hit->second;
        }
      }
      return text;
  }
  return text;
}

}  // namespace

std::optional<std::string> scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return std::string(v.IsTrue() ? "true" : "false");
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
  }
  return std::nullopt;
}

Resolved resolve(const Placeholder& p, const Scope& scope) {
  Resolved r;
  switch (p.source) {
    case Source::config:
      r.json = walk(scope.config, p.path, 0);
      return r;
    case Source::job:
      r.text = std::string(p.path[0] == "key" ? scope.job_key : scope.job_type);
      return r;
    case Source::parent:
      r.json = walk(scope.parent, p.path, 0);
      return r;
    case Source::item:
      r.json = walk(scope.item, p.path, 0);
      return r;
    case Source::entry:
      if (p.path.size() == 1 && p.path[0] == "key") {
        r.text = scope.entry_key;
        return r;
      }
      r.json = walk(scope.entry, p.path, !p.path.empty() && p.path[0] == "value" ? 1 : 0);
      return r;
    case Source::body:
      r.json = walk(scope.body, p.path, 0);
      return r;
    case Source::page:
      if (p.path[0] == "number") return number(scope.page_number);
      if (p.path[0] == "offset") return number(scope.page_offset);
      if (p.path[0] == "limit") return number(scope.page_limit);
      r.text = scope.page_token;
      return r;
    case Source::incremental:
      r.text = scope.since;
      return r;
    case Source::response:
      if (scope.status != 0) r.text = std::to_string(scope.status);
      return r;
    case Source::request:
      r.text = std::string(scope.request_url);
      return r;
    case Source::each:
      r.json = walk(scope.each, p.path, 0);
      return r;
  }
  return r;
}

Template::Template(std::string_view text, const TemplateRules& rules, Problems& problems,
                   const std::string& pointer)
    : source_(text) {
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == '}') {
      problems.add(pointer, "unbalanced \"}\" in template \"" + std::string(text) +
                                "\" (write }} for a literal brace)");
      return;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    const auto close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      problems.add(pointer, "unclosed \"{\" in template \"" + std::string(text) + "\"");
      return;
    }
    if (!literal.empty()) parts_.push_back({std::move(literal), -1});
    literal.clear();
    auto p = compile_placeholder(text.substr(i + 1, close - i - 1), rules, problems, pointer);
    if (p) {
      parts_.push_back({{}, static_cast<int>(placeholders_.size())});
      placeholders_.push_back(std::move(*p));
    }
    i = close;
  }
  if (!literal.empty()) parts_.push_back({std::move(literal), -1});
}

bool Template::constant() const {
  return placeholders_.empty();
}

Template::Rendered Template::render(const Scope& scope, bool encode) const {
  Rendered out;
  for (const auto& part : parts_) {
    if (part.placeholder < 0) {
      out.text += part.literal;
      continue;
    }
    const Placeholder& p = placeholders_[static_cast<std::size_t>(part.placeholder)];
    const Resolved r = resolve(p, scope);
    std::optional<std::string> value = r.text;
    if (!value && r.json != nullptr) value = scalar_text(*r.json);
    if (!value) {
      out.complete = false;
      continue;
    }
    for (const auto& f : p.filters) value = apply(f, std::move(*value), scope);
    out.text += encode ? sdk::percent_encode(*value) : *value;
  }
  return out;
}

std::vector<std::string> similar_names(std::string_view found, const std::set<std::string>& known) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& name : known) {
    // Levenshtein distance, one row at a time.
    std::vector<std::size_t> row(name.size() + 1);
    for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= found.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= name.size(); ++j) {
        const std::size_t above = row[j];
        row[j] = std::min(
            {row[j] + 1, row[j - 1] + 1, diagonal + (found[i - 1] == name[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    const std::size_t distance = row[name.size()];
    scored.emplace_back(distance, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  out.reserve(scored.size());
  for (auto& [d, name] : scored) out.push_back(std::move(name));
  return out;
}

}  // namespace cardsync::rest
