#pragma once
// JustTCG's plans as upstream documents them (docs/upstream-apis.md): monthly, daily and
// per-minute request figures, and the largest `limit` (and POST /cards batch) each allows.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace cardsync::sandbox {

struct JustTcgPlan {
  std::string_view key;   // as given to --plan
  std::string_view name;  // as reported in _metadata.apiPlan
  std::uint64_t monthly = 0;
  std::uint64_t daily = 0;
  std::uint32_t per_minute = 0;
  std::uint32_t max_limit = 0;
};

std::span<const JustTcgPlan> justtcg_plans();
// Case-insensitive key or name.
std::optional<JustTcgPlan> find_justtcg_plan(std::string_view key);

}  // namespace cardsync::sandbox
