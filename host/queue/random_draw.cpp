#include "queue/random_draw.hpp"

#include <random>

namespace cardsync::queue {
namespace {

std::mt19937_64& engine() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return gen;
}

}  // namespace

double system_uniform() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine());
}

std::string new_lease_token() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    uint64_t v = engine()();
    for (int i = 0; i < 16; ++i) {
      out[(static_cast<size_t>(half) * 16) + static_cast<size_t>(i)] = kHex[v & 0xf];
      v >>= 4;
    }
  }
  return out;
}

}  // namespace cardsync::queue
