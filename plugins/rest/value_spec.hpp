#pragma once
// One value a manifest maps into a core field: a constant, a template, a JSON pointer into the
// item (or the entry, the body, the parent's payload) with a transform, or the first non-null
// of several. Compiled once from the manifest; evaluate() is pure: thread-safe, no I/O.
//
//   "Near Mint"                                   constant text
//   "{entry.key}"                                 template
//   null, 0, true                                 JSON constants
//   {"pointer": "/market", "from": "entry", "transform": "cents"}
//   {"pointer": "/tcgplayer/updatedAt", "transform": "epoch", "format": "%Y/%m/%d"}
//   {"first": [{"pointer": "/prices/usd", "transform": "cents", "then": "USD"}, "EUR"]}

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "template.hpp"

namespace cardsync::rest {

// A core field's value; monostate is null.
using Scalar = std::variant<std::monostate, std::int64_t, double, bool, std::string>;

inline bool is_null(const Scalar& s) {
  return std::holds_alternative<std::monostate>(s);
}

enum class Transform { none, cents, epoch, date, to_int, to_string, length };

class ValueSpec {
 public:
  ValueSpec() = default;
  // Compiles `spec` (see above); problems go to `problems` under `pointer`.
  static ValueSpec parse(const rapidjson::Value& spec, const TemplateRules& rules,
                         Problems& problems, const std::string& pointer);

  Scalar evaluate(const Scope& scope) const;

 private:
  enum class Kind { constant, text, pointer, first } kind_ = Kind::constant;
  enum class From { item, entry, body, parent } from_ = From::item;

  Scalar apply_modifiers(Scalar value, const rapidjson::Value* json, const Scope& scope) const;
  const rapidjson::Value* read_pointer(const Scope& scope) const;

  Scalar constant_;
  Template template_;
  // A pointer without placeholders is compiled once; one with them is rendered per item.
  std::shared_ptr<rapidjson::Pointer> pointer_;
  Template pointer_template_;
  std::vector<ValueSpec> first_;
  Transform transform_ = Transform::none;
  std::string format_;
  bool zero_is_null_ = false;
  std::string map_;
  std::optional<Scalar> then_;
};

// A JSON scalar as a Scalar (objects and arrays are null).
Scalar scalar_of(const rapidjson::Value& v);

// Checks that `text` is a JSON pointer ("" or "/..."); a problem under `pointer` otherwise.
// Placeholders in it are checked as a template when `templated`.
bool check_pointer(std::string_view text, Problems& problems, const std::string& pointer);

}  // namespace cardsync::rest
