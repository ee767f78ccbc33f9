#include "postgres_connection.hpp"

#include <array>
#include <charconv>
#include <cstring>

namespace cardsync::postgres {
namespace {

// Type OIDs from pg_type.h (server headers are not installed with libpq-dev).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kTextArrayOid = 1009;
constexpr Oid kInt8ArrayOid = 1016;

constexpr std::string_view kDiskFull = "53100";
constexpr std::string_view kReadOnlyTransaction = "25006";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// What retrying can change. SQLSTATE classes: 08 connection, 40 transaction rollback
// (serialization failure, deadlock), 53 insufficient resources, 57 operator intervention
// (shutdown, cancel), 58 system/I/O; 28 authorization and 3D000 missing database are
// configuration.
cs_status classify(std::string_view state) {
  if (state.empty()) return CS_RETRY;  // no answer from the server: the connection failed
  // The server's disk is full, or the database takes no writes (a standby after failover,
  // default_transaction_read_only): neither passes by retrying, someone has to act.
  if (state == kDiskFull || state == kReadOnlyTransaction) return CS_FATAL;
  if (starts_with(state, "08") || starts_with(state, "40") || starts_with(state, "53") ||
      starts_with(state, "57") || starts_with(state, "58") || state == "55P03" ||
      state == "55006") {
    return CS_RETRY;
  }
  if (starts_with(state, "28") || state == "3D000" || state == "42501") return CS_FATAL;
  return CS_PERMANENT;
}

// A failed connection attempt: a server that is down or restarting is worth retrying; bad
// credentials, a missing database or a malformed conninfo are not.
cs_status classify_connect(std::string_view message) {
  static constexpr std::array<std::string_view, 9> kConfiguration = {
      "password authentication failed",
      "no password supplied",
      "does not exist",
      "no pg_hba.conf entry",
      "invalid connection option",
      "invalid sslmode",
      "missing \"=\"",
      "invalid URI",
      "could not read root certificate"};
  for (std::string_view m : kConfiguration) {
    if (message.find(m) != std::string_view::npos) return CS_FATAL;
  }
  return CS_RETRY;
}

std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

// ---- Params ---------------------------------------------------------------------------------

void Params::add(Oid type, const char* value, int length, int format) {
  types_.push_back(type);
  values_.push_back(value);
  lengths_.push_back(length);
  formats_.push_back(format);
}

Params& Params::text(std::string_view v) {
  // libpq sends a zero-length binary value as '' only when the pointer is not null.
  add(kTextOid, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()), 1);
  return *this;
}

Params& Params::int8(int64_t v) {
  std::string& bytes = owned_.emplace_back(8, '\0');
  auto u = static_cast<uint64_t>(v);
  for (int i = 7; i >= 0; --i) {
    bytes[static_cast<size_t>(i)] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  add(kInt8Oid, bytes.data(), 8, 1);
  return *this;
}

Params& Params::null_int8() {
  add(kInt8Oid, nullptr, 0, 1);
  return *this;
}

Params& Params::limit(int64_t n) {
  return n > 0 ? int8(n) : null_int8();
}

Params& Params::null_text_array() {
  add(kTextArrayOid, nullptr, 0, 0);
  return *this;
}

Params& Params::text_array(const std::vector<std::string_view>& items) {
  // Binary array format: no quoting or escaping on either side, and the server copies each
  // element as it is (array_recv): the batch writes send whole columns this way.
  std::string& bytes = owned_.emplace_back();
  size_t total = 20;
  for (std::string_view item : items) total += 4 + item.size();
  bytes.reserve(total);
  auto be32 = [&bytes](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(v >> shift));
  };
  be32(items.empty() ? 0 : 1);  // dimensions
  be32(0);                      // no NULL elements
  be32(kTextOid);
  if (!items.empty()) {
    be32(static_cast<uint32_t>(items.size()));
    be32(1);  // lower bound
  }
  for (std::string_view item : items) {
    be32(static_cast<uint32_t>(item.size()));
    bytes.append(item.data(), item.size());
  }
  add(kTextArrayOid, bytes.data(), static_cast<int>(bytes.size()), 1);
  return *this;
}

Params& Params::int8_array(const std::vector<int64_t>& items) {
  std::string& literal = owned_.emplace_back("{");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) literal += ',';
    literal += std::to_string(items[i]);
  }
  literal += '}';
  add(kInt8ArrayOid, literal.c_str(), 0, 0);
  return *this;
}

