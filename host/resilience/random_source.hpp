#pragma once
// The host's one source of randomness: jitter draws (HTTP retries, job retries, storage write
// retries) and lease tokens. Injected, so tests replay a sequence; in production one
// generator per thread, so the retry path takes no shared lock.

#include <cstdint>
#include <mutex>
#include <random>

namespace cardsync {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Uniform in [0, 1). Thread-safe.
  virtual double uniform() = 0;
  // 64 uniformly random bits. Thread-safe.
  virtual std::uint64_t bits() = 0;
};

// One generator per thread, seeded from std::random_device.
class SystemRandom final : public RandomSource {
 public:
  double uniform() override;
  std::uint64_t bits() override;
  static SystemRandom& instance();
};

// Reproducible sequence for tests and simulations; serialised by a mutex.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  double uniform() override;
  std::uint64_t bits() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace cardsync
