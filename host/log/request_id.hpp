#pragma once
// Request ids tie a log line, a job and an upstream call back to the request that caused
// them. They are passed explicitly with the work; these functions only make and check them.

#include <string>
#include <string_view>

namespace cardsync::log {

// 16 characters of lowercase RFC 4648 base32 (80 random bits), e.g. "k3q7mz2xa4bd6f5h".
// Unique across threads and processes for any realistic volume; thread-safe, lock-free.
std::string new_request_id();

// 1 to 128 characters of [A-Za-z0-9._-]: the only ids accepted from a caller (X-Request-Id),
// so a hostile header cannot inject text into logs or storage.
bool is_valid_request_id(std::string_view id) noexcept;

}  // namespace cardsync::log