// ---- Result -----------------------------------------------------------------------------------

Result& Result::operator=(Result&& o) noexcept {
  if (this != &o) {
    PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}

int64_t Result::integer(int row, int column) const {
  std::string_view t = text(row, column);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_);
  int64_t v = 0;
  if (n != nullptr) std::from_chars(n, n + std::strlen(n), v);
  return v;
}

// ---- Connection -------------------------------------------------------------------------------

PGconn* open_connection(const ConnectionOptions& options) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  // Order matters: later parameters override earlier ones, and the expanded url overrides
  // application_name, so an operator's own application_name wins but the TLS options given
  // in the config win over the url's.
  keys.push_back("application_name");
  values.push_back("cardsync");
  keys.push_back("dbname");
  values.push_back(options.url.c_str());
  for (const auto& [k, v] : options.parameters) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back("client_encoding");
  values.push_back("UTF8");
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) throw DatabaseError(CS_RETRY, "PostgreSQL: out of memory connecting", "");
  // libpq prints server NOTICEs ("schema already exists, skipping") to stderr by default;
  // the host's stderr is its JSON log stream.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's messages name host, port and user, never the password.
    std::string message = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw DatabaseError(classify_connect(message), "PostgreSQL: cannot connect: " + message, "");
  }
  return conn;
}

Connection::Connection(const ConnectionOptions& options) : conn_(open_connection(options)) {
  try {
    run("SET search_path TO " + quote_identifier(options.schema));
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

Connection::~Connection() {
  PQfinish(conn_);
}

void Connection::fail(const PGresult* r, std::string_view context) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  std::string message = r != nullptr ? trimmed(PQresultErrorMessage(r)) : "";
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  cs_status status = broken() ? CS_RETRY : classify(sqlstate);
  std::string cause;
  if (broken()) {
    cause = "connection to the database lost: ";
  } else if (sqlstate == kDiskFull) {
    cause = "disk full on the PostgreSQL server: ";
  } else if (sqlstate == kReadOnlyTransaction) {
    cause = "database is read-only: ";
  }
  throw DatabaseError(status, cause + "PostgreSQL: " + std::string(context) + ": " + message,
                      std::move(sqlstate));
}

Result Connection::exec(const char* sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "cardsync_" + std::to_string(prepared_.size());
    Result prepared(PQprepare(conn_, name.c_str(), sql, params.size(), params.types()));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(prepared.get(), "prepare");
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  Result r(PQexecPrepared(conn_, it->second.c_str(), params.size(), params.values(),
                          params.lengths(), params.formats(), 0));
  ExecStatusType s = PQresultStatus(r.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) fail(r.get(), "statement failed");
  return r;
}

void Connection::run(const std::string& sql) {
  // With several statements PQexec stops at the first failure and returns it.
  Result r(PQexec(conn_, sql.c_str()));
  ExecStatusType s = PQresultStatus(r.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) fail(r.get(), "statement failed");
}

void Connection::begin_copy(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(r.get()) != PGRES_COPY_IN) fail(r.get(), "COPY");
}

void Connection::CopySink::put(std::string_view bytes) {
  if (PQputCopyData(c_.conn_, bytes.data(), static_cast<int>(bytes.size())) != 1) {
    c_.fail(nullptr, "COPY");
  }
}

void Connection::end_copy() {
  if (PQputCopyEnd(conn_, nullptr) != 1) fail(nullptr, "COPY");
  Result first(PQgetResult(conn_));
  // Drain to the end of the command so the connection is usable whatever happened.
  while (PGresult* more = PQgetResult(conn_)) PQclear(more);
  if (PQresultStatus(first.get()) != PGRES_COMMAND_OK) fail(first.get(), "COPY");
}

void Connection::abort_copy() {
  if (PQputCopyEnd(conn_, "cardsync: batch abandoned") == 1) {
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
  }
}

// ---- Transaction ------------------------------------------------------------------------------

Transaction::Transaction(Connection& conn) : conn_(conn) {
  conn_.run("BEGIN");
}

Transaction::~Transaction() {
  if (open_ && !conn_.broken()) PQclear(PQexec(conn_.handle(), "ROLLBACK"));
}

void Transaction::commit() {
  conn_.run("COMMIT");
  open_ = false;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace cardsync::postgres
