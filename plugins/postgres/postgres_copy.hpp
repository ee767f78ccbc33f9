#pragma once
// Encoder of PostgreSQL's binary COPY format: each field travels as its length and raw bytes,
// so text needs no escaping and the server does no text-to-integer parsing. Buffered: the
// sink sees a few large writes, not one per field.

#include <cstdint>
#include <string>
#include <string_view>

#include "postgres_connection.hpp"

namespace cardsync::postgres {

class BinaryCopyWriter {
 public:
  // Writes the format header.
  explicit BinaryCopyWriter(Connection::CopySink& sink);
  void begin_row(int16_t field_count);
  void text(std::string_view value);
  void int2(int16_t value);
  void int8(int64_t value);
  // Writes the trailer and flushes; call once after the last row.
  void finish();

 private:
  void be(uint64_t value, int bytes);
  void maybe_flush();

  Connection::CopySink& sink_;
  std::string buf_;
};

}  // namespace cardsync::postgres
