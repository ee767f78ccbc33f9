#include "postgres_pool.hpp"

namespace cardsync::postgres {

Pool::Pool(ConnectionOptions options, int max_connections)
    : options_(std::move(options)), max_(max_connections) {}

Pool::Lease Pool::acquire() {
  {
    std::unique_lock lock(mu_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;  // reserve the slot, then connect without holding the lock
  }
  try {
    return Lease(*this, std::make_unique<Connection>(options_));
  } catch (...) {
    std::lock_guard lock(mu_);
    --open_;
    available_.notify_one();
    throw;
  }
}

void Pool::release(std::unique_ptr<Connection> conn) noexcept {
  std::lock_guard lock(mu_);
  if (conn == nullptr) return;
  if (conn->broken()) {
    --open_;  // dropped here; the next acquire opens a fresh one
  } else {
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

}  // namespace cardsync::postgres
