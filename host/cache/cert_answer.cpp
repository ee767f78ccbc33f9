#include "cache/cert_answer.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <ctime>

namespace cardsync::cache {
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

}  // namespace

std::string_view to_string(CertStatus status) {
  switch (status) {
    case CertStatus::fresh:
      return "fresh";
    case CertStatus::stale:
      return "stale";
    case CertStatus::not_found:
      return "not_found";
    case CertStatus::queued:
      return "queued";
    case CertStatus::invalid:
      return "invalid";
    case CertStatus::unavailable:
      return "unavailable";
  }
  return "invalid";
}

unsigned CertAnswer::http_status() const {
  switch (status) {
    case CertStatus::fresh:
    case CertStatus::stale:
      return 200;
    case CertStatus::not_found:
      return 404;
    case CertStatus::queued:
      return 202;
    case CertStatus::invalid:
      return 400;
    case CertStatus::unavailable:
      return 503;
  }
  return 503;
}

std::string CertAnswer::to_json() const {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("cert");
  str(w, cert);
  w.Key("status");
  str(w, to_string(status));
  if (!message.empty()) {
    w.Key("message");
    str(w, message);
  }
  if (cert_json) {
    rapidjson::Document core;
    core.Parse(cert_json->data(), cert_json->size());
    w.Key("data");
    w.StartObject();
    if (!core.HasParseError() && core.IsObject()) {
      for (const auto& m : core.GetObject()) {
        w.Key(m.name.GetString(), m.name.GetStringLength());
        m.value.Accept(w);
      }
    }
    w.Key("images");
    w.StartArray();
    for (const auto& image : images) {
      w.StartObject();
      w.Key("side");
      str(w, image.side);
      w.Key("url");
      str(w, image.url);
      w.EndObject();
    }
    w.EndArray();
    w.Key("no_images");
    w.Bool(no_images);
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

}  // namespace cardsync::cache
