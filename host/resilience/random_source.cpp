#include "resilience/random_source.hpp"

namespace cardsync {
namespace {

double to_unit(std::uint64_t bits) {
  // The top 53 bits fill a double's mantissa exactly, so the result is < 1 by construction
  // (std::generate_canonical may round up to 1.0).
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

std::mt19937_64& thread_engine() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine;
}

}  // namespace

double SystemRandom::uniform() {
  return to_unit(thread_engine()());
}

std::uint64_t SystemRandom::bits() {
  return thread_engine()();
}

SystemRandom& SystemRandom::instance() {
  static SystemRandom random;
  return random;
}

double SeededRandom::uniform() {
  return to_unit(bits());
}

std::uint64_t SeededRandom::bits() {
  std::lock_guard lock(mu_);
  return engine_();
}

}  // namespace cardsync
