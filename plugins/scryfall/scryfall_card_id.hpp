#pragma once
// What a Scryfall card id is once a person has typed or pasted it: a UUID
// (8-4-4-4-12 hex digits) in lowercase, as Scryfall writes its ids, with surrounding spaces
// dropped. The card lookup's keys are these, and a job key must already be one, so a typo
// never costs a request.

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::scryfall {

struct CardId {
  std::optional<std::string> uuid;  // the canonical id when valid
  std::string problem;              // why not, fit to show the user
};

CardId normalise_card_id(std::string_view raw);

}  // namespace cardsync::scryfall
