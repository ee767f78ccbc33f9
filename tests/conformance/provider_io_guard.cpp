#include "provider_io_guard.hpp"

#include <dlfcn.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace cardsync::conformance {
namespace {

thread_local int armed = 0;
thread_local std::map<std::string, int>* counts = nullptr;

void note(const char* name) {
  if (armed == 0) return;
  if (counts == nullptr) counts = new std::map<std::string, int>();  // NOLINT: thread-lifetime
  ++(*counts)[name];
}

template <class Fn>
Fn real(const char* name) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): dlsym's contract
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

// open(2)'s third argument exists only with O_CREAT or O_TMPFILE (Linux values; <fcntl.h>
// is not included because it declares open itself).
constexpr int kOCreat = 0100;
constexpr int kOTmpfile = 020000000 | 0200000;

int mode_of(int flags, va_list ap) {
  return (flags & kOCreat) != 0 || (flags & kOTmpfile) == kOTmpfile ? va_arg(ap, int) : 0;
}

}  // namespace

IoGuard::IoGuard() {
  ++armed;
}
IoGuard::~IoGuard() {
  --armed;
}
std::map<std::string, int> IoGuard::calls() {
  return counts == nullptr ? std::map<std::string, int>{} : *counts;
}
void IoGuard::reset() {
  if (counts != nullptr) counts->clear();
}

}  // namespace cardsync::conformance

using cardsync::conformance::mode_of;
using cardsync::conformance::note;
using cardsync::conformance::real;

extern "C" {

int socket(int domain, int type, int protocol) {
  note("socket");
  return real<int (*)(int, int, int)>("socket")(domain, type, protocol);
}

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  note("connect");
  return real<int (*)(int, const struct sockaddr*, socklen_t)>("connect")(fd, addr, len);
}

int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                struct addrinfo** res) {
  note("getaddrinfo");
  return real<int (*)(const char*, const char*, const struct addrinfo*, struct addrinfo**)>(
      "getaddrinfo")(node, service, hints, res);
}

int open(const char* path, int flags, ...) {  // NOLINT(cert-dcl50-cpp): libc's signature
  note("open");
  va_list ap;
  va_start(ap, flags);
  const int mode = mode_of(flags, ap);
  va_end(ap);
  return real<int (*)(const char*, int, ...)>("open")(path, flags, mode);
}

int open64(const char* path, int flags, ...) {  // NOLINT(cert-dcl50-cpp)
  note("open");
  va_list ap;
  va_start(ap, flags);
  const int mode = mode_of(flags, ap);
  va_end(ap);
  return real<int (*)(const char*, int, ...)>("open64")(path, flags, mode);
}

int openat(int dir, const char* path, int flags, ...) {  // NOLINT(cert-dcl50-cpp)
  note("open");
  va_list ap;
  va_start(ap, flags);
  const int mode = mode_of(flags, ap);
  va_end(ap);
  return real<int (*)(int, const char*, int, ...)>("openat")(dir, path, flags, mode);
}

FILE* fopen(const char* path, const char* mode) {
  note("fopen");
  return real<FILE* (*)(const char*, const char*)>("fopen")(path, mode);
}

FILE* fopen64(const char* path, const char* mode) {
  note("fopen");
  return real<FILE* (*)(const char*, const char*)>("fopen64")(path, mode);
}

int nanosleep(const struct timespec* req, struct timespec* rem) {
  note("sleep");
  return real<int (*)(const struct timespec*, struct timespec*)>("nanosleep")(req, rem);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec* req, struct timespec* rem) {
  note("sleep");
  return real<int (*)(clockid_t, int, const struct timespec*, struct timespec*)>("clock_nanosleep")(
      clock, flags, req, rem);
}

}  // extern "C"
