#pragma once
// Admission of the admin server's connections: at most `max_connections` at once, at most
// `max_connections_per_address` from one client address, and never more than the process's
// open-file limit leaves room for. A client that opens sockets and sends nothing can then hold
// only its own share, and the accept loop never runs the process out of descriptors.

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>

namespace cardsync::admin {

// Descriptors kept free for everything else the process opens (storage, upstream sockets,
// plugin files, logs).
inline constexpr std::size_t kReservedDescriptors = 64;

// The connection cap a process with `open_file_limit` descriptors can honour: `wanted`, or the
// limit less the reserve when that is smaller (at least 1).
std::size_t clamp_to_open_files(std::size_t wanted, std::size_t open_file_limit);

// The soft RLIMIT_NOFILE of this process (SIZE_MAX when unlimited or unknown).
std::size_t open_file_limit();

class ConnectionLimits {
 public:
  // Thread-safe. A ticket holds one admitted connection's place until it is destroyed; it may
  // outlive nothing but the ConnectionLimits that issued it.
  class Ticket {
   public:
    Ticket(ConnectionLimits& limits, boost::asio::ip::address address)
        : limits_(limits), address_(std::move(address)) {}
    ~Ticket() { limits_.release(address_); }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    ConnectionLimits& limits_;
    boost::asio::ip::address address_;
  };

  ConnectionLimits(std::size_t max_connections, std::size_t max_per_address)
      : max_connections_(max_connections), max_per_address_(max_per_address) {}

  // A ticket when `address` may open one more connection now; nullptr when the server or that
  // address is at its cap.
  std::unique_ptr<Ticket> admit(const boost::asio::ip::address& address);

  std::size_t open() const;

 private:
  void release(const boost::asio::ip::address& address);

  const std::size_t max_connections_;
  const std::size_t max_per_address_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::map<boost::asio::ip::address, std::size_t> per_address_;
};

}  // namespace cardsync::admin
