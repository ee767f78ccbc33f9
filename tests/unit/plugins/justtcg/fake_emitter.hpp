#pragma once
// A host-side stand-in for one provider call: a real cs_emit_api whose functions copy what the
// provider emits, plus helpers to build jobs and responses from recorded fixtures.

#include <cardsync/sdk.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace cardsync::justtcg::test {

struct EmittedRecord {
  cs_record_kind kind;
  std::string key, parent, core, raw;
};
struct EmittedReject {
  std::string reason, path, raw;
};
struct EmittedJob {
  std::string type, key, payload;
};

struct Captured {
  std::vector<sdk::Request> requests;
  std::vector<EmittedRecord> records;
  std::vector<EmittedReject> rejects;
  std::vector<EmittedJob> jobs;
  std::vector<std::string> cursors;
  std::vector<std::pair<std::int64_t, std::int64_t>> rate_limits;

  std::vector<EmittedRecord> of_kind(cs_record_kind kind) const {
    std::vector<EmittedRecord> out;
    for (const auto& r : records) {
      if (r.kind == kind) out.push_back(r);
    }
    return out;
  }
  const EmittedRecord* find(cs_record_kind kind, const std::string& key) const {
    for (const auto& r : records) {
      if (r.kind == kind && r.key == key) return &r;
    }
    return nullptr;
  }
};

class FakeEmitter {
 public:
  FakeEmitter() : emitter_(&api(), reinterpret_cast<cs_emit*>(&captured_)) {}
  FakeEmitter(const FakeEmitter&) = delete;
  FakeEmitter& operator=(const FakeEmitter&) = delete;

  sdk::Emitter& emitter() { return emitter_; }
  const Captured& captured() const { return captured_; }
  const cs_emit_api* c_api() const { return &api(); }
  cs_emit* c_emit() { return reinterpret_cast<cs_emit*>(&captured_); }

 private:
  static Captured& of(cs_emit* e) { return *reinterpret_cast<Captured*>(e); }
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
        [](cs_emit* e, cs_str type, cs_str key, cs_str payload) {
          of(e).jobs.push_back({s(type), s(key), s(payload)});
        },
        [](cs_emit* e, cs_str cursor) { of(e).cursors.push_back(s(cursor)); },
        [](cs_emit* e, int64_t per_minute, int64_t remaining) {
          of(e).rate_limits.emplace_back(per_minute, remaining);
        }};
    return a;
  }

  Captured captured_;
  sdk::Emitter emitter_;
};

inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CARDSYNC_JUSTTCG_FIXTURES) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A job as the host would hand it over; the strings must outlive the call.
inline sdk::Job job(std::string_view type, std::string_view key, std::string_view payload = {},
                    std::string_view cursor = {}) {
  sdk::Job j;
  j.id = 1;
  j.type = type;
  j.key = key;
  j.payload = payload;
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

inline std::string header(const sdk::Request& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

}  // namespace cardsync::justtcg::test
