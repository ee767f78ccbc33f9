#pragma once
// How a lookup turns a key as a person typed it into the canonical key: trim, drop listed
// characters, change case, then check a pattern. Declarative on purpose: a key that needs
// more is a native provider's job. Compiled once; normalise() is thread-safe.

#include <rapidjson/document.h>

#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "problems.hpp"

namespace cardsync::rest {

class KeyRule {
 public:
  // `spec` may be null (trim only).
  static KeyRule parse(const rapidjson::Value* spec, Problems& problems,
                       const std::string& pointer);
  // The canonical key; throws sdk::Permanent saying what a key looks like.
  std::string normalise(std::string_view input) const;

 private:
  enum class Case { keep, upper, lower };
  bool trim_ = true;
  std::string remove_;
  Case case_ = Case::keep;
  std::shared_ptr<const std::regex> pattern_;
  std::string pattern_text_;
  std::string message_;
};

}  // namespace cardsync::rest
