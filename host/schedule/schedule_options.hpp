#pragma once
// The provider host key `schedule` (schema: schedule_schema.json) as typed options: how often
// `cardsync serve` plans a provider's sync.

#include <rapidjson/document.h>

#include <chrono>
#include <string_view>

namespace cardsync::schedule {

// JSON Schema of the provider host key `schedule`.
std::string_view schedule_section_schema();

struct ScheduleOptions {
  std::chrono::seconds every{0};  // 0: never repeats
  bool on_start = true;
};
// `section` is a provider section's validated `schedule` value, or nullptr.
ScheduleOptions read_schedule_options(const rapidjson::Value* section);

}  // namespace cardsync::schedule
