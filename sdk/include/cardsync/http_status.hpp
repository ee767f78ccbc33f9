#pragma once
// cardsync SDK: what an HTTP answer means for a job, as data. By the time a provider sees a
// response the host has already retried what it retries itself, so the provider decides
// between RETRY (try the job later), PERMANENT (this job is bad) and FATAL (the provider
// cannot work: a refused key). Each API's quirks are rules over the status and the error
// body's code (error_body.hpp), tried in order; a status no rule names gets the standard
// outcome. Rules are plain data, so a manifest-driven provider can load them:
//
//   const sdk::StatusTable table("PSA", {
//       {401, 403, "", sdk::Outcome::fatal, "PSA refused the access token {detail}"},
//       {429, 429, "", sdk::Outcome::retry, "PSA's daily call quota is spent {detail}"}});
//   table.check(response.status, error, sdk::request_text(request, base_url));
//
// Messages are templates: {upstream}, {request}, {status}, {detail} ("(HTTP 404 CODE: msg)")
// and {code} (the body's code, else "HTTP <status>"). Immutable: share between threads.

#include <cardsync/error_body.hpp>
#include <cardsync/marshalling.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::sdk {

enum class Outcome { ok, retry, permanent, fatal };

struct StatusRule {
  int first_status = 0;  // inclusive range; 0 and 0 match any status
  int last_status = 0;
  std::string code;  // the error body's code; empty matches any
  Outcome outcome = Outcome::permanent;
  std::string message;  // template; empty: the outcome's standard message
};

// Without a rule: 2xx ok; 408, 429 and 5xx but 501 retry; 401 and 403 fatal; the rest permanent.
inline Outcome standard_outcome(int status) {
  if (status >= 200 && status <= 299) return Outcome::ok;
  if (status == 408 || status == 429 || (status >= 500 && status != 501)) return Outcome::retry;
  if (status == 401 || status == 403) return Outcome::fatal;
  return Outcome::permanent;
}

// Throws the sdk::Error of `outcome` (ok is treated as permanent: a caller's mistake).
[[noreturn]] inline void fail(Outcome outcome, const std::string& message) {
  if (outcome == Outcome::retry) throw Retry(message);
  if (outcome == Outcome::fatal) throw Fatal(message);
  throw Permanent(message);
}

class StatusTable {
 public:
  // `upstream` names the API in messages ("JustTCG").
  explicit StatusTable(std::string upstream, std::vector<StatusRule> rules = {})
      : upstream_(std::move(upstream)), rules_(std::move(rules)) {}

  // The first rule matching `status` and `code`; a standard one when none does.
  StatusRule match(int status, std::string_view code) const {
    for (const auto& r : rules_) {
      const bool any_status = r.first_status == 0 && r.last_status == 0;
      if (!any_status && (status < r.first_status || status > r.last_status)) continue;
      if (!r.code.empty() && r.code != code) continue;
      return r;
    }
    return {status, status, {}, standard_outcome(status), {}};
  }

  // Throws per the matching rule unless its outcome is ok. `request`: request_text(...).
  void check(int status, const UpstreamError& error, std::string_view request) const {
    const StatusRule rule = match(status, error.code);
    if (rule.outcome != Outcome::ok) fail(rule.outcome, message(rule, status, error, request));
  }

  // The rule's message with its placeholders filled in.
  std::string message(const StatusRule& rule, int status, const UpstreamError& error,
                      std::string_view request) const {
    std::string t = rule.message.empty() ? standard_message(rule.outcome) : rule.message;
    const std::pair<std::string_view, std::string> values[] = {
        {"{upstream}", upstream_},
        {"{request}", std::string(request)},
        {"{status}", std::to_string(status)},
        {"{detail}", http_detail(status, error)},
        {"{code}", error.code.empty() ? "HTTP " + std::to_string(status) : error.code}};
    for (const auto& [name, value] : values) {
      for (std::size_t at = t.find(name); at != std::string::npos;
           at = t.find(name, at + value.size())) {
        t.replace(at, name.size(), value);
      }
    }
    return t;
  }

 private:
  static std::string standard_message(Outcome outcome) {
    switch (outcome) {
      case Outcome::retry:
        return "{upstream} failed to answer {request} {detail}";
      case Outcome::fatal:
        return "{upstream} refused {request} {detail}";
      default:
        return "{upstream} rejected {request} {detail}";
    }
  }

  std::string upstream_;
  std::vector<StatusRule> rules_;
};

}  // namespace cardsync::sdk
