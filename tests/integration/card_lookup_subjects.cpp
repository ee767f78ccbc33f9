// The providers whose card lookup the suite runs, and what it needs to know of each: its
// sandbox, its config section, the keys of cards the sandbox serves and of none.
#include "card_lookup_subjects.hpp"

#include <cctype>
#include <stdexcept>

#include "sandbox/scryfall_catalog.hpp"

namespace cardsync::integration {
namespace {

// The card lookup of `provider` (cardsync-provider-<provider>.so) whose section is the
// plugin's own `keys` (a JSON object's members) and what `setup` asks of the host.
LookupProviderCase card_case(const std::string& provider,
                             std::function<std::string(const std::string& root)> keys,
                             std::function<void(sandbox::SandboxOptions&)> shape,
                             const CardLookupSetup& setup) {
  LookupProviderCase c;
  c.plugin = std::string(CARDSYNC_PLUGIN_DIR) + "/cardsync-provider-" + provider + ".so";
  c.kind = "card";
  c.section = [keys = std::move(keys), setup](const std::string& root) {
    std::string json = "{" + keys(root) + R"(,"resilience":{"retry":{"max_retries":)" +
                       std::to_string(setup.max_retries) + R"(,"base_delay_seconds":0.1})";
    if (setup.host_daily_quota > 0) {
      json += R"(,"pacing":{"daily_quota":)" + std::to_string(setup.host_daily_quota) + "}";
    }
    return json + "}}";
  };
  c.sandbox = [shape = std::move(shape)](sandbox::SandboxOptions& o) {
    o.catalog.seed = 11;
    o.catalog.invalid_rate = 0;
    shape(o);
  };
  return c;
}

// Scryfall: two sets of six printings. A card is known by its Scryfall id (typed in capitals
// with spaces around it, as a pasted id may be); its records are keyed by that id.
CardLookupSubject scryfall() {
  CardLookupSubject s;
  s.provider = "scryfall";
  s.route = "GET /scryfall/cards/{id}";
  s.lookup = [](const CardLookupSetup& setup) {
    return card_case(
        "scryfall",
        [](const std::string& root) {
          return R"("base_url":")" + root +
                 R"(/scryfall","user_agent":"cardsync-card-lookup-test/1")";
        },
        [](sandbox::SandboxOptions& o) {
          o.scryfall = {2, 6, 175};
          o.catalog.games = 1;
          o.catalog.sets_per_game = 1;
          o.catalog.cards_per_set = 1;
          o.catalog.variants_per_card = 1;
        },
        setup);
  };
  s.card = [](sandbox::Sandbox& sandbox, int i) {
    const auto& o = sandbox.options();
    // The catalog is a pure function of the seed: this copy serves what the sandbox serves.
    const sandbox::ScryfallCatalog catalog(o.catalog.seed, o.catalog.invalid_rate, o.scryfall);
    const sandbox::ScryfallCard c = catalog.card(0, static_cast<std::uint32_t>(i));
    KnownCard k;
    k.key = c.id;
    k.input = " " + c.id + " ";
    for (char& ch : k.input) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    k.record_key = c.id;
    k.name = c.name;
    k.variants = c.finishes.size();
    k.sync_job_type = "scryfall.cards";
    k.sync_job_key = catalog.sets()[0].code;
    return k;
  };
  s.unknown_key = "00000000-0000-4000-8000-000000000000";
  s.invalid_inputs = {"", "lightning bolt", "0a1b2c3d-1111-4222-8333-44445555666"};
  return s;
}

// JustTCG: one game, one set of eight cards with two variants each. A card is known by its
// TCGplayer product id (typed with a leading zero); its records are keyed by JustTCG's ids.
CardLookupSubject justtcg() {
  CardLookupSubject s;
  s.provider = "justtcg";
  s.route = "GET /v1/cards";
  s.lookup = [](const CardLookupSetup& setup) {
    return card_case(
        "justtcg",
        [](const std::string& root) {
          return R"("base_url":")" + root + R"(/v1","api_key":"tcg_sandbox","plan":"enterprise")";
        },
        [](sandbox::SandboxOptions& o) {
          o.catalog.games = 1;
          o.catalog.sets_per_game = 1;
          o.catalog.cards_per_set = 8;
          o.catalog.variants_per_card = 2;
          o.scryfall = {1, 1, 175};
        },
        setup);
  };
  s.card = [](sandbox::Sandbox& sandbox, int i) {
    const sandbox::Catalog& catalog = sandbox.catalog();
    for (std::uint64_t n = 0; n < catalog.card_count(); ++n) {
      const sandbox::CardItem c = catalog.card(n);
      if (!c.tcgplayer_id || i-- > 0) continue;
      KnownCard k;
      k.key = *c.tcgplayer_id;
      k.input = "0" + *c.tcgplayer_id;
      k.record_key = c.id;
      k.name = c.name;
      k.variants = catalog.shape().variants_per_card;
      k.sync_job_type = "justtcg.cards";
      k.sync_job_key = catalog.set(c.set).id;
      k.sync_job_payload = R"({"game":")" + catalog.game(c.game).slug + R"(","mode":"full"})";
      return k;
    }
    throw std::logic_error("the sandbox serves too few cards with a TCGplayer id");
  };
  s.unknown_key = "99999999";
  s.invalid_inputs = {"", "charizard", "42-382"};
  return s;
}

}  // namespace

std::vector<CardLookupSubject> card_lookup_subjects() {
  return {scryfall(), justtcg()};
}

}  // namespace cardsync::integration
