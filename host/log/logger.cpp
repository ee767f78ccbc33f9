#include "log/logger.hpp"

#include <string>
#include <utility>

#include "secrets/redaction.hpp"

namespace cardsync::log {

Logger::Logger(Clock& clock, Level min_level)
    : clock_(clock), min_level_(min_level), sinks_(std::make_shared<const SinkList>()) {}

Logger::~Logger() {
  flush();
}

void Logger::add_sink(std::shared_ptr<Sink> sink) {
  std::lock_guard lock(sinks_mu_);
  auto next = std::make_shared<SinkList>(*sinks_);
  next->push_back(std::move(sink));
  sinks_ = std::move(next);
}

void Logger::remove_sink(const std::shared_ptr<Sink>& sink) {
  std::lock_guard lock(sinks_mu_);
  auto next = std::make_shared<SinkList>(*sinks_);
  std::erase(*next, sink);
  sinks_ = std::move(next);
}

std::shared_ptr<const Logger::SinkList> Logger::sinks() const {
  std::lock_guard lock(sinks_mu_);
  return sinks_;
}

void Logger::emit(Level level, std::string_view message, std::string_view request_id,
                  std::vector<Field> fields) noexcept {
  try {
    for (Field& field : fields) {
      if (is_secret_field(field.key)) {
        field.value = std::string(kRedacted);
      } else if (auto* text = std::get_if<std::string>(&field.value)) {
        *text = redact_text(*text);
      }
    }
    const Record record{clock_.wall(), level, redact_text(message), std::string(request_id),
                        std::move(fields)};
    const auto targets = sinks();
    for (const auto& sink : *targets) {
      try {
        sink->write(record);
      } catch (...) {  // NOLINT(bugprone-empty-catch): one failing sink must not starve the rest
      }
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): losing one line beats failing the work
  }
}

void Logger::flush() noexcept {
  try {
    const auto targets = sinks();
    for (const auto& sink : *targets) {
      try {
        sink->flush();
      } catch (...) {  // NOLINT(bugprone-empty-catch): flush the others regardless
      }
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): called from the destructor
  }
}

}  // namespace cardsync::log
