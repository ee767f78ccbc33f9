#pragma once
// Proves a provider performs no I/O: while a guard is armed on a thread, every call that
// thread makes to socket, connect, getaddrinfo, open, openat, fopen or a sleep (nanosleep,
// clock_nanosleep) is counted. provider_io_guard.cpp defines those functions in the test
// executable, which is linked with exported symbols, so they interpose libc for every library
// loaded into the process, a dlopen'ed plugin and its dependencies included; each forwards to the
// real function. Arm it around provider calls only: the test's own HTTP client is not counted.

#include <map>
#include <string>

namespace cardsync::conformance {

class IoGuard {
 public:
  IoGuard();
  ~IoGuard();
  IoGuard(const IoGuard&) = delete;
  IoGuard& operator=(const IoGuard&) = delete;

  // Calls made on this thread while any guard was armed, by function name.
  static std::map<std::string, int> calls();
  static void reset();
};

}  // namespace cardsync::conformance
