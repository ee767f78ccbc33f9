#pragma once
// The providers.justtcg config section, read once when the host creates the provider.

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::justtcg {

enum class Plan { free, starter, professional, enterprise };
enum class Mode { full, incremental };

std::string_view to_string(Plan plan);
std::string_view to_string(Mode mode);
std::optional<Plan> parse_plan(std::string_view text);
std::optional<Mode> parse_mode(std::string_view text);
// The largest `limit` (and POST /cards batch) the plan accepts; above it JustTCG answers 403.
int plan_max_page(Plan plan);

struct Config {
  std::string base_url = "https://api.justtcg.com/v1";  // no trailing slash
  std::string api_key;
  Plan plan = Plan::free;
  std::vector<std::string> games;  // empty: every game
  Mode mode = Mode::incremental;
  int page_size = 20;  // the effective page and batch size
  bool page_size_configured = false;

  // Reads an already schema-validated section; also tolerates keys it does not know (the host
  // owns some keys in every provider section). Throws sdk::Fatal naming the key to fix.
  static Config from_json(const rapidjson::Value& section);
};

}  // namespace cardsync::justtcg
