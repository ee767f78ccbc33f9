#include "admin/connection_limits.hpp"

#include <sys/resource.h>

#include <cstdint>

namespace cardsync::admin {

std::size_t clamp_to_open_files(std::size_t wanted, std::size_t open_file_limit) {
  if (open_file_limit <= kReservedDescriptors) return 1;
  const std::size_t room = open_file_limit - kReservedDescriptors;
  return wanted < room ? wanted : room;
}

std::size_t open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  return static_cast<std::size_t>(limit.rlim_cur);
}

std::unique_ptr<ConnectionLimits::Ticket> ConnectionLimits::admit(
    const boost::asio::ip::address& address) {
  {
    const std::lock_guard lock(mutex_);
    if (open_ >= max_connections_) return nullptr;
    auto& from_address = per_address_[address];
    if (from_address >= max_per_address_) return nullptr;
    ++from_address;
    ++open_;
  }
  return std::make_unique<Ticket>(*this, address);
}

std::size_t ConnectionLimits::open() const {
  const std::lock_guard lock(mutex_);
  return open_;
}

void ConnectionLimits::release(const boost::asio::ip::address& address) {
  const std::lock_guard lock(mutex_);
  --open_;
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

}  // namespace cardsync::admin
