#pragma once
// Randomness the queue needs: jitter draws and lease tokens. Jitter is injectable (a
// std::function returning [0, 1)) so tests replay exact schedules.

#include <functional>
#include <string>

namespace cardsync::queue {

using UniformDraw = std::function<double()>;

// Uniform in [0, 1) from a per-thread generator seeded by std::random_device.
double system_uniform();

// 32 hex digits from the per-thread generator: unique enough that a stale holder can never
// guess the token of a later claim.
std::string new_lease_token();

}  // namespace cardsync::queue
