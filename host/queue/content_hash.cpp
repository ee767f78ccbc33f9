#include "queue/content_hash.hpp"

#include <cstdint>

namespace cardsync::queue {
namespace {

constexpr uint64_t kOffset = 14695981039346656037ULL;
constexpr uint64_t kPrime = 1099511628211ULL;

uint64_t mix(uint64_t h, std::string_view bytes) {
  uint64_t n = bytes.size();
  for (int i = 0; i < 8; ++i) {
    h = (h ^ ((n >> (8 * i)) & 0xff)) * kPrime;
  }
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * kPrime;
  return h;
}

}  // namespace

std::string content_hash(std::string_view parent_key, std::string_view source,
                         std::string_view core_json, std::string_view raw_json) {
  uint64_t h = kOffset;
  h = mix(h, parent_key);
  h = mix(h, source);
  h = mix(h, core_json);
  h = mix(h, raw_json);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kHex[h & 0xf];
    h >>= 4;
  }
  return out;
}

}  // namespace cardsync::queue
