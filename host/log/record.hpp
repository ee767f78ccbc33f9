#pragma once
// One log event as every sink receives it: already filtered by level and already redacted,
// so no sink (terminal, storage) can leak a secret or needs to repeat the rule.

#include <string>
#include <vector>

#include "log/field.hpp"
#include "log/level.hpp"
#include "time/clock.hpp"

namespace cardsync::log {

struct Record {
  Clock::WallTime ts;
  Level level = Level::info;
  std::string message;
  // Empty when the event belongs to no request; formats then omit it.
  std::string request_id;
  // In the order the caller gave them.
  std::vector<Field> fields;
};

}  // namespace cardsync::log
