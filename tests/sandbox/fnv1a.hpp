#pragma once
// FNV-1a 64-bit: the hash the truth checksum is defined with (README, "Truth"), chosen because
// any language or SQL engine can reproduce it in a few lines.

#include <cstdint>
#include <string_view>

namespace cardsync::sandbox {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t kFnv1aPrime = 0x100000001b3ULL;

constexpr std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = kFnv1aOffset) {
  for (char c : bytes) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= kFnv1aPrime;
  }
  return hash;
}

}  // namespace cardsync::sandbox
