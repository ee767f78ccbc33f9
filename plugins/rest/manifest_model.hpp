#pragma once
// A manifest compiled: every template, pointer, schema and rule parsed once, so a provider
// call only renders and reads. Parsing collects problems instead of throwing, so the same
// code serves `inspect_document` (every problem at once) and `create` (fails on any).
// Immutable after parse: shared by every worker thread.

#include <cardsync/abi.h>
#include <cardsync/validation.hpp>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error_rules.hpp"
#include "lookup_key.hpp"
#include "paging.hpp"
#include "record_mapping.hpp"
#include "template.hpp"

namespace cardsync::rest {

// Every job type is "rest.<stream>"; the host renames the prefix to the instance's name.
inline constexpr std::string_view kJobTypePrefix = "rest.";

using NamedTemplates = std::vector<std::pair<std::string, Template>>;

struct Auth {
  enum class Type { none, header, query, bearer } type = Type::none;
  std::string name;
  Template value;
};

// A number a response reports: a header, or a body pointer.
struct Reading {
  std::string header;
  std::optional<rapidjson::Pointer> pointer;
};

struct RateLimit {
  std::optional<double> per_minute;
  std::optional<std::int64_t> daily_quota;
  std::optional<Reading> remaining, limit_per_minute;
};

struct RequestSpec {
  std::string method = "GET";
  Template path;
  NamedTemplates query, headers;
  std::optional<Template> body;
};

struct Child {
  std::string stream;
  Template key;
  NamedTemplates payload;
  std::string if_listed_in;  // a config list option
};

struct Incremental {
  enum class Source { sync_time, max_seen } source = Source::sync_time;
  std::optional<rapidjson::Pointer> pointer;
  std::string format = "epoch";
};

struct Stream {
  std::string name, job_type;
  RequestSpec request;
  Paging paging;
  std::string items_text;
  std::optional<rapidjson::Pointer> items;  // nullopt: the body itself
  std::string schema_text = "{}";
  std::shared_ptr<const sdk::ItemSchema> schema;  // null: every item is accepted
  std::vector<RecordMapping> records, page_records;
  std::string records_from;  // a stream whose item schema and records this one shares
  std::vector<Child> children;
  std::optional<Incremental> incremental;
  ErrorRules errors;
  int lookup = -1;  // the lookup served by this stream, or -1
};

struct PlanEntry {
  std::string stream;
  Template key;
  std::string for_each;
};

struct Lookup {
  std::string name, stream, job_type, description, key_example, child_field;
  cs_record_kind record_kind = CS_RECORD_CARD;
  std::uint32_t child_kind = 0;
  std::int64_t ttl_seconds = std::int64_t{7} * 24 * 3600;
  std::int64_t not_found_ttl_seconds = std::int64_t{24} * 3600;
  KeyRule key_rule;
};

class Manifest {
 public:
  // Compiles a manifest that passed the manifest schema; anything the schema cannot say goes
  // to `problems`.
  static std::unique_ptr<Manifest> parse(const rapidjson::Value& manifest, Problems& problems);

  std::string name = "the upstream";
  std::string base_url;
  Tables tables;
  NamedTemplates headers;
  Auth auth;
  RateLimit rate;
  ErrorRules errors;
  std::vector<PlanEntry> plan;
  std::vector<Stream> streams;
  std::vector<Lookup> lookups;
  std::set<std::string> config_names;  // declared options and base_url

  const Stream* stream_for_job(std::string_view job_type) const;
  const Stream* stream_named(std::string_view name) const;
  std::set<std::string> stream_names() const;
};

}  // namespace cardsync::rest
