#pragma once
// Where records go. The logger calls write() inline on the logging thread, from many threads
// at once, so an implementation must be thread-safe and must not block on slow I/O: a sink
// that talks to a database (issue 3's storage sink) copies the record into its own bounded
// buffer in write() and ships batches from a thread it owns, dropping the oldest when full.

#include "log/record.hpp"

namespace cardsync::log {

class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink();

  // Thread-safe. `record` is valid only for the duration of the call: copy what is kept.
  // Should not throw; the logger drops the line for this sink if it does.
  virtual void write(const Record& record) = 0;
  // Pushes out anything buffered; returns once it is written (or given up on). Thread-safe.
  virtual void flush() {}
};

}  // namespace cardsync::log
