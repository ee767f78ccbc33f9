#include "http/curl_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

#include "http/concurrency_limiter.hpp"
#include "http/request_redaction.hpp"
#include "http/user_agent.hpp"

namespace cardsync {
namespace {

// curl_global_init is not thread-safe on every platform build: do it exactly once.
void ensure_curl_initialised() {
  struct Global {
    Global() {
      if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        throw std::runtime_error("curl_global_init failed");
      }
    }
    ~Global() { curl_global_cleanup(); }
    Global(const Global&) = delete;
    Global& operator=(const Global&) = delete;
  };
  static const Global global;
}

struct Transfer {
  HttpResponse* response;
  std::size_t max_bytes;
  const CancellationToken* cancel;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  // Checked on decoded bytes too, so a small compressed answer cannot inflate past the cap.
  if (t->response->body.size() + n > t->max_bytes) {
    t->too_large = true;
    t->response->body.clear();
    t->response->body.shrink_to_fit();
    return 0;
  }
  t->response->body.append(data, n);
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  // A new status line starts a new response (after 100 Continue): keep only the last.
  if (line.starts_with("HTTP/")) {
    t->response->headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    t->response->headers.add(std::string(trim(line.substr(0, colon))),
                             std::string(trim(line.substr(colon + 1))));
  }
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return (t->cancel != nullptr && t->cancel->cancelled()) ? 1 : 0;
}

TransportError classify(CURLcode code, const Transfer& t) {
  switch (code) {
    case CURLE_OK:
      return TransportError::none;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::timeout;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    // A handshake cut short is a network failure; certificate problems are below.
    case CURLE_SSL_CONNECT_ERROR:
      return TransportError::reset;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      return TransportError::tls;
    case CURLE_FILESIZE_EXCEEDED:
      return TransportError::too_large;
    case CURLE_WRITE_ERROR:
      return t.too_large ? TransportError::too_large : TransportError::other;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportError::cancelled;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return TransportError::invalid_request;
    default:
      return TransportError::other;
  }
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string header_line(std::string_view name, std::string_view value) {
  std::string line;
  line.reserve(name.size() + 2 + value.size());
  line.append(name).append(": ").append(value);
  return line;
}

bool append(Slist& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list.get(), line.c_str());
  if (next == nullptr) return false;
  (void)list.release();  // `next` is the same list, extended
  list.reset(next);
  return true;
}

HttpResponse failure(TransportError kind, std::string message) {
  HttpResponse r;
  r.error = kind;
  r.error_message = std::move(message);
  return r;
}

}  // namespace

struct CurlClient::Service {
  explicit Service(const HttpClientOptions& o) : options(o), limiter(o.max_in_flight) {
    share = curl_share_init();
    if (share == nullptr) throw std::runtime_error("curl_share_init failed");
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Service::lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Service::unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~Service() {
    for (CURL* h : idle) curl_easy_cleanup(h);
    curl_share_cleanup(share);
  }
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Service*>(user)->share_locks.at(static_cast<size_t>(data)).lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Service*>(user)->share_locks.at(static_cast<size_t>(data)).unlock();
  }

  // Most recently used first, so sequential requests land on the warm connection.
  CURL* take_handle() {
    {
      std::lock_guard lock(idle_mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    CURL* h = curl_easy_init();
    if (h == nullptr) return nullptr;
    // What never changes for this service is set once per handle, not once per request.
    curl_easy_setopt(h, CURLOPT_SHARE, share);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent().data());
    // Empty string: every encoding this libcurl decodes (gzip and deflate at least).
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    // Refuses a declared oversize body before reading it; on_body catches undeclared ones.
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &on_progress);
    return h;
  }
  void give_back(CURL* h) {
    std::lock_guard lock(idle_mu);
    idle.push_back(h);
  }

  const HttpClientOptions options;
  ConcurrencyLimiter limiter;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  mutable std::mutex idle_mu;
  std::vector<CURL*> idle;
};

CurlClient::CurlClient(Clock& clock, HttpClientOptions defaults)
    : clock_(clock), defaults_(defaults) {
  ensure_curl_initialised();
}

CurlClient::~CurlClient() = default;

void CurlClient::configure_service(std::string_view service, const HttpClientOptions& options) {
  std::lock_guard lock(mu_);
  auto it = services_.find(service);
  if (it != services_.end()) {
    if (it->second->options == options) return;
    throw std::logic_error("http options for service '" + std::string(service) +
                           "' set after it started");
  }
  services_.emplace(std::string(service), std::make_unique<Service>(options));
}

