#include "lookup/lookup_answer.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <ctime>

namespace cardsync::lookup {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string iso8601(Clock::WallTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf.data();
}

void str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// The members of a stored JSON object, written into the object `w` has open. Storage holds
// only what the host validated and wrote, but a damaged row must not break the answer.
void members(Writer& w, const std::string& object_json) {
  rapidjson::Document doc;
  doc.Parse(object_json.data(), object_json.size());
  if (doc.HasParseError() || !doc.IsObject()) return;
  for (const auto& m : doc.GetObject()) {
    w.Key(m.name.GetString(), m.name.GetStringLength());
    m.value.Accept(w);
  }
}

}  // namespace

std::string_view to_string(LookupStatus status) {
  switch (status) {
    case LookupStatus::fresh:
      return "fresh";
    case LookupStatus::stale:
      return "stale";
    case LookupStatus::not_found:
      return "not_found";
    case LookupStatus::queued:
      return "queued";
    case LookupStatus::invalid:
      return "invalid";
    case LookupStatus::unavailable:
      return "unavailable";
  }
  return "invalid";
}

unsigned LookupAnswer::http_status() const {
  switch (status) {
    case LookupStatus::fresh:
    case LookupStatus::stale:
      return 200;
    case LookupStatus::not_found:
      return 404;
    case LookupStatus::queued:
      return 202;
    case LookupStatus::invalid:
      return 400;
    case LookupStatus::unavailable:
      return 503;
  }
  return 503;
}

std::string LookupAnswer::to_json() const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("provider");
  str(w, provider);
  w.Key("kind");
  str(w, kind);
  w.Key("key");
  str(w, key);
  w.Key("status");
  str(w, to_string(status));
  if (!message.empty()) {
    w.Key("message");
    str(w, message);
  }
  if (core_json) {
    w.Key("data");
    w.StartObject();
    members(w, *core_json);
    if (!child_field.empty()) {
      w.Key(child_field.data(), static_cast<rapidjson::SizeType>(child_field.size()));
      w.StartArray();
      for (const auto& child : children_json) {
        w.StartObject();
        members(w, child);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  if (age) {
    w.Key("age_seconds");
    w.Int64(std::chrono::duration_cast<std::chrono::seconds>(*age).count());
  }
  if (fetched_at) {
    w.Key("fetched_at");
    str(w, iso8601(*fetched_at));
  }
  if (job_id) {
    w.Key("job_id");
    w.Int64(*job_id);
  }
  if (retry_at) {
    w.Key("retry_at");
    str(w, iso8601(*retry_at));
  }
  w.Key("fetched_now");
  w.Bool(fetched_now);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::lookup
