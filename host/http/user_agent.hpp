#pragma once

#include <string_view>

namespace cardsync {

// "cardsync/<version>", sent on every upstream request.
std::string_view user_agent() noexcept;

}  // namespace cardsync
