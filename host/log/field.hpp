#pragma once
// One structured key/value on a log record. Values keep their JSON type (string, integer,
// number, boolean) so log queries can filter numerically instead of parsing text.

#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cardsync::log {

struct Field {
  using Value = std::variant<std::string, std::int64_t, double, bool>;

  std::string key;
  Value value;

  // Explicit overloads because a bare variant would turn `"text"` into `true` (pointer to
  // bool beats the user-defined conversion to std::string) and refuse size_t outright.
  Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  Field(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, bool v) : key(std::move(k)), value(v) {}
  template <std::floating_point T>
  Field(std::string k, T v) : key(std::move(k)), value(static_cast<double>(v)) {}
  template <std::integral T>
  requires(!std::same_as<T, bool>) Field(std::string k, T v)
      : key(std::move(k)), value(to_int64(v)) {}

  friend bool operator==(const Field&, const Field&) = default;

 private:
  // Counts above INT64_MAX cannot occur in practice; saturating keeps the sign honest.
  template <std::integral T>
  static std::int64_t to_int64(T v) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      constexpr auto kMax = static_cast<T>(std::numeric_limits<std::int64_t>::max());
      if (v > kMax) return std::numeric_limits<std::int64_t>::max();
    }
    return static_cast<std::int64_t>(v);
  }
};

}  // namespace cardsync::log
