#include "resilience/random_source.hpp"

namespace cardsync {
namespace {

double to_unit(std::uint64_t bits) {
  // The top 53 bits fill a double's mantissa exactly, so the result is < 1 by construction
  // (std::generate_canonical may round up to 1.0).
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

}  // namespace

double SystemRandom::uniform() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  return to_unit(engine());
}

SystemRandom& SystemRandom::instance() {
  static SystemRandom random;
  return random;
}

double SeededRandom::uniform() {
  std::lock_guard lock(mu_);
  return to_unit(engine_());
}

}  // namespace cardsync
