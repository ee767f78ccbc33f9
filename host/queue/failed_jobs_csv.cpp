#include "queue/failed_jobs_csv.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>

namespace cardsync::queue {
namespace {

std::string errors_json(const std::vector<StoredJobError>& errors) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const auto& e : errors) {
    w.StartObject();
    w.Key("attempt");
    w.Int(e.attempt);
    w.Key("at");
    w.String(iso8601_utc(e.at_ms));
    w.Key("message");
    w.String(e.message);
    w.Key("http_status");
    w.Int(e.http_status);
    w.Key("request_id");
    w.String(e.request_id);
    w.EndObject();
  }
  w.EndArray();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace

std::string csv_field(std::string_view value) {
  // A spreadsheet runs a cell that starts like a formula (CSV injection): such text, upstream
  // error messages and raw items included, is kept as text by a leading apostrophe.
  const bool formula_like =
      !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
  if (!formula_like && value.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out;
  out.reserve(value.size() + 3);
  out += '"';
  if (formula_like) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string iso8601_utc(int64_t epoch_ms) {
  int64_t secs = epoch_ms / 1000;
  int64_t ms = epoch_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void write_failed_jobs_csv(std::ostream& out, const std::vector<StoredJob>& jobs) {
  out << "id,type,key,attempts,max_attempts,created_at,failed_at,request_id,last_error,"
         "last_http_status,payload,errors\r\n";
  for (const auto& j : jobs) {
    const StoredJobError* last = j.errors.empty() ? nullptr : &j.errors.back();
    out << j.id << ',' << csv_field(j.type) << ',' << csv_field(j.key) << ',' << j.attempts << ','
        << j.max_attempts << ',' << iso8601_utc(j.created_at_ms) << ','
        << iso8601_utc(j.updated_at_ms) << ',' << csv_field(j.request_id) << ','
        << csv_field(last != nullptr ? last->message : "") << ','
        << (last != nullptr ? last->http_status : 0) << ',' << csv_field(j.payload) << ','
        << csv_field(errors_json(j.errors)) << "\r\n";
  }
}

}  // namespace cardsync::queue
