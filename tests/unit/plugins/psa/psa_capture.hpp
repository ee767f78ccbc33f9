#pragma once
// A host-side stand-in for one PSA provider call: a real cs_emit_api that copies what the
// provider emits, and helpers to build jobs and responses from recorded fixtures.

#include <cardsync/sdk.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cardsync::psa::test {

struct Emitted {
  std::vector<sdk::Request> requests;
  struct Record {
    cs_record_kind kind;
    std::string key, parent, core, raw;
  };
  std::vector<Record> records;
  struct Reject {
    std::string reason, path, raw;
  };
  std::vector<Reject> rejects;
  std::vector<std::pair<std::string, std::string>> jobs;
  std::vector<std::string> cursors;
};

class Capture {
 public:
  Capture() : emitter_(&api(), reinterpret_cast<cs_emit*>(&out_)) {}
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  sdk::Emitter& emitter() { return emitter_; }
  const Emitted& out() const { return out_; }

 private:
  static Emitted& of(cs_emit* e) { return *reinterpret_cast<Emitted*>(e); }
  static std::string s(cs_str v) { return std::string(sdk::view(v)); }
  static const cs_emit_api& api() {
    static const cs_emit_api a{
        sizeof(cs_emit_api),
        [](cs_emit* e, const cs_request* r) {
          of(e).requests.push_back(sdk::detail::copy_request(r));
        },
        [](cs_emit* e, const cs_record* r) {
          of(e).records.push_back({static_cast<cs_record_kind>(r->kind), s(r->key),
                                   s(r->parent_key), s(r->core_json), s(r->raw_json)});
        },
        [](cs_emit* e, cs_str reason, cs_str path, cs_str raw) {
          of(e).rejects.push_back({s(reason), s(path), s(raw)});
        },
        [](cs_emit* e, cs_str type, cs_str key, cs_str) {
          of(e).jobs.emplace_back(s(type), s(key));
        },
        [](cs_emit* e, cs_str cursor) { of(e).cursors.push_back(s(cursor)); },
        [](cs_emit*, int64_t, int64_t) {}};
    return a;
  }

  Emitted out_;
  sdk::Emitter emitter_;
};

inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CARDSYNC_PSA_FIXTURES) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  std::string body = text.str();
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body;
}

// The strings must outlive the call.
inline sdk::Job job(std::string_view key, std::string_view cursor = {}) {
  sdk::Job j;
  j.id = 7;
  j.type = "psa.cert";
  j.key = key;
  j.cursor = cursor;
  j.request_id = "req-test";
  return j;
}

inline sdk::Response response(int status, const std::string& body) {
  sdk::Response r;
  r.status = status;
  r.body = body;
  return r;
}

}  // namespace cardsync::psa::test
