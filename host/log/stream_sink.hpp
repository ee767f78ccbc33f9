#pragma once
// Writes each record as one line to a file descriptor (stderr in production).

#include <mutex>

#include "log/line_format.hpp"
#include "log/sink.hpp"

namespace cardsync::log {

class StreamSink final : public Sink {
 public:
  // Does not take ownership of `fd`. Format::auto_detect is resolved here, once: text when
  // `fd` is a terminal, JSON lines otherwise (a pipe, a file, journald).
  StreamSink(int fd, Format format);

  // Formats outside the lock, then hands the whole line to the kernel under it, so lines
  // from concurrent threads never interleave even when write() is short. Write errors
  // (closed pipe, full disk) drop the line: there is nowhere left to report them.
  void write(const Record& record) override;

  // The resolved format: json or text, never auto_detect.
  Format format() const { return format_; }

  static Format resolve(Format format, int fd);

 private:
  int fd_;
  Format format_;
  std::mutex mu_;
};

}  // namespace cardsync::log
