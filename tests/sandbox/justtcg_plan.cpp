#include "sandbox/justtcg_plan.hpp"

#include <array>
#include <cctype>

namespace cardsync::sandbox {
namespace {

constexpr std::array kPlans{
    JustTcgPlan{"free", "Free", 1'000, 100, 10, 20},
    JustTcgPlan{"starter", "Starter", 10'000, 1'000, 50, 100},
    JustTcgPlan{"professional", "Professional", 50'000, 5'000, 100, 100},
    JustTcgPlan{"enterprise", "Enterprise", 500'000, 50'000, 500, 200},
};

bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::span<const JustTcgPlan> justtcg_plans() {
  return kPlans;
}

std::optional<JustTcgPlan> find_justtcg_plan(std::string_view key) {
  for (const auto& plan : kPlans) {
    if (same_text(plan.key, key) || same_text(plan.name, key)) return plan;
  }
  return std::nullopt;
}

}  // namespace cardsync::sandbox
