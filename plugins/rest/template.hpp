#pragma once
// Manifest templates: text with {source.path|filter} placeholders, e.g. "/cards/{job.key}" or
// "{item.id}/{entry.key}". A placeholder reads one value of the Scope a template is rendered
// in; "{{" and "}}" write literal braces. Sources:
//   config.<option>         the instance's config section
//   job.key, job.type       the job being run
//   parent.<name>           the payload the parent record gave this job
//   item[.<path>]           the item being mapped
//   entry, entry.key, entry.<path>   the element or member being iterated (each)
//   body[.<path>]           the whole response body
//   page.number|offset|limit|token   the paging state of the request
//   incremental.since       the incremental cursor (empty on a first sync)
//   response.status, request.url    the answer being judged (error messages)
//   each                    the config list element a plan entry is made for
// A path is dot-separated member names and array indices ("item.card_prices.0.price").
// Filters: upper, lower, trim, url (percent-encode), json (escape for a JSON string, e.g. in
// a request body), map:<table>.
// Compiled once from the manifest, rendered per item: thread-safe, no I/O.

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "problems.hpp"

namespace cardsync::rest {

using Tables = std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>>;

// The values a template (or a pointer value) can read; unset members read as absent.
struct Scope {
  const rapidjson::Value* config = nullptr;
  std::string_view job_key, job_type;
  const rapidjson::Value* parent = nullptr;
  const rapidjson::Value* item = nullptr;
  const rapidjson::Value* entry = nullptr;
  std::optional<std::string> entry_key;
  const rapidjson::Value* body = nullptr;
  std::optional<std::int64_t> page_number, page_offset, page_limit;
  std::optional<std::string> page_token;
  std::optional<std::string> since;
  int status = 0;
  std::string_view request_url;
  const rapidjson::Value* each = nullptr;
  const Tables* tables = nullptr;
};

enum class Source {
  config,
  job,
  parent,
  item,
  entry,
  body,
  page,
  incremental,
  response,
  request,
  each
};

struct Filter {
  enum Kind { upper, lower, trim, url, json, map } kind = upper;
  std::string table;
};

struct Placeholder {
  Source source = Source::item;
  std::vector<std::string> path;
  std::vector<Filter> filters;
};

// What a manifest's templates may name, for checking them.
struct TemplateRules {
  std::set<std::string> config_names;  // declared options and base_url
  std::set<std::string> table_names;
};

class Template {
 public:
  Template() = default;
  // Compiles `text`; problems (unknown source, undeclared option, unknown filter or table,
  // unbalanced brace) go to `problems` under `pointer`. A template with problems renders
  // its bad placeholders as absent.
  Template(std::string_view text, const TemplateRules& rules, Problems& problems,
           const std::string& pointer);

  struct Rendered {
    std::string text;
    bool complete = true;  // every placeholder had a value
  };
  // `encode`: percent-encode each placeholder's value (paths), literal text stays as written.
  Rendered render(const Scope& scope, bool encode = false) const;
  // Shorthand: the text, placeholders without a value rendering empty.
  std::string text(const Scope& scope) const { return render(scope).text; }

  bool empty() const { return parts_.empty(); }
  bool constant() const;  // no placeholders
  const std::string& source() const { return source_; }
  const std::vector<Placeholder>& placeholders() const { return placeholders_; }

 private:
  struct Part {
    std::string literal;
    int placeholder = -1;  // index into placeholders_, or -1 for literal text
  };
  std::string source_;
  std::vector<Part> parts_;
  std::vector<Placeholder> placeholders_;
};

// A value a placeholder or pointer resolved to: a JSON value, or text the scope holds itself.
struct Resolved {
  const rapidjson::Value* json = nullptr;
  std::optional<std::string> text;
  bool present() const { return text.has_value() || (json != nullptr && !json->IsNull()); }
};

Resolved resolve(const Placeholder& p, const Scope& scope);
// A JSON scalar as template text (numbers as written, true/false); nullopt for null,
// objects and arrays.
std::optional<std::string> scalar_text(const rapidjson::Value& v);

// Every name of `known`, the closest to `found` (edit distance) first: the candidates of a
// problem, from which the host picks its suggestion.
std::vector<std::string> similar_names(std::string_view found, const std::set<std::string>& known);

}  // namespace cardsync::rest
