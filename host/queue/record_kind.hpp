#pragma once
// The canonical record kinds by name, as the admin API, metrics and the CLI print them.

#include <cardsync/abi.h>

#include <array>
#include <string_view>

namespace cardsync::queue {

// "game", "set", "card", "variant", "graded_cert", "cert_image"; "unknown" for anything else.
constexpr std::string_view kind_name(uint32_t kind) noexcept {
  constexpr std::array<std::string_view, 7> kNames = {"unknown", "game",        "set",       "card",
                                                      "variant", "graded_cert", "cert_image"};
  const auto i = static_cast<std::size_t>(kind);
  return i < kNames.size() ? kNames[i] : kNames[0];
}

}  // namespace cardsync::queue
