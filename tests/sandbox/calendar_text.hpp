#pragma once
// Dates as the emulated upstreams write them, from epoch seconds (UTC): Pokémon TCG's
// "2023/03/31" and "2023/03/31 15:00:00", YGOPRODeck's "2002-03-08".

#include <cstdint>
#include <string>

namespace cardsync::sandbox {

// "YYYY<sep>MM<sep>DD"
std::string date_text(std::int64_t epoch_seconds, char separator);
// "YYYY<sep>MM<sep>DD HH:MM:SS"
std::string date_time_text(std::int64_t epoch_seconds, char separator);
// 00:00:00 UTC of the day holding `epoch_seconds`.
std::int64_t start_of_day(std::int64_t epoch_seconds);

}  // namespace cardsync::sandbox
