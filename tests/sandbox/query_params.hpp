#pragma once
// The query string of a request target, percent-decoded ("+" is a space). A repeated name
// keeps its last value, as most upstream frameworks do.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::sandbox {

class QueryParams {
 public:
  QueryParams() = default;
  // `query` is what follows '?' (without it).
  static QueryParams parse(std::string_view query);

  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  const std::map<std::string, std::string, std::less<>>& all() const { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace cardsync::sandbox
