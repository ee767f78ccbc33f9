#include "schedule/schedule_options.hpp"

#include <algorithm>
#include <cstdint>

namespace cardsync::embedded {
extern const std::string_view schedule_schema_json;
}

namespace cardsync::schedule {

std::string_view schedule_section_schema() {
  return embedded::schedule_schema_json;
}

ScheduleOptions read_schedule_options(const rapidjson::Value* s) {
  ScheduleOptions o;
  if (s == nullptr || !s->IsObject()) return o;
  if (auto it = s->FindMember("every_seconds"); it != s->MemberEnd() && it->value.IsInt64()) {
    o.every = std::chrono::seconds(std::max<int64_t>(0, it->value.GetInt64()));
  }
  if (auto it = s->FindMember("on_start"); it != s->MemberEnd() && it->value.IsBool()) {
    o.on_start = it->value.GetBool();
  }
  return o;
}

}  // namespace cardsync::schedule
