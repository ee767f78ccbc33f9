#include "http_test_client.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>

namespace cardsync::sandbox::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> HttpResult::header(std::string_view name) const {
  auto it = headers.find(lowercase(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

HttpTestClient::HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout) {}

HttpTestClient::~HttpTestClient() {
  close();
}

void HttpTestClient::close() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_->socket().close(ignored);
  stream_.reset();
  buffer_.clear();
}

HttpResult HttpTestClient::request(http::verb method, std::string_view target,
                                   const HeaderList& headers, std::string body) {
  HttpResult result;
  beast::error_code ec;
  // Each step runs the private io_context until the step's handler ran: async operations
  // are what honour the tcp_stream deadline.
  auto run = [&] {
    ioc_.restart();
    ioc_.run();
  };
  if (!stream_) {
    stream_.emplace(ioc_);
    stream_->expires_after(timeout_);
    asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port_);
    stream_->async_connect(endpoint, [&](beast::error_code e) { ec = e; });
    run();
    if (ec) {
      result.error = "connect: " + ec.message();
      close();
      return result;
    }
    ++connects_;
  }
  http::request<http::string_body> req{method, std::string(target), 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::user_agent, "cardsync-sandbox-test");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == http::verb::post) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  req.keep_alive(true);

  stream_->expires_after(timeout_);
  http::async_write(*stream_, req, [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  if (ec) {
    result.error = "write: " + ec.message();
    close();
    return result;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(256U << 20U);
  stream_->expires_after(timeout_);
  http::async_read(*stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  if (parser.is_header_done()) {
    const auto& res = parser.get();
    result.status = res.result_int();
    for (const auto& field : res) {
      result.headers[lowercase(std::string_view(
          field.name_string().data(), field.name_string().size()))] = std::string(field.value());
    }
    result.body = res.body();
  }
  if (ec) {
    result.error = "read: " + ec.message();
    close();
    return result;
  }
  result.complete = true;
  if (!parser.get().keep_alive()) close();
  return result;
}

}  // namespace cardsync::sandbox::testing
