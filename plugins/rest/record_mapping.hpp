#pragma once
// How a manifest turns one upstream item into canonical records: the kind, key and parent-key
// templates, each core field's value, and optionally one record per element of an array or
// member of an object inside the item ("each"). core_json always holds every core field of
// the kind, in the order docs/canonical-records.md lists them, null when unmapped or absent,
// so records from a manifest compare with a native provider's byte for byte.

#include <cardsync/abi.h>
#include <cardsync/parsed_body.hpp>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "value_spec.hpp"

namespace cardsync::rest {

// The core fields of a kind, in canonical order, and which must not be null.
struct CoreField {
  const char* name;
  bool required;
};
const std::vector<CoreField>& core_fields(cs_record_kind kind);
std::optional<cs_record_kind> kind_named(std::string_view name);
std::string kind_name(cs_record_kind kind);

// One record made from a mapping.
struct MappedRecord {
  cs_record_kind kind = CS_RECORD_GAME;
  std::string key, parent, core_json, raw_json;
};

// Why an item could not be mapped, quarantined like a schema failure.
struct MappingFailure {
  std::string reason;
  std::string path;
};

class RecordMapping {
 public:
  static RecordMapping parse(const rapidjson::Value& spec, const TemplateRules& rules,
                             Problems& problems, const std::string& pointer);

  // Appends the records this mapping makes from `scope.item` (entries from `item` when it
  // iterates). `raw_item` is the item's text, reused for raw_json; `body` (may be null) gives
  // an entry's text exactly as received. A key that renders empty or a required field that
  // is null fails the whole item: nothing is appended.
  std::optional<MappingFailure> map(Scope scope, const std::string& raw_item,
                                    std::vector<MappedRecord>& out,
                                    const sdk::ParsedBody* body = nullptr) const;

  cs_record_kind kind() const { return kind_; }

 private:
  enum class Raw { item, entry, none };
  enum class Each { none, array, entries };

  std::optional<MappingFailure> map_one(const Scope& scope, const std::string& raw,
                                        std::vector<MappedRecord>& out,
                                        const sdk::ParsedBody* body) const;

  cs_record_kind kind_ = CS_RECORD_GAME;
  Template key_, parent_;
  Each each_ = Each::none;
  std::string each_pointer_text_;
  std::optional<rapidjson::Pointer> each_pointer_;
  // One per core field of the kind, in canonical order; nullopt: the field is null.
  std::vector<std::optional<ValueSpec>> fields_;
  std::vector<std::size_t> skip_when_null_;  // indices into fields_
  Raw raw_ = Raw::item;
};

// `v` as compact JSON text.
std::string json_text(const rapidjson::Value& v);

}  // namespace cardsync::rest
