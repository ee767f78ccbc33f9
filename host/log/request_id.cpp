#include "log/request_id.hpp"

#include <unistd.h>

#include <array>
#include <cstdint>
#include <random>

namespace cardsync::log {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr size_t kLength = 16;

struct Generator {
  std::mt19937_64 engine;
  pid_t owner = -1;

  void seed() {
    std::random_device device;
    std::array<std::uint32_t, 8> entropy{};
    for (auto& word : entropy) word = device();
    std::seed_seq seq(entropy.begin(), entropy.end());
    engine.seed(seq);
    owner = ::getpid();
  }
};

}  // namespace

std::string new_request_id() {
  thread_local Generator gen;
  // A forked child inherits the parent's engine state; reseed so the two never repeat ids.
  if (gen.owner != ::getpid()) gen.seed();
  const std::uint64_t hi = gen.engine();
  const std::uint64_t lo = gen.engine();
  std::string id(kLength, '\0');
  // 5 bits per character: 12 from `hi` (60 bits), 4 from `lo` (20 bits).
  for (size_t i = 0; i < 12; ++i) id[i] = kAlphabet[(hi >> (5 * i)) & 31U];
  for (size_t i = 0; i < 4; ++i) id[12 + i] = kAlphabet[(lo >> (5 * i)) & 31U];
  return id;
}

bool is_valid_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace cardsync::log
