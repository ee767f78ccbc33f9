#include "justtcg_config.hpp"

#include <cardsync/config_reader.hpp>

#include <initializer_list>
#include <utility>

namespace cardsync::justtcg {
namespace {

const std::initializer_list<std::pair<std::string_view, Plan>> kPlans{
    {"free", Plan::free},
    {"starter", Plan::starter},
    {"professional", Plan::professional},
    {"enterprise", Plan::enterprise}};
const std::initializer_list<std::pair<std::string_view, Mode>> kModes{
    {"full", Mode::full}, {"incremental", Mode::incremental}};

template <class T>
std::optional<T> parse(std::initializer_list<std::pair<std::string_view, T>> names,
                       std::string_view text) {
  for (const auto& [name, value] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Plan plan) {
  for (const auto& [name, p] : kPlans) {
    if (p == plan) return name;
  }
  return "free";
}

std::string_view to_string(Mode mode) {
  return mode == Mode::full ? "full" : "incremental";
}

std::optional<Plan> parse_plan(std::string_view text) {
  return parse(kPlans, text);
}

std::optional<Mode> parse_mode(std::string_view text) {
  return parse(kModes, text);
}

int plan_max_page(Plan plan) {
  switch (plan) {
    case Plan::free:
      return 20;
    case Plan::starter:
    case Plan::professional:
      return 100;
    case Plan::enterprise:
      return 200;
  }
  return 20;
}

Config Config::from_json(const rapidjson::Value& section) {
  const sdk::ConfigReader r(section, "providers.justtcg");
  Config c;
  c.base_url = r.base_url("base_url", c.base_url);
  c.api_key = r.required_string("api_key", "JustTCG needs an API key (tcg_...) on every request");
  c.plan = r.one_of("plan", c.plan, kPlans);
  c.mode = r.one_of("mode", c.mode, kModes);
  c.games = r.strings("games");
  const int max = plan_max_page(c.plan);
  c.page_size = max;
  if (const auto size = r.integer("page_size")) {
    if (*size < 1) r.fail("page_size", "must be a positive integer");
    if (*size > max) {
      r.fail("page_size", std::to_string(*size) + " is above the " + std::to_string(max) + " the " +
                              std::string(to_string(c.plan)) +
                              " plan allows (JustTCG would answer 403): lower "
                              "providers.justtcg.page_size, or set providers.justtcg.plan to "
                              "this key's plan");
    }
    c.page_size = static_cast<int>(*size);
    c.page_size_configured = true;
  }
  return c;
}

}  // namespace cardsync::justtcg
