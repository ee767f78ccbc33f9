#pragma once
// Dates as the emulated upstreams write them, from epoch seconds (UTC): Pokémon TCG's
// "2023/03/31" and "2023/03/31 15:00:00", YGOPRODeck's "2002-03-08", the Vault's
// "2023-03-31T15:00:00Z".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cardsync::sandbox {

// "YYYY<sep>MM<sep>DD"
std::string date_text(std::int64_t epoch_seconds, char separator);
// "YYYY<sep>MM<sep>DD HH:MM:SS"
std::string date_time_text(std::int64_t epoch_seconds, char separator);
// "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339, UTC)
std::string iso_timestamp_text(std::int64_t epoch_seconds);
// The epoch seconds of exactly that form; nullopt for anything else.
std::optional<std::int64_t> parse_iso_timestamp(std::string_view text);
// 00:00:00 UTC of the day holding `epoch_seconds`.
std::int64_t start_of_day(std::int64_t epoch_seconds);

}  // namespace cardsync::sandbox
