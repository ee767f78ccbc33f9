#include "provider_sync.hpp"

#include <curl/curl.h>

#include <deque>

#include "provider_io_guard.hpp"

namespace cardsync::conformance {
namespace {

struct HttpResult {
  bool transport_ok = false;
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

std::size_t append_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t append_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n ") + 1);
    static_cast<std::vector<std::pair<std::string, std::string>>*>(out)->emplace_back(
        line.substr(0, colon), value);
  }
  return size * n;
}

HttpResult send(const sdk::Request& request, long timeout_ms) {
  HttpResult r;
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers) {
    std::string line = k;
    line += ": ";
    line += v;
    headers = curl_slist_append(headers, line.c_str());
  }
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &append_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);
  const CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  r.transport_ok = rc == CURLE_OK;
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  return r;
}

bool absolute_http(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

class Sync {
 public:
  Sync(ProviderDriver& provider, const SyncOptions& options) : p_(provider), o_(options) {
    const cs_instance_description described = provider.description();
    for (const char* const* t = described.job_types; t != nullptr && *t != nullptr; ++t) {
      declared_.insert(*t);
    }
  }

  SyncOutcome run(const std::string& spec) {
    CallResult planned = guarded([&] { return p_.plan(spec); });
    if (planned.status != CS_OK) out_.failures.push_back("plan: " + planned.error);
    absorb(planned);
    while (!queue_.empty()) {
      JobInput job = queue_.front();
      queue_.pop_front();
      run_job(job);
    }
    return out_;
  }

 private:
  template <class Call>
  CallResult guarded(Call&& call) {
    IoGuard::reset();
    CallResult r;
    {
      IoGuard guard;
      r = call();
    }
    for (const auto& [name, n] : IoGuard::calls()) out_.io[name] += n;
    return r;
  }

  void absorb(const CallResult& r) {
    for (const auto& rec : r.records) out_.records[{rec.kind, rec.key}] = rec;
    for (const auto& rej : r.rejects) out_.rejected.emplace(rej.reason, rej.path, rej.raw);
    for (const auto& job : r.jobs) {
      if (declared_.count(job.type) == 0) out_.undeclared_job_types.push_back(job.type);
      if (!seen_.insert({job.type, job.key}).second) continue;
      JobInput in;
      in.id = ++ids_;
      in.type = job.type;
      in.key = job.key;
      in.payload = job.payload;
      queue_.push_back(in);
    }
    for (const auto& req : r.requests) {
      if (!absolute_http(req.url)) out_.bad_requests.push_back(req.url);
    }
  }

  void run_job(JobInput job) {
    CallResult started = guarded([&] { return p_.start(job); });
    const std::string name = job.type + "/" + job.key;
    if (started.status != CS_OK) {
      out_.failures.push_back(name + ": start: " + started.error);
      return;
    }
    absorb(started);
    std::deque<sdk::Request> pending(started.requests.begin(), started.requests.end());
    int pages = 0;
    while (!pending.empty()) {
      const sdk::Request request = pending.front();
      pending.pop_front();
      CallResult handled;
      bool done = false;
      for (int attempt = 1; attempt <= o_.max_attempts && !done; ++attempt) {
        HttpResult http = send(request, o_.request_timeout_ms);
        ++out_.requests_sent;
        // As the host's resilient client does, a throttle or server error is retried before
        // the provider sees it; only the last attempt's answer is the provider's to judge (PSA
        // reads a 500 that outlasted the retries as a bad token).
        const bool transient = http.transport_ok && (http.status == 429 || http.status >= 500);
        if (transient && attempt < o_.transient_retries) {
          ++out_.retried;
          if (o_.on_retry) o_.on_retry();
          continue;
        }
        // A cut-short body still goes to the provider, which must not take it for a page.
        if (http.transport_ok || (http.status != 0 && !http.body.empty())) {
          handled = guarded([&] {
            return p_.handle(job, request, static_cast<int>(http.status), http.body, http.headers);
          });
          if (!http.transport_ok && handled.status == CS_OK) {
            out_.failures.push_back(name + ": accepted a truncated body of " + request.url);
            return;
          }
          if (handled.status == CS_OK) {
            done = true;
            continue;
          }
          if (handled.status != CS_RETRY) {
            out_.failures.push_back(name + ": " + handled.error);
            return;
          }
        }
        ++out_.retried;
        if (o_.on_retry) o_.on_retry();
      }
      if (!done) {
        out_.failures.push_back(name + ": gave up on " + request.url);
        return;
      }
      absorb(handled);
      if (handled.cursor) job.cursor = *handled.cursor;
      for (const auto& next : handled.requests) pending.push_back(next);
      ++pages;
      if (o_.resume_after_first_page && pages == 1 && !pending.empty()) {
        // The process died after committing this page: a new attempt starts from the
        // checkpoint and must continue with the page that was next, not start over.
        JobInput again = job;
        again.attempt = job.attempt + 1;
        CallResult resumed = guarded([&] { return p_.start(again); });
        if (resumed.status != CS_OK || resumed.requests.empty()) {
          out_.failures.push_back(name + ": resume: " + resumed.error);
          return;
        }
        ++out_.resumed;
        if (resumed.requests.front().url != pending.front().url) ++out_.resumed_elsewhere;
        absorb(resumed);
        pending.assign(resumed.requests.begin(), resumed.requests.end());
        job = again;
      }
    }
  }

  ProviderDriver& p_;
  const SyncOptions& o_;
  SyncOutcome out_;
  std::set<std::string> declared_;
  std::set<std::pair<std::string, std::string>> seen_;
  std::deque<JobInput> queue_;
  std::int64_t ids_ = 0;
};

}  // namespace

std::map<int, std::uint64_t> SyncOutcome::counts() const {
  std::map<int, std::uint64_t> out;
  for (const auto& [key, rec] : records) ++out[key.first];
  return out;
}

std::string http_get(const std::string& url) {
  sdk::Request request;
  request.url = url;
  HttpResult r = send(request, 10000);
  return r.transport_ok ? r.body : std::string();
}

SyncOutcome run_sync(ProviderDriver& provider, const std::string& plan_spec,
                     const SyncOptions& options) {
  return Sync(provider, options).run(plan_spec);
}

}  // namespace cardsync::conformance
