#pragma once
// One emulated upstream (JustTCG, PSA, Scryfall, Pokémon TCG, YGOPRODeck): its routes live under
// one mount path, and it renders the errors the server produces on its behalf (injected faults,
// unknown paths) in its own error shape, so a fault looks like that API's fault.

#include <string_view>

#include "sandbox/api_message.hpp"

namespace cardsync::sandbox {

class Router;

class UpstreamApi {
 public:
  virtual ~UpstreamApi() = default;
  virtual std::string_view name() const = 0;
  // Path prefix of every route, e.g. "/v1" or "/publicapi".
  virtual std::string_view mount_path() const = 0;
  virtual void add_routes(Router& router) = 0;
  virtual ApiResponse error(unsigned status, std::string_view code,
                            std::string_view message) const = 0;
};

}  // namespace cardsync::sandbox
