#include "integration/child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX has no header for it

namespace cardsync::integration {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ChildProcess::ChildProcess(const std::filesystem::path& program,
                           const std::vector<std::string>& args,
                           const std::filesystem::path& log_dir, const std::string& name,
                           const std::filesystem::path& working_dir,
                           const std::vector<std::string>& env)
    : out_path_(log_dir / (name + ".out")), err_path_(log_dir / (name + ".err")) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // After the opens, so relative log paths still mean this process's directory.
  if (!working_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
  std::vector<std::string> owned;
  owned.reserve(args.size() + 1);
  owned.push_back(program.string());
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(owned.size() + 1);
  for (auto& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> variables = env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('=') + 1);
    const bool overridden = std::any_of(variables.begin(), variables.end(), [&](const auto& v) {
      return std::string_view(v).substr(0, name.size()) == name;
    });
    if (!overridden) variables.emplace_back(entry);
  }
  std::vector<char*> envp;
  envp.reserve(variables.size() + 1);
  for (auto& v : variables) envp.push_back(v.data());
  envp.push_back(nullptr);
  started_ = std::chrono::steady_clock::now();
  const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "spawn " + program.string());
}

ChildProcess::~ChildProcess() {
  if (status_) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

bool ChildProcess::reap(bool block) {
  if (status_) return true;
  int status = 0;
  pid_t r = 0;
  do {
    r = ::wait4(pid_, &status, block ? 0 : WNOHANG, &usage_);
  } while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  status_ = status;
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return true;
}

bool ChildProcess::running() {
  return !reap(false);
}

void ChildProcess::kill(int signal) {
  if (!status_) ::kill(pid_, signal);
}

std::optional<ProcessExit> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    sample_peak_rss();
    if (reap(false)) break;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return result();
}

ProcessExit ChildProcess::result() const {
  ProcessExit e;
  if (WIFEXITED(*status_)) e.exit_code = WEXITSTATUS(*status_);
  if (WIFSIGNALED(*status_)) e.signal = WTERMSIG(*status_);
  e.out = read_file(out_path_);
  e.err = read_file(err_path_);
  e.usage = usage_;
  e.seconds = seconds_;
  e.peak_rss_kib = peak_rss_kib_;
  return e;
}

void ChildProcess::sample_peak_rss() {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) {
      peak_rss_kib_ = std::max<std::int64_t>(peak_rss_kib_, std::stoll(line.substr(6)));
      return;
    }
  }
}

std::string ChildProcess::out_so_far() const {
  return read_file(out_path_);
}

std::string ChildProcess::err_so_far() const {
  return read_file(err_path_);
}

}  // namespace cardsync::integration
