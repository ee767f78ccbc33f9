#include "http/user_agent.hpp"

namespace cardsync {

std::string_view user_agent() noexcept {
  return "cardsync/" CARDSYNC_VERSION_STRING;
}

}  // namespace cardsync
