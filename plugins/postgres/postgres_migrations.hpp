#pragma once
// Versioned schema. Migrations run in one transaction that first takes a transaction-scoped
// advisory lock derived from the schema name, so processes starting at once queue on the
// lock and the first applies each migration exactly once; the others then find the schema
// current. A failure rolls back to the previous version.

#include "postgres_connection.hpp"

namespace cardsync::postgres {

// The schema version this plugin writes.
int current_schema_version();

// Creates the schema when missing and applies every missing migration; a no-op when up to
// date. Throws sdk::Fatal naming both versions when the schema was written by a newer one.
void migrate(Connection& conn, const std::string& schema);

}  // namespace cardsync::postgres
