#pragma once
// A job someone wants run (CLI, scheduler, a provider's follow-up), before the queue turns
// relative times into storage timestamps and fills its defaults (JobQueue::spec).

#include <chrono>
#include <string>

namespace cardsync::queue {

struct NewJob {
  std::string type;
  std::string key;
  std::string payload;  // JSON text or empty
  std::string request_id;
  std::chrono::milliseconds delay{0};  // run no earlier than now + delay
  int max_attempts = 0;                // 0: the queue's default
};

}  // namespace cardsync::queue
