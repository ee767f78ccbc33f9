#include "sandbox/sandbox.hpp"

#include <chrono>

namespace cardsync::sandbox {

Sandbox::Sandbox(SandboxOptions options, Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      catalog_(options_.catalog),
      faults_(options_.catalog.seed, options_.faults, clock_),
      justtcg_(catalog_, options_.justtcg, faults_, stats_),
      psa_(options_.psa, faults_),
      scryfall_(options_.catalog.seed, options_.catalog.invalid_rate, options_.scryfall, faults_,
                stats_),
      pokemontcg_(options_.catalog.seed, options_.pokemontcg, faults_, stats_),
      ygoprodeck_(options_.catalog.seed, options_.ygoprodeck, faults_, stats_),
      vault_(options_.catalog.seed, options_.catalog.invalid_rate, options_.vault, faults_, stats_),
      control_(
          catalog_, faults_, stats_, truth_,
          {{"pokemontcg",
            [this](double f, std::int64_t now) { return pokemontcg_.catalog().mutate(f, now); }},
           {"ygoprodeck",
            [this](double f, std::int64_t now) { return ygoprodeck_.catalog().mutate(f, now); }},
           {"vault",
            [this](double f, std::int64_t now) { return vault_.catalog().mutate(f, now); }}}) {
  router_.mount(justtcg_);
  router_.mount(psa_);
  psa_.add_control_routes(router_);
  router_.mount(scryfall_);
  scryfall_.add_control_routes(router_);
  router_.mount(pokemontcg_);
  pokemontcg_.add_control_routes(router_);
  router_.mount(ygoprodeck_);
  ygoprodeck_.add_control_routes(router_);
  router_.mount(vault_);
  vault_.add_control_routes(router_);
  control_.add_routes(router_);
}

Sandbox::~Sandbox() {
  stop();
}

std::uint16_t Sandbox::start() {
  if (options_.mutate > 0) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch());
    catalog_.mutate(options_.mutate, now.count());
    pokemontcg_.catalog().mutate(options_.mutate, now.count());
    ygoprodeck_.catalog().mutate(options_.mutate, now.count());
    vault_.catalog().mutate(options_.mutate, now.count());
  }
  faults_.mark_start();
  server_ = std::make_unique<HttpServer>(router_, faults_, stats_, options_.threads);
  return server_->start(options_.port);
}

void Sandbox::stop() {
  if (server_) server_->stop();
}

std::uint16_t Sandbox::port() const {
  return server_ ? server_->port() : 0;
}

std::string Sandbox::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

}  // namespace cardsync::sandbox
