// cardsync-sandbox: serves the emulated upstreams until SIGINT or SIGTERM. The first stdout
// line is "listening on 127.0.0.1:<port>", so a script or test can start it on port 0.
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "sandbox/sandbox.hpp"

int main(int argc, char** argv) {
  using namespace cardsync::sandbox;
  SandboxCommandLine cli;
  try {
    cli = parse_sandbox_command_line(argc, argv);
  } catch (const SandboxUsageError& e) {
    std::cerr << "cardsync-sandbox: " << e.what() << "\n(see --help)\n";
    return 2;
  }
  if (cli.help) {
    std::cout << cli.help_text;
    return 0;
  }
  // Blocked before the server threads exist, so only sigwait below ever sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    Sandbox sandbox(cli.options);
    std::uint16_t port = sandbox.start();
    std::cout << "listening on 127.0.0.1:" << port << std::endl;
    const auto& shape = sandbox.options().catalog;
    std::cerr << "cardsync-sandbox: JustTCG at " << sandbox.base_url() << "/v1 (key "
              << sandbox.options().justtcg.api_key << ", plan "
              << sandbox.options().justtcg.plan.name << "); catalog seed " << shape.seed << ": "
              << shape.games << " games x " << shape.sets_per_game << " sets x "
              << shape.cards_per_set << " cards x " << shape.variants_per_card
              << " variants; truth at " << sandbox.base_url() << "/_sandbox/truth" << std::endl;
    std::cerr << "cardsync-sandbox: PSA at " << sandbox.base_url() << "/publicapi (token "
              << sandbox.options().psa.token << ", " << sandbox.options().psa.daily_quota
              << " calls a day); truth at " << sandbox.base_url() << "/_sandbox/truth/psa"
              << std::endl;
    std::cerr << "cardsync-sandbox: Scryfall at " << sandbox.base_url() << "/scryfall ("
              << sandbox.options().scryfall.sets << " sets x "
              << sandbox.options().scryfall.cards_per_set << " printings, pages of "
              << sandbox.options().scryfall.page_size << "); truth at " << sandbox.base_url()
              << "/_sandbox/truth/scryfall" << std::endl;
    const auto& ptcg = sandbox.options().pokemontcg;
    std::cerr << "cardsync-sandbox: Pokemon TCG at " << sandbox.base_url() << "/pokemontcg/v2 (key "
              << ptcg.api_key << ", optional; " << ptcg.shape.sets << " sets x "
              << ptcg.shape.cards_per_set << " cards); truth at " << sandbox.base_url()
              << "/_sandbox/truth/pokemontcg" << std::endl;
    const auto& ygo = sandbox.options().ygoprodeck;
    std::cerr << "cardsync-sandbox: YGOPRODeck at " << sandbox.base_url() << "/ygoprodeck/api/v7 ("
              << ygo.shape.sets << " sets x " << ygo.shape.cards_per_set << " cards"
              << (ygo.rate_limit != 0 ? ", " + std::to_string(ygo.rate_limit) + " requests/s" : "")
              << "); truth at " << sandbox.base_url() << "/_sandbox/truth/ygoprodeck" << std::endl;
    const auto& vault = sandbox.options().vault;
    std::cerr << "cardsync-sandbox: Vault at " << sandbox.base_url() << "/vault/v1 (bearer token "
              << vault.token << "; " << vault.shape.sets << " sets x " << vault.shape.cards_per_set
              << " cards); truth at " << sandbox.base_url() << "/_sandbox/truth/vault" << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    sandbox.stop();
  } catch (const std::exception& e) {
    std::cerr << "cardsync-sandbox: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
