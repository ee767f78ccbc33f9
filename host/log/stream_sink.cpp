#include "log/stream_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

namespace cardsync::log {

StreamSink::StreamSink(int fd, Format format) : fd_(fd), format_(resolve(format, fd)) {}

Format StreamSink::resolve(Format format, int fd) {
  if (format != Format::auto_detect) return format;
  return ::isatty(fd) == 1 ? Format::text : Format::json;
}

void StreamSink::write(const Record& record) {
  const std::string line = format_line(record, format_);
  std::lock_guard lock(mu_);
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace cardsync::log
