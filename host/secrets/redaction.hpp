#pragma once
// One rule for what counts as a secret, used wherever config, errors or log fields are
// printed, so a credential can never leak through one path while another hides it.

#include <string>
#include <string_view>

namespace cardsync {

inline constexpr std::string_view kRedacted = "***";

// True for keys named like *key*, *token*, *secret*, *password* (case-insensitive),
// plus `authorization`. Thread-safe, no allocation.
bool is_secret_key(std::string_view key) noexcept;

// The same rule for structured log fields, except the names the host itself uses for job
// and record identities ("key", "job_key", "parent_key", "cache_key"), which are data
// identifiers that operators must be able to read and search for.
bool is_secret_field(std::string_view name) noexcept;

// "postgres://u:pw@h/db" -> "postgres://u:***@h/db"; URLs without a password unchanged.
// Also masks the values of secret-named query parameters (`?api_key=...`).
std::string redact_url(std::string_view url);

// Applies redact_url to every URL-looking substring of free text (error messages), and masks
// the value of secret-named `name=value` words (libpq "host=db password=..." strings).
std::string redact_text(std::string_view text);

}  // namespace cardsync
