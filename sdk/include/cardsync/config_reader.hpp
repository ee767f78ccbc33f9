#pragma once
// cardsync SDK: reading a provider's config section. The host has validated the section
// against the provider's config schema before create(), so these readers mostly apply
// defaults; what they still refuse (a wrong type in a hand-built config, a value the schema
// cannot express) is an sdk::Fatal naming the key to fix, "providers.<name>.<key> ...":
//
//   const sdk::ConfigReader c(section, "providers.psa");
//   config.base_url = c.base_url("base_url", "https://api.psacard.com/publicapi");
//   config.token = c.required_string("token", "PSA needs an access token on every request");
//
// Borrows `section`; read everything in the constructor of the provider. Thread-safe.

#include <cardsync/marshalling.hpp>

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::sdk {

class ConfigReader {
 public:
  // `prefix` is where the section sits in the config file, e.g. "providers.scryfall". A
  // section that is not an object reads as empty.
  ConfigReader(const rapidjson::Value& section, std::string prefix)
      : section_(section), prefix_(std::move(prefix)) {}

  // "<prefix>.<key>", for messages.
  std::string name(std::string_view key) const { return prefix_ + "." + std::string(key); }
  // Throws sdk::Fatal "<prefix>.<key> <what>".
  [[noreturn]] void fail(std::string_view key, std::string_view what) const {
    throw Fatal(name(key) + " " + std::string(what));
  }
  // The member `key`; nullptr when absent or null.
  const rapidjson::Value* find(const char* key) const {
    if (!section_.IsObject()) return nullptr;
    auto it = section_.FindMember(key);
    return it == section_.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
  }

  // A string; `fallback` when absent, null or empty.
  std::string string(const char* key, std::string fallback = {}) const {
    const rapidjson::Value* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->IsString()) fail(key, "must be a string");
    if (v->GetStringLength() == 0) return fallback;
    return {v->GetString(), v->GetStringLength()};
  }
  // A string that must be set; throws "<prefix>.<key> is not set: <why>" otherwise.
  std::string required_string(const char* key, std::string_view why) const {
    std::string s = string(key);
    if (s.empty()) fail(key, "is not set: " + std::string(why));
    return s;
  }
  // An http:// or https:// URL without trailing slashes, so paths append with "/...".
  std::string base_url(const char* key, std::string fallback) const {
    std::string url = string(key, std::move(fallback));
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      fail(key, "must start with http:// or https://");
    }
    return url;
  }
  double number(const char* key, double fallback) const {
    const rapidjson::Value* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->IsNumber()) fail(key, "must be a number");
    return v->GetDouble();
  }
  // An integer; nullopt when absent.
  std::optional<std::int64_t> integer(const char* key) const {
    const rapidjson::Value* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->IsInt64()) fail(key, "must be an integer");
    return v->GetInt64();
  }
  // A list of non-empty strings; `fallback` when absent.
  std::vector<std::string> strings(const char* key, std::vector<std::string> fallback = {}) const {
    const rapidjson::Value* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->IsArray()) fail(key, "must be a list of strings");
    std::vector<std::string> out;
    for (const auto& e : v->GetArray()) {
      if (!e.IsString() || e.GetStringLength() == 0) fail(key, "must hold non-empty strings");
      out.emplace_back(e.GetString(), e.GetStringLength());
    }
    return out;
  }
  // One of the named values of `choices`; `fallback` when absent or empty. Throws
  // "<prefix>.<key> must be one of a, b, not "x"" for any other text.
  template <class T>
  T one_of(const char* key, T fallback,
           std::initializer_list<std::pair<std::string_view, T>> choices) const {
    const std::string text = string(key);
    if (text.empty()) return fallback;
    std::string names;
    for (const auto& [n, value] : choices) {
      if (n == text) return value;
      names += (names.empty() ? "" : ", ") + std::string(n);
    }
    fail(key, "must be one of " + names + ", not \"" + text + "\"");
  }

 private:
  const rapidjson::Value& section_;
  std::string prefix_;
};

}  // namespace cardsync::sdk
