#pragma once
// Small inline schemas standing in for host areas and plugins, so config tests do not depend
// on the real plugins being built.

#include <string_view>

#include "config/schema_set.hpp"

namespace cardsync::config::fixtures {

inline constexpr std::string_view kLogSection = R"({
  "description": "Logging.",
  "type": "object",
  "properties": {
    "level": {"description": "Lowest level written.", "enum": ["debug", "info", "warn", "error"],
              "default": "info"},
    "format": {"description": "Line format.", "type": "string", "enum": ["auto", "json", "text"],
               "default": "auto"}
  }
})";

inline constexpr std::string_view kResilienceKey = R"({
  "description": "Per-provider resilience overrides.",
  "type": "object",
  "properties": {
    "max_attempts": {"description": "Attempts per job.", "type": "integer", "minimum": 1,
                     "default": 5},
    "breaker": {"type": "object", "properties": {
      "failure_threshold": {"type": "integer", "minimum": 1, "default": 5}}}
  }
})";

inline constexpr std::string_view kJustTcg = R"({
  "description": "JustTCG catalog and prices.",
  "type": "object",
  "properties": {
    "api_key": {"description": "API key.", "type": "string", "minLength": 1},
    "plan": {"description": "Subscription plan.",
             "enum": ["free", "starter", "professional", "enterprise"], "default": "free"},
    "requests_per_minute": {"description": "Pacing.", "type": "integer", "minimum": 1,
                            "maximum": 600, "default": 30},
    "base_url": {"description": "API root.", "type": "string", "pattern": "^https?://",
                 "default": "https://api.justtcg.com/v1"},
    "games": {"description": "Games to sync.", "type": "array", "items": {"type": "string"},
              "default": ["pokemon"]},
    "verbose": {"type": "boolean", "default": false}
  },
  "required": ["api_key"]
})";

inline constexpr std::string_view kPsa = R"({
  "type": "object",
  "properties": {
    "token": {"type": "string"},
    "daily_quota": {"type": "integer", "minimum": 0, "default": 100}
  },
  "required": ["token"]
})";

inline constexpr std::string_view kSqlite = R"({
  "properties": {
    "path": {"type": "string", "default": "cardsync.db"},
    "busy_timeout_ms": {"type": "integer", "minimum": 0, "default": 5000}
  }
})";

inline constexpr std::string_view kPostgres = R"({
  "properties": {"url": {"type": "string"}},
  "required": ["url"]
})";

// The host schema with a log section, the resilience key and four plugins, as after loading.
inline SchemaSet full_schema_set() {
  SchemaSet set;
  set.add_section("log", kLogSection);
  set.add_provider_host_key("resilience", kResilienceKey);
  set.add_plugin("providers", "justtcg", kJustTcg);
  set.add_plugin("providers", "psa", kPsa);
  set.add_plugin("storage", "sqlite", kSqlite);
  set.add_plugin("storage", "postgres", kPostgres);
  return set;
}

}  // namespace cardsync::config::fixtures
