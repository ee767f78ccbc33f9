#include "cli/shutdown_signal.hpp"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "cli/exit_codes.hpp"

namespace cardsync::cli {

struct ShutdownSignal::State {
  sigset_t set{};
  std::atomic<int> received{0};
  std::atomic<bool> closing{false};  // set by the destructor before it wakes the waiter
  std::thread waiter;
};

ShutdownSignal::ShutdownSignal() : state_(new State) {
  sigemptyset(&state_->set);
  sigaddset(&state_->set, SIGINT);
  sigaddset(&state_->set, SIGTERM);
  sigaddset(&state_->set, SIGUSR1);  // used by the destructor to end the waiter
  pthread_sigmask(SIG_BLOCK, &state_->set, nullptr);
  state_->waiter = std::thread([state = state_, token = token_] {
    for (;;) {
      int sig = 0;
      if (sigwait(&state->set, &sig) != 0) continue;
      // Only the destructor's SIGUSR1 ends the waiter: one sent from outside (a log rotation
      // script, a mistyped kill) would otherwise leave SIGINT and SIGTERM blocked in every
      // thread with nobody waiting for them, and the process could no longer be stopped.
      if (sig == SIGUSR1) {
        if (state->closing.load()) return;
        continue;
      }
      if (state->received.exchange(sig) != 0) _exit(kExitSignalBase + sig);  // second: now
      token.cancel();
    }
  });
}

ShutdownSignal::~ShutdownSignal() {
  state_->closing.store(true);
  pthread_kill(state_->waiter.native_handle(), SIGUSR1);
  state_->waiter.join();
  pthread_sigmask(SIG_UNBLOCK, &state_->set, nullptr);
  delete state_;
}

int ShutdownSignal::signal() const {
  return state_->received.load();
}

}  // namespace cardsync::cli
