#include "tcgplayer_id.hpp"

#include <cardsync/lookup_key.hpp>

namespace cardsync::justtcg {

TcgplayerId normalise_tcgplayer_id(std::string_view raw) {
  const std::string_view text = sdk::trim_space(raw);
  TcgplayerId out;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    out.problem = "a TCGplayer product id is digits only, e.g. 233180";
    out.problem += sdk::not_one(text);
    return out;
  }
  const auto significant = text.find_first_not_of('0');
  if (significant == std::string_view::npos) {
    out.problem = "a TCGplayer product id is a positive number; 0 is none";
    return out;
  }
  const std::string_view digits = text.substr(significant);
  if (digits.size() > kMaxTcgplayerIdDigits) {
    out.problem = "a TCGplayer product id has at most " + std::to_string(kMaxTcgplayerIdDigits) +
                  " digits; this one has " + std::to_string(digits.size());
    return out;
  }
  out.digits = std::string(digits);
  return out;
}

}  // namespace cardsync::justtcg
