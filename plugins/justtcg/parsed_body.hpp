#pragma once
// A response body parsed into a DOM that still knows where each object came from, so a
// record or a quarantined item can keep the upstream item exactly as received (same digits,
// same key order, same whitespace) rather than a re-serialisation of it.

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cardsync::justtcg {

class ParsedBody {
 public:
  // Parses `text`, which must outlive this object. Never throws on bad JSON: see ok().
  explicit ParsedBody(std::string_view text);
  ParsedBody(const ParsedBody&) = delete;
  ParsedBody& operator=(const ParsedBody&) = delete;

  bool ok() const { return error_.empty(); }
  // Why parsing failed ("Invalid value. at offset 17"); empty when ok().
  const std::string& error() const { return error_; }
  const rapidjson::Value& root() const { return doc_; }

  // The source text of `value`, which must belong to root(): the exact bytes for objects,
  // a compact re-serialisation for anything else.
  std::string raw(const rapidjson::Value& value) const;

 private:
  std::string_view text_;
  rapidjson::Document doc_;
  std::string error_;
  std::unordered_map<const rapidjson::Value*, std::string_view> objects_;
};

}  // namespace cardsync::justtcg
