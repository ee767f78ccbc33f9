#pragma once
// A host-side stand-in for what one provider call emits: a real cs_emit_api whose functions
// copy every request, record, reject, job, cursor and rate-limit report into an Emitted.
// Shared by the provider unit tests and the conformance driver so all of them read a call's
// output the same way. Header-only; needs the SDK only (out-of-tree plugins may copy it).

#include <cardsync/abi.h>
#include <cardsync/sdk.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cardsync::test {

struct EmittedRecord {
  cs_record_kind kind = CS_RECORD_GAME;
  std::string key, parent, core, raw;
};
struct EmittedReject {
  std::string reason, path, raw;
};
struct EmittedJob {
  std::string type, key, payload;
};
struct RateLimit {
  std::int64_t per_minute = -1, remaining_today = -1;
  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

// Everything a provider emitted, in the order it emitted it.
struct Emitted {
  std::vector<sdk::Request> requests;
  std::vector<EmittedRecord> records;
  std::vector<EmittedReject> rejects;
  std::vector<EmittedJob> jobs;
  std::vector<std::string> cursors;
  std::vector<RateLimit> rate_limits;

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

// The opaque emit handle is the Emitted itself, as the host's handle is its own sink object.
inline cs_emit* emit_handle(Emitted& into) {
  return reinterpret_cast<cs_emit*>(&into);
}

namespace recording_detail {
inline Emitted& at(cs_emit* e) {
  return *reinterpret_cast<Emitted*>(e);
}
inline std::string copy(cs_str v) {
  return std::string(sdk::view(v));
}
}  // namespace recording_detail

// The emit table that records into the Emitted behind the handle.
inline const cs_emit_api& recording_emit_api() {
  using recording_detail::at;
  using recording_detail::copy;
  static const cs_emit_api api{
      sizeof(cs_emit_api),
      [](cs_emit* e, const cs_request* r) {
        at(e).requests.push_back(sdk::detail::copy_request(r));
      },
      [](cs_emit* e, const cs_record* r) {
        at(e).records.push_back({static_cast<cs_record_kind>(r->kind), copy(r->key),
                                 copy(r->parent_key), copy(r->core_json), copy(r->raw_json)});
      },
      [](cs_emit* e, cs_str reason, cs_str path, cs_str raw) {
        at(e).rejects.push_back({copy(reason), copy(path), copy(raw)});
      },
      [](cs_emit* e, cs_str type, cs_str key, cs_str payload) {
        at(e).jobs.push_back({copy(type), copy(key), copy(payload)});
      },
      [](cs_emit* e, cs_str cursor) { at(e).cursors.push_back(copy(cursor)); },
      [](cs_emit* e, int64_t per_minute, int64_t remaining_today) {
        at(e).rate_limits.push_back({per_minute, remaining_today});
      }};
  return api;
}

// An sdk::Emitter for calling a provider class directly, and the raw C pair for calling a
// vtable; both record into emitted().
class RecordingEmitter {
 public:
  RecordingEmitter() : emitter_(&recording_emit_api(), emit_handle(emitted_)) {}
  RecordingEmitter(const RecordingEmitter&) = delete;
  RecordingEmitter& operator=(const RecordingEmitter&) = delete;

  sdk::Emitter& emitter() { return emitter_; }
  const Emitted& emitted() const { return emitted_; }
  const cs_emit_api* c_api() const { return &recording_emit_api(); }
  cs_emit* c_emit() { return emit_handle(emitted_); }

 private:
  Emitted emitted_;
  sdk::Emitter emitter_;
};

}  // namespace cardsync::test
