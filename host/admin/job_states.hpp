#pragma once
// The job states the admin API reports and filters on, in the order its JSON lists them.

#include <array>

#include "queue/storage.hpp"

namespace cardsync::admin {

inline constexpr std::array<sdk::JobState, 4> kJobStates = {
    sdk::JobState::queued, sdk::JobState::processing, sdk::JobState::done, sdk::JobState::failed};

}  // namespace cardsync::admin
