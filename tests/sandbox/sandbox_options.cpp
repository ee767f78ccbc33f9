#include "sandbox/sandbox_options.hpp"

#include <boost/program_options.hpp>
#include <sstream>

#include "sandbox/control_api.hpp"
#include "sandbox/pokemontcg_flags.hpp"
#include "sandbox/psa_flags.hpp"
#include "sandbox/scryfall_flags.hpp"
#include "sandbox/vault_flags.hpp"
#include "sandbox/ygoprodeck_flags.hpp"

namespace cardsync::sandbox {
namespace {

namespace po = boost::program_options;

double rate(const po::variables_map& vm, const char* name) {
  double value = vm[name].as<double>();
  if (!(value >= 0.0 && value <= 1.0)) {
    throw SandboxUsageError(std::string("--") + name + " must be within [0, 1]");
  }
  return value;
}

}  // namespace

SandboxCommandLine parse_sandbox_command_line(int argc, const char* const* argv) {
  const SandboxOptions defaults;
  po::options_description server("Server");
  server.add_options()("help,h", "show this help")(
      "port", po::value<unsigned>()->default_value(0),
      "TCP port on 127.0.0.1 (0 picks a free one; the first stdout line names it)")(
      "threads", po::value<std::size_t>()->default_value(defaults.threads), "io threads");
  po::options_description catalog("Catalog (deterministic from the seed)");
  catalog.add_options()("seed", po::value<std::uint64_t>()->default_value(defaults.catalog.seed),
                        "catalog seed")(
      "games", po::value<std::uint32_t>()->default_value(defaults.catalog.games), "games")(
      "sets-per-game", po::value<std::uint32_t>()->default_value(defaults.catalog.sets_per_game),
      "sets in each game")(
      "cards-per-set", po::value<std::uint32_t>()->default_value(defaults.catalog.cards_per_set),
      "cards in each set")(
      "variants-per-card",
      po::value<std::uint32_t>()->default_value(defaults.catalog.variants_per_card),
      "variants (condition x printing x language) per card, at most 64")(
      "invalid-rate", po::value<double>()->default_value(0.0),
      "fraction of cards with a schema defect, on the card or on one of its variants")(
      "mutate", po::value<double>()->default_value(0.0),
      "fraction of prices that change at start, in every catalog (lastUpdated = start time)");
  po::options_description api("JustTCG");
  api.add_options()("api-key", po::value<std::string>()->default_value(defaults.justtcg.api_key),
                    "the accepted x-api-key")(
      "plan", po::value<std::string>()->default_value("enterprise"),
      "free | starter | professional | enterprise: maximum limit and reported figures")(
      "rate-limit", po::value<std::uint32_t>()->default_value(0),
      "enforced requests per minute (429 RATE_LIMIT_EXCEEDED); 0 = off")(
      "daily-limit", po::value<std::uint64_t>()->default_value(0),
      "enforced requests per UTC day (429 DAILY_LIMIT_EXCEEDED); 0 = off")(
      "monthly-limit", po::value<std::uint64_t>()->default_value(0),
      "enforced requests per month (429 REQUEST_LIMIT_EXCEEDED); 0 = off");
  po::options_description faults("Faults (seeded RNG; /_sandbox/faults changes them at runtime)");
  faults.add_options()("fail-rate", po::value<double>()->default_value(0.0),
                       "fraction answered 500 or 503")(
      "throttle-rate", po::value<double>()->default_value(0.0), "fraction answered 429")(
      "retry-after-form", po::value<std::string>()->default_value("seconds"),
      "Retry-After on 429s: seconds | date | none")("retry-after",
                                                    po::value<std::int64_t>()->default_value(1),
                                                    "seconds announced by injected 429s")(
      "hang-rate", po::value<double>()->default_value(0.0), "fraction accepted and never answered")(
      "truncate-rate", po::value<double>()->default_value(0.0),
      "fraction of 200s whose body is cut short (connection closed)")(
      "repeat-rate", po::value<double>()->default_value(0.0),
      "fraction of pages that also carry the next page's first item")(
      "short-page-rate", po::value<double>()->default_value(0.0),
      "fraction of pages served with meta.limit below the limit asked")(
      "outage-start", po::value<double>(),
      "outage window start, seconds since server start (all requests 503)")(
      "outage-duration", po::value<double>()->default_value(0.0), "outage window length, seconds")(
      "latency-ms", po::value<std::int64_t>()->default_value(0), "added latency per request");
  po::options_description all(
      "cardsync-sandbox: a local emulator of the JustTCG, PSA, Scryfall, Pokemon TCG and "
      "YGOPRODeck APIs, and the invented Vault API");
  all.add(server)
      .add(catalog)
      .add(api)
      .add(faults)
      .add(psa_flags(defaults.psa))
      .add(scryfall_flags(defaults.scryfall))
      .add(pokemontcg_flags(defaults.pokemontcg))
      .add(ygoprodeck_flags(defaults.ygoprodeck))
      .add(vault_flags(defaults.vault));

  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, all), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw SandboxUsageError(e.what());
  }

  SandboxCommandLine out;
  std::ostringstream help;
  help << all;
  out.help_text = help.str();
  if (vm.count("help") != 0) {
    out.help = true;
    return out;
  }
  SandboxOptions& o = out.options;
  unsigned port = vm["port"].as<unsigned>();
  if (port > 65535) throw SandboxUsageError("--port must be within [0, 65535]");
  o.port = static_cast<std::uint16_t>(port);
  o.threads = vm["threads"].as<std::size_t>();
  if (o.threads == 0 || o.threads > 64) throw SandboxUsageError("--threads must be within [1, 64]");

  o.catalog.seed = vm["seed"].as<std::uint64_t>();
  o.catalog.games = vm["games"].as<std::uint32_t>();
  o.catalog.sets_per_game = vm["sets-per-game"].as<std::uint32_t>();
  o.catalog.cards_per_set = vm["cards-per-set"].as<std::uint32_t>();
  o.catalog.variants_per_card = vm["variants-per-card"].as<std::uint32_t>();
  if (o.catalog.games == 0 || o.catalog.sets_per_game == 0 || o.catalog.cards_per_set == 0 ||
      o.catalog.variants_per_card == 0) {
    throw SandboxUsageError(
        "--games, --sets-per-game, --cards-per-set, --variants-per-card "
        "must be at least 1");
  }
  if (o.catalog.variants_per_card > Catalog::kMaxVariantsPerCard) {
    throw SandboxUsageError("--variants-per-card is at most " +
                            std::to_string(Catalog::kMaxVariantsPerCard));
  }
  o.catalog.invalid_rate = rate(vm, "invalid-rate");
  o.mutate = rate(vm, "mutate");

  o.justtcg.api_key = vm["api-key"].as<std::string>();
  if (o.justtcg.api_key.empty()) throw SandboxUsageError("--api-key must not be empty");
  auto plan = find_justtcg_plan(vm["plan"].as<std::string>());
  if (!plan) {
    throw SandboxUsageError("--plan must be free, starter, professional or enterprise, not '" +
                            vm["plan"].as<std::string>() + "'");
  }
  o.justtcg.plan = *plan;
  o.justtcg.rate_limit = vm["rate-limit"].as<std::uint32_t>();
  o.justtcg.daily_limit = vm["daily-limit"].as<std::uint64_t>();
  o.justtcg.monthly_limit = vm["monthly-limit"].as<std::uint64_t>();
  read_psa_flags(vm, o.psa);
  read_scryfall_flags(vm, o.scryfall);
  read_pokemontcg_flags(vm, o.pokemontcg);
  read_ygoprodeck_flags(vm, o.ygoprodeck);
  read_vault_flags(vm, o.vault);

  FaultOptions& f = o.faults;
  f.fail_rate = rate(vm, "fail-rate");
  f.throttle_rate = rate(vm, "throttle-rate");
  f.hang_rate = rate(vm, "hang-rate");
  f.truncate_rate = rate(vm, "truncate-rate");
  f.repeat_rate = rate(vm, "repeat-rate");
  f.short_page_rate = rate(vm, "short-page-rate");
  auto form = parse_retry_after_form(vm["retry-after-form"].as<std::string>());
  if (!form) throw SandboxUsageError("--retry-after-form must be seconds, date or none");
  f.retry_after_form = *form;
  auto retry_after = vm["retry-after"].as<std::int64_t>();
  if (retry_after < 0) throw SandboxUsageError("--retry-after must be >= 0");
  f.retry_after = std::chrono::seconds(retry_after);
  f.outage_duration = vm["outage-duration"].as<double>();
  if (f.outage_duration < 0) throw SandboxUsageError("--outage-duration must be >= 0");
  if (vm.count("outage-start") != 0) {
    f.outage_start = vm["outage-start"].as<double>();
    if (f.outage_start < 0) throw SandboxUsageError("--outage-start must be >= 0");
  } else if (f.outage_duration > 0) {
    f.outage_start = 0;
  }
  auto latency = vm["latency-ms"].as<std::int64_t>();
  if (latency < 0) throw SandboxUsageError("--latency-ms must be >= 0");
  f.latency = std::chrono::milliseconds(latency);
  return out;
}

}  // namespace cardsync::sandbox
