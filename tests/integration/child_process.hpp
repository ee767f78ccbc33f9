#pragma once
// A program run as a subprocess the way a shell or cron runs it: its own stdout and stderr
// (captured to files, so a chatty child never blocks on a full pipe), stdin from /dev/null,
// and its exit status and resource usage (peak RSS) collected when it ends.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cardsync::integration {

struct ProcessExit {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, else 0
  std::string out;     // everything it wrote to stdout
  std::string err;     // everything it wrote to stderr
  rusage usage{};      // of this child alone (wait4)
  double seconds = 0;  // wall time from spawn to exit
  // The program's own peak RSS: the highest VmHWM read from /proc/<pid>/status while it ran
  // (sampled every 10 ms by wait_for, so growth in its last few milliseconds can be missed).
  // Not usage.ru_maxrss: the kernel folds the spawning process's high-water mark into the
  // child's at exec, so a child of a large parent would report the parent's size.
  std::int64_t peak_rss_kib = 0;
};

class ChildProcess {
 public:
  // Starts `program args...`; stdout and stderr go to <log_dir>/<name>.out / .err. It runs in
  // `working_dir` when given, else in this process's. Its environment is this process's with
  // `env` ("NAME=value" each) set over it. Throws std::system_error when the program cannot be
  // started.
  ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
               const std::filesystem::path& log_dir, const std::string& name,
               const std::filesystem::path& working_dir = {},
               const std::vector<std::string>& env = {});
  // A child still running is killed (SIGKILL) and reaped: a failed test leaves nothing behind.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True until the child has exited (reaps it when it has).
  bool running();
  void kill(int signal);
  // Waits up to `timeout` for the child to exit; nullopt when it is still running then.
  std::optional<ProcessExit> wait_for(std::chrono::milliseconds timeout);
  // What the child wrote so far.
  std::string out_so_far() const;
  std::string err_so_far() const;

 private:
  bool reap(bool block);
  void sample_peak_rss();
  ProcessExit result() const;

  pid_t pid_ = -1;
  std::filesystem::path out_path_, err_path_;
  std::chrono::steady_clock::time_point started_;
  std::optional<int> status_;
  rusage usage_{};
  double seconds_ = 0;
  std::int64_t peak_rss_kib_ = 0;
};

}  // namespace cardsync::integration
