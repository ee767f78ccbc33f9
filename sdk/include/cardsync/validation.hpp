#pragma once
// Validation of upstream items against JSON Schemas (draft-04), shared by every provider so
// that each rejection reads the same way wherever it comes from:
//
//   static const cardsync::sdk::ItemSchema kCard(card_schema_json);   // compiled once
//   if (auto bad = kCard.validate(item)) {
//     out.reject(bad->reason, bad->json_path, raw_item_text);        // quarantined by the host
//   }
//
// `reason` names the rule broken as "<keyword>: expected ..., found ...", and `json_path` is a
// JSON Pointer into the item ("" is the item itself; a missing required property points at
// where it should be, e.g. "/name"). RapidJSON 1.1 stops at the first error, so one rejection
// describes one problem.
//
// Header-only on purpose: it ships with the SDK and needs only RapidJSON.

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <cardsync/utf8.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::sdk {

// `name` as one JSON Pointer token (RFC 6901: '~' is written "~0", '/' is "~1"). Pure.
inline std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Why an item failed its schema.
struct Rejection {
  std::string reason;     // "<keyword>: expected ..., found ..."
  std::string json_path;  // JSON Pointer into the validated value
};

// One JSON Schema, compiled once, validating any number of items from any number of threads.
class ItemSchema {
 public:
  // Throws std::invalid_argument when `schema_json` is not a JSON object.
  explicit ItemSchema(std::string_view schema_json) {
    source_.Parse(schema_json.data(), schema_json.size());
    if (source_.HasParseError()) {
      throw std::invalid_argument(std::string("item schema is not valid JSON: ") +
                                  rapidjson::GetParseError_En(source_.GetParseError()) +
                                  " at offset " + std::to_string(source_.GetErrorOffset()));
    }
    if (!source_.IsObject()) throw std::invalid_argument("item schema is not a JSON object");
    release(std::make_unique<Compiled>(source_));
  }
  ItemSchema(const ItemSchema&) = delete;
  ItemSchema& operator=(const ItemSchema&) = delete;
  ItemSchema(ItemSchema&&) = delete;
  ItemSchema& operator=(ItemSchema&&) = delete;
  ~ItemSchema() = default;

  // nullopt when `item` satisfies the schema. Thread-safe.
  std::optional<Rejection> validate(const rapidjson::Value& item) const {
    std::unique_ptr<Compiled> compiled = acquire();
    compiled->validator.Reset();
    std::optional<Rejection> out;
    if (!item.Accept(compiled->validator)) out = describe(compiled->validator, item);
    release(std::move(compiled));
    return out;
  }

  // The schema as written.
  const rapidjson::Value& source() const { return source_; }

 private:
  // RapidJSON 1.1 keeps a regex's match state inside the compiled schema ("pattern"), so one
  // compiled copy must not serve two validations at once. Each concurrent caller borrows its
  // own copy from a pool; the pool grows to the peak number of concurrent callers.
  struct Compiled {
    rapidjson::SchemaDocument schema;
    rapidjson::SchemaValidator validator;
    explicit Compiled(const rapidjson::Document& source) : schema(source), validator(schema) {}
  };

  std::unique_ptr<Compiled> acquire() const {
    {
      const std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<Compiled> c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    return std::make_unique<Compiled>(source_);
  }
  void release(std::unique_ptr<Compiled> compiled) const {
    const std::lock_guard lock(mu_);
    idle_.push_back(std::move(compiled));
  }

  static std::string pointer_text(const rapidjson::Pointer& pointer) {
    rapidjson::StringBuffer buf;
    pointer.Stringify(buf);
    return {buf.GetString(), buf.GetSize()};
  }

  static std::string compact(const rapidjson::Value& v, std::size_t max_chars = 60) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    std::string text(buf.GetString(), buf.GetSize());
    if (text.size() > max_chars) text = std::string(utf8_prefix(text, max_chars)) + "...";
    return text;
  }

  static std::string type_name(const rapidjson::Value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return "boolean";
    if (v.IsObject()) return "object";
    if (v.IsArray()) return "array";
    if (v.IsString()) return "string";
    if (v.IsInt64() || v.IsUint64()) return "integer";
    return "number";
  }

  // "found <type> <value>", short enough for a log line.
  static std::string found(const rapidjson::Value& v) {
    if (v.IsNull()) return "found null";
    if (v.IsObject()) return "found an object";
    if (v.IsArray()) return "found an array of " + std::to_string(v.Size()) + " items";
    return "found " + type_name(v) + " " + compact(v);
  }

  static const rapidjson::Value* member(const rapidjson::Value& node, const char* name) {
    if (!node.IsObject()) return nullptr;
    auto it = node.FindMember(name);
    return it == node.MemberEnd() ? nullptr : &it->value;
  }

  static std::string argument(const rapidjson::Value& schema, const char* keyword) {
    const rapidjson::Value* v = member(schema, keyword);
    return v == nullptr ? "?" : compact(*v, 200);
  }

  static std::string types(const rapidjson::Value& schema) {
    const rapidjson::Value* t = member(schema, "type");
    if (t == nullptr) return "another type";
    if (t->IsString()) return t->GetString();
    std::string out;
    if (t->IsArray()) {
      for (rapidjson::SizeType i = 0; i < t->Size(); ++i) {
        if (!(*t)[i].IsString()) continue;
        if (!out.empty()) out += i + 1 == t->Size() ? " or " : ", ";
        out += (*t)[i].GetString();
      }
    }
    return out;
  }

  static bool flag(const rapidjson::Value& schema, const char* name) {
    const rapidjson::Value* v = member(schema, name);
    return v != nullptr && v->IsTrue();
  }

  Rejection describe(const rapidjson::SchemaValidator& validator,
                     const rapidjson::Value& item) const {
    const std::string keyword = validator.GetInvalidSchemaKeyword() != nullptr
                                    ? validator.GetInvalidSchemaKeyword()
                                    : "schema";
    std::string path = pointer_text(validator.GetInvalidDocumentPointer());
    const rapidjson::Value* schema = validator.GetInvalidSchemaPointer().Get(source_);
    const rapidjson::Value* value = validator.GetInvalidDocumentPointer().Get(item);
    if (schema == nullptr || value == nullptr) {
      return {keyword + ": does not satisfy the schema", path};
    }
    const rapidjson::Value& s = *schema;
    const rapidjson::Value& v = *value;
    std::string what;
    if (keyword == "type") {
      what = "expected " + types(s) + ", " + found(v);
    } else if (keyword == "required") {
      // Point at the first missing property, where a reader would look for it.
      if (const rapidjson::Value* req = member(s, "required"); req != nullptr && req->IsArray()) {
        for (const auto& name : req->GetArray()) {
          if (name.IsString() && v.IsObject() && !v.HasMember(name)) {
            path += "/" + pointer_token({name.GetString(), name.GetStringLength()});
            return {"required: missing required property " + compact(name), path};
          }
        }
      }
      what = "a required property is missing";
    } else if (keyword == "minimum" || keyword == "maximum") {
      const bool min = keyword == "minimum";
      const bool exclusive = flag(s, min ? "exclusiveMinimum" : "exclusiveMaximum");
      what = std::string("expected a number ") +
             (min ? (exclusive ? "> " : ">= ") : (exclusive ? "< " : "<= ")) +
             argument(s, keyword.c_str()) + ", " + found(v);
    } else if (keyword == "multipleOf") {
      what = "expected a multiple of " + argument(s, "multipleOf") + ", " + found(v);
    } else if (keyword == "minLength" || keyword == "maxLength") {
      what = std::string("expected a string of ") +
             (keyword == "minLength" ? "at least " : "at most ") + argument(s, keyword.c_str()) +
             " characters, " + found(v);
    } else if (keyword == "pattern") {
      what = "expected a string matching " + argument(s, "pattern") + ", " + found(v);
    } else if (keyword == "enum") {
      what = "expected one of " + argument(s, "enum") + ", " + found(v);
    } else if (keyword == "minItems" || keyword == "maxItems") {
      what = std::string("expected an array of ") +
             (keyword == "minItems" ? "at least " : "at most ") + argument(s, keyword.c_str()) +
             " items, " + found(v);
    } else if (keyword == "uniqueItems") {
      what = "expected unique array items, found a repeated " + compact(v);
    } else if (keyword == "additionalProperties") {
      std::string_view key = path;
      key = key.substr(key.rfind('/') == std::string_view::npos ? 0 : key.rfind('/') + 1);
      what = "unexpected property \"" + std::string(key) + "\"";
    } else if (keyword == "minProperties" || keyword == "maxProperties") {
      what = std::string("expected an object with ") +
             (keyword == "minProperties" ? "at least " : "at most ") +
             argument(s, keyword.c_str()) + " properties";
    } else if (keyword == "anyOf" || keyword == "oneOf") {
      what = std::string("expected a value matching ") +
             (keyword == "anyOf" ? "at least one" : "exactly one") + " of the allowed forms, " +
             found(v);
    } else if (keyword == "allOf") {
      what = "expected a value matching all of the required forms, " + found(v);
    } else if (keyword == "not") {
      what = "expected a value not matching the excluded form, " + found(v);
    } else {
      what = "does not satisfy the schema, " + found(v);
    }
    return {keyword + ": " + what, path};
  }

  rapidjson::Document source_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<Compiled>> idle_;
};

}  // namespace cardsync::sdk