CurlClient::Service& CurlClient::service(std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = services_.find(name);
  if (it == services_.end()) {
    it = services_.emplace(std::string(name), std::make_unique<Service>(defaults_)).first;
  }
  return *it->second;
}

CurlClient::ServiceStats CurlClient::stats(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = services_.find(name);
  if (it == services_.end()) return {};
  const Service& s = *it->second;
  std::lock_guard idle_lock(s.idle_mu);
  return {s.limiter.in_flight(), s.limiter.waiting(), static_cast<int>(s.idle.size())};
}

HttpResponse CurlClient::perform(const HttpRequest& request, const TransportContext& context) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  if (context.cancel != nullptr && context.cancel->cancelled()) {
    return failure(TransportError::cancelled, describe_request(request) + ": cancelled");
  }
  Service& svc = service(context.service);
  const HttpClientOptions& opts = svc.options;

  // The call's deadline bounds the slot wait and the transfer; cap it so a "no deadline"
  // call cannot overflow time arithmetic.
  auto remaining = std::min<std::chrono::nanoseconds>(context.deadline == Clock::SteadyTime::max()
                                                          ? std::chrono::hours(24)
                                                          : context.deadline - clock_.now(),
                                                      std::chrono::hours(24));
  if (remaining < milliseconds(1)) {
    return failure(TransportError::timeout,
                   describe_request(request) + ": deadline passed before sending");
  }
  auto acquired = svc.limiter.acquire(context.cancel, std::chrono::steady_clock::now() + remaining);
  if (acquired == ConcurrencyLimiter::Acquire::cancelled) {
    return failure(TransportError::cancelled, describe_request(request) + ": cancelled");
  }
  if (acquired == ConcurrencyLimiter::Acquire::timed_out) {
    return failure(TransportError::timeout,
                   describe_request(request) + ": deadline passed waiting for a connection slot");
  }
  ConcurrencySlot slot(svc.limiter);
  remaining = std::min<std::chrono::nanoseconds>(context.deadline == Clock::SteadyTime::max()
                                                     ? std::chrono::hours(24)
                                                     : context.deadline - clock_.now(),
                                                 std::chrono::hours(24));
  auto total = std::min(opts.total_timeout, duration_cast<milliseconds>(remaining));
  if (total < milliseconds(1)) {
    return failure(TransportError::timeout,
                   describe_request(request) + ": deadline passed before sending");
  }
  auto connect = std::min(opts.connect_timeout, total);

  CURL* h = svc.take_handle();
  if (h == nullptr) {
    return failure(TransportError::other, describe_request(request) + ": curl_easy_init failed");
  }
  struct Return {
    Service& svc;
    CURL* h;
    ~Return() { svc.give_back(h); }
  } give_back{svc, h};

  HttpResponse response;
  Transfer transfer{&response, opts.max_response_bytes, context.cancel};
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  Slist headers;
  bool ok = true;
  for (const auto& [name, value] : request.headers) {
    // Every request carries our User-Agent; a provider's own would hide the host version.
    if (header_name_equals(name, "User-Agent")) continue;
    ok = ok && append(headers, header_line(name, value));
  }
  if (!context.request_id.empty() && !request.headers.contains("X-Request-Id")) {
    ok = ok && append(headers, header_line("X-Request-Id", context.request_id));
  }
  // Waiting for 100 Continue costs a round trip (or a second) per POST for nothing.
  if (!request.body.empty()) ok = ok && append(headers, "Expect:");
  if (!ok) {
    return failure(TransportError::other, describe_request(request) + ": out of memory");
  }

  // Everything a previous request on this pooled handle may have set is set again here
  // (no curl_easy_reset: it would also drop the per-handle settings above).
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  // HTTPGET first: back to a plain GET (clears NOBODY, upload and POST mode).
  curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    if (request.method != "POST") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.method == "POST" || !request.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  CURLcode code = curl_easy_perform(h);
  // The handle goes back to the pool: drop pointers into this call's stack and request.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
  TransportError kind = classify(code, transfer);
  if (kind == TransportError::none) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

  std::string message = describe_request(request) + ": ";
  if (kind == TransportError::too_large) {
    message += "response larger than " + std::to_string(opts.max_response_bytes) + " bytes";
  } else if (kind == TransportError::cancelled) {
    message += "cancelled";
  } else {
    message += redact_for_request(
        error_buffer[0] != '\0' ? std::string_view(error_buffer.data()) : curl_easy_strerror(code),
        request);
    if (kind == TransportError::timeout) {
      message += " (timeout " + std::to_string(total.count()) + " ms)";
    }
  }
  HttpResponse r = failure(kind, std::move(message));
  return r;
}

}  // namespace cardsync
