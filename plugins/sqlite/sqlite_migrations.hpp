#pragma once
// Versioned schema. Each migration runs once, in order, inside the same BEGIN IMMEDIATE
// transaction that reads and bumps the version, so concurrent processes starting at once
// apply it exactly once and a failure leaves the previous version intact.

#include "sqlite_connection.hpp"

namespace cardsync::sqlite {

// The schema version this plugin writes.
int current_schema_version();

// Applies every missing migration; a no-op when up to date. Throws sdk::Fatal naming both
// versions when the file was written by a newer schema.
void migrate(Connection& conn, const std::string& path);

}  // namespace cardsync::sqlite
