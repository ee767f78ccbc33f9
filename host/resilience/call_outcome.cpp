#include "resilience/call_outcome.hpp"

namespace cardsync {

std::string describe(const CallFailed& f) {
  std::string out = "upstream call failed after " + std::to_string(f.attempts) +
                    (f.attempts == 1 ? " attempt (" : " attempts (") +
                    std::string(to_string(f.stop)) + ")";
  if (f.last_cause.status != 0) out += ": HTTP " + std::to_string(f.last_cause.status);
  if (!f.last_cause.message.empty()) out += ": " + f.last_cause.message;
  return out;
}

}  // namespace cardsync
