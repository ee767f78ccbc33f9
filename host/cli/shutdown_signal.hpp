#pragma once
// SIGINT and SIGTERM as a cancellation token: the first signal asks for an orderly stop
// (stop claiming, release in-flight jobs, flush); a second one ends the process at once.

#include "time/cancellation.hpp"

namespace cardsync::cli {

class ShutdownSignal {
 public:
  // Blocks SIGINT/SIGTERM (and SIGUSR1, which only the destructor's own wake-up may use; one
  // from outside is ignored) in every thread created afterwards and waits for them on a
  // dedicated thread. Create it before starting other threads. One per process.
  ShutdownSignal();
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  const CancellationToken& token() const { return token_; }
  // The signal that fired, or 0.
  int signal() const;

 private:
  struct State;
  CancellationToken token_;
  State* state_;
};

}  // namespace cardsync::cli
