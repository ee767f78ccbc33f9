#pragma once
// A fixed set of threads with a bounded queue, for the work the admin server must not do on
// its I/O threads: a lookup that waits on an upstream would otherwise hold one of the few
// threads every connection (and /healthz) shares. When every thread is busy and the queue is
// full, try_submit refuses at once, so a flood costs no memory and the caller can answer
// "busy" instead of making the client wait.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cardsync::admin {

class BlockingPool {
 public:
  // `threads` >= 1 start now; at most `max_queued` tasks wait for one.
  BlockingPool(int threads, std::size_t max_queued);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Thread-safe. False (and `task` not kept) when the queue is full or the pool stopped.
  bool try_submit(std::function<void()> task);
  // Idempotent. Tasks still queued are destroyed without running; running ones are waited for.
  void stop();

 private:
  void work();

  const std::size_t max_queued_;
  const std::size_t size_;  // threads
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t busy_ = 0;  // threads running a task
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cardsync::admin
