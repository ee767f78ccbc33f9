#include "lookup_key.hpp"

#include <cardsync/sdk.hpp>

#include <cctype>

namespace cardsync::rest {

KeyRule KeyRule::parse(const rapidjson::Value* spec, Problems& problems,
                       const std::string& pointer) {
  KeyRule out;
  if (spec == nullptr || !spec->IsObject()) return out;
  if (auto it = spec->FindMember("trim"); it != spec->MemberEnd()) out.trim_ = it->value.IsTrue();
  if (auto it = spec->FindMember("remove"); it != spec->MemberEnd() && it->value.IsString()) {
    out.remove_ = it->value.GetString();
  }
  if (auto it = spec->FindMember("case"); it != spec->MemberEnd() && it->value.IsString()) {
    const std::string_view c = it->value.GetString();
    out.case_ = c == "upper" ? Case::upper : c == "lower" ? Case::lower : Case::keep;
  }
  if (auto it = spec->FindMember("message"); it != spec->MemberEnd() && it->value.IsString()) {
    out.message_ = it->value.GetString();
  }
  if (auto it = spec->FindMember("pattern"); it != spec->MemberEnd() && it->value.IsString()) {
    out.pattern_text_ = it->value.GetString();
    try {
      out.pattern_ = std::make_shared<const std::regex>(out.pattern_text_, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      problems.add(pointer + "/pattern",
                   "\"" + out.pattern_text_ + "\" is not a regular expression: " + e.what());
    }
  }
  return out;
}

std::string KeyRule::normalise(std::string_view input) const {
  std::string key(input);
  if (trim_) {
    const auto b = key.find_first_not_of(" \t\r\n");
    key = b == std::string::npos ? std::string()
                                 : key.substr(b, key.find_last_not_of(" \t\r\n") - b + 1);
  }
  if (!remove_.empty()) {
    std::string kept;
    for (char c : key) {
      if (remove_.find(c) == std::string::npos) kept += c;
    }
    key = std::move(kept);
  }
  for (char& c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (case_ == Case::upper) c = static_cast<char>(std::toupper(u));
    if (case_ == Case::lower) c = static_cast<char>(std::tolower(u));
  }
  const bool matches = pattern_ ? std::regex_match(key, *pattern_) : !key.empty();
  if (!matches) {
    std::string m = message_.empty() ? "a key must match " + pattern_text_ : message_;
    if (!input.empty()) m += "; \"" + std::string(input.substr(0, 40)) + "\" does not";
    throw sdk::Permanent(m);
  }
  return key;
}

}  // namespace cardsync::rest
