#include "admin/blocking_pool.hpp"

#include <algorithm>
#include <utility>

namespace cardsync::admin {

BlockingPool::BlockingPool(int threads, std::size_t max_queued)
    : max_queued_(max_queued), size_(static_cast<std::size_t>(std::max(1, threads))) {
  threads_.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) threads_.emplace_back([this] { work(); });
}

BlockingPool::~BlockingPool() {
  stop();
}

bool BlockingPool::try_submit(std::function<void()> task) {
  std::lock_guard lock(mu_);
  // A thread without a task takes it at once: it does not count against the queue.
  if (stopping_ || queue_.size() >= max_queued_ + (size_ - busy_)) return false;
  queue_.push_back(std::move(task));
  cv_.notify_one();
  return true;
}

void BlockingPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    dropped.swap(queue_);
    cv_.notify_all();
  }
  // Destroyed outside the lock: a task may own things whose destructors submit or stop.
  dropped.clear();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void BlockingPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      task = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    task();
    task = nullptr;  // what the task holds goes before the thread counts as free
    std::lock_guard lock(mu_);
    --busy_;
  }
}

}  // namespace cardsync::admin
