#include "justtcg_config.hpp"

#include <cardsync/sdk.hpp>

#include <array>
#include <utility>

namespace cardsync::justtcg {
namespace {

constexpr std::array<std::pair<Plan, std::string_view>, 4> kPlans{{
    {Plan::free, "free"},
    {Plan::starter, "starter"},
    {Plan::professional, "professional"},
    {Plan::enterprise, "enterprise"},
}};

std::string_view text_of(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

const rapidjson::Value* find(const rapidjson::Value& section, const char* key) {
  if (!section.IsObject()) return nullptr;
  auto it = section.FindMember(key);
  return it == section.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::string string_option(const rapidjson::Value& section, const char* key) {
  const rapidjson::Value* v = find(section, key);
  if (v == nullptr) return {};
  if (!v->IsString()) {
    throw sdk::Fatal(std::string("providers.justtcg.") + key + " must be a string");
  }
  return std::string(text_of(*v));
}

}  // namespace

std::string_view to_string(Plan plan) {
  for (const auto& [p, name] : kPlans) {
    if (p == plan) return name;
  }
  return "free";
}

std::string_view to_string(Mode mode) {
  return mode == Mode::full ? "full" : "incremental";
}

std::optional<Plan> parse_plan(std::string_view text) {
  for (const auto& [p, name] : kPlans) {
    if (name == text) return p;
  }
  return std::nullopt;
}

std::optional<Mode> parse_mode(std::string_view text) {
  if (text == "full") return Mode::full;
  if (text == "incremental") return Mode::incremental;
  return std::nullopt;
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
  Config c;
  if (std::string url = string_option(section, "base_url"); !url.empty()) c.base_url = url;
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (c.base_url.rfind("http://", 0) != 0 && c.base_url.rfind("https://", 0) != 0) {
    throw sdk::Fatal("providers.justtcg.base_url must start with http:// or https://");
  }

  c.api_key = string_option(section, "api_key");
  if (c.api_key.empty()) {
    throw sdk::Fatal(
        "providers.justtcg.api_key is not set: JustTCG needs an API key (tcg_...) on every "
        "request");
  }

  if (std::string plan = string_option(section, "plan"); !plan.empty()) {
    auto p = parse_plan(plan);
    if (!p) {
      throw sdk::Fatal(
          "providers.justtcg.plan must be one of free, starter, professional, "
          "enterprise, not \"" +
          plan + "\"");
    }
    c.plan = *p;
  }
  if (std::string mode = string_option(section, "mode"); !mode.empty()) {
    auto m = parse_mode(mode);
    if (!m) {
      throw sdk::Fatal("providers.justtcg.mode must be full or incremental, not \"" + mode + "\"");
    }
    c.mode = *m;
  }

  if (const rapidjson::Value* games = find(section, "games")) {
    if (!games->IsArray()) throw sdk::Fatal("providers.justtcg.games must be a list of game slugs");
    for (const auto& g : games->GetArray()) {
      if (!g.IsString() || g.GetStringLength() == 0) {
        throw sdk::Fatal("providers.justtcg.games must hold non-empty game slugs");
      }
      c.games.emplace_back(text_of(g));
    }
  }

  const int max = plan_max_page(c.plan);
  c.page_size = max;
  if (const rapidjson::Value* size = find(section, "page_size")) {
    if (!size->IsInt() || size->GetInt() < 1) {
      throw sdk::Fatal("providers.justtcg.page_size must be a positive integer");
    }
    if (size->GetInt() > max) {
      throw sdk::Fatal("providers.justtcg.page_size " + std::to_string(size->GetInt()) +
                       " is above the " + std::to_string(max) + " the " +
                       std::string(to_string(c.plan)) +
                       " plan allows (JustTCG would answer 403): lower providers.justtcg."
                       "page_size, or set providers.justtcg.plan to this key's plan");
    }
    c.page_size = size->GetInt();
    c.page_size_configured = true;
  }
  return c;
}

}  // namespace cardsync::justtcg
