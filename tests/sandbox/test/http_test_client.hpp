#pragma once
// A plain Beast HTTP/1.1 client for the sandbox tests: keep-alive, a deadline on every
// operation (so a hung request fails the test instead of wedging it), and a result that
// says whether the response arrived whole.

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::sandbox::testing {

struct HttpResult {
  unsigned status = 0;  // 0 when no status line arrived
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased
  bool complete = false;                       // the whole message arrived
  std::string error;                           // transport error, if any

  std::optional<std::string> header(std::string_view name) const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpTestClient {
 public:
  explicit HttpTestClient(std::uint16_t port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpTestClient();
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  HttpResult request(boost::beast::http::verb method, std::string_view target,
                     const HeaderList& headers = {}, std::string body = {});
  HttpResult get(std::string_view target, const HeaderList& headers = {}) {
    return request(boost::beast::http::verb::get, target, headers);
  }
  HttpResult post(std::string_view target, std::string body, const HeaderList& headers = {}) {
    return request(boost::beast::http::verb::post, target, headers, std::move(body));
  }
  // TCP connections opened so far (keep-alive reuses one).
  int connects() const { return connects_; }
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  void close();

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  int connects_ = 0;
};

}  // namespace cardsync::sandbox::testing
