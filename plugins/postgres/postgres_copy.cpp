#include "postgres_copy.hpp"

namespace cardsync::postgres {
namespace {

constexpr size_t kFlushBytes = 1 << 18;
// "PGCOPY\n\377\r\n\0", flags (int32 0), header extension length (int32 0).
constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
constexpr size_t kHeaderBytes = 19;
static_assert(sizeof(kHeader) == kHeaderBytes + 1);

}  // namespace

BinaryCopyWriter::BinaryCopyWriter(Connection::CopySink& sink) : sink_(sink) {
  buf_.reserve(kFlushBytes + 4096);
  buf_.append(kHeader, kHeaderBytes);
}

void BinaryCopyWriter::be(uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    buf_.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void BinaryCopyWriter::begin_row(int16_t field_count) {
  maybe_flush();
  be(static_cast<uint16_t>(field_count), 2);
}

void BinaryCopyWriter::text(std::string_view value) {
  be(static_cast<uint32_t>(value.size()), 4);
  buf_.append(value.data(), value.size());
}

void BinaryCopyWriter::int2(int16_t value) {
  be(2, 4);
  be(static_cast<uint16_t>(value), 2);
}

void BinaryCopyWriter::int8(int64_t value) {
  be(8, 4);
  be(static_cast<uint64_t>(value), 8);
}

void BinaryCopyWriter::finish() {
  be(0xffff, 2);  // field count -1: end of data
  sink_.put(buf_);
  buf_.clear();
}

void BinaryCopyWriter::maybe_flush() {
  if (buf_.size() >= kFlushBytes) {
    sink_.put(buf_);
    buf_.clear();
  }
}

}  // namespace cardsync::postgres
