#include "page_handler.hpp"

#include <cardsync/decimal.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <vector>

#include "rest_request.hpp"
#include "time_format.hpp"

namespace cardsync::rest {
namespace {

std::string excerpt(std::string_view body) {
  constexpr std::size_t kMax = 200;
  std::string out(body.substr(0, kMax));
  if (body.size() > kMax) out += "...";
  return out;
}

std::string default_message(const JobContext& ctx, const sdk::Request& request, int status,
                            std::string_view body) {
  std::string m = ctx.manifest.name + " answered " + request.method + " " + request.url +
                  " with HTTP " + std::to_string(status);
  if (!body.empty()) m += ": " + excerpt(body);
  return m;
}

// a > b for incremental values: numerically when both are integers, else as text (ISO dates).
bool later(const std::string& a, const std::string& b) {
  const auto na = sdk::scale_decimal(a, 0, sdk::Rounding::toward_zero);
  const auto nb = sdk::scale_decimal(b, 0, sdk::Rounding::toward_zero);
  if (na && nb) return *na > *nb;
  return a > b;
}

std::optional<std::int64_t> reading_of(const Reading& r, const rapidjson::Value* body,
                                       const sdk::Response& response) {
  if (!r.header.empty()) {
    const std::string_view h = response.header(r.header);
    if (h.empty()) return std::nullopt;
    return sdk::scale_decimal(h, 0, sdk::Rounding::toward_zero);
  }
  if (r.pointer && body != nullptr) return integer_at(*body, *r.pointer);
  return std::nullopt;
}

void report_limits(const JobContext& ctx, const rapidjson::Value* body,
                   const sdk::Response& response, sdk::Emitter& out) {
  const RateLimit& rate = ctx.manifest.rate;
  std::optional<std::int64_t> remaining, per_minute;
  if (rate.remaining) remaining = reading_of(*rate.remaining, body, response);
  if (rate.limit_per_minute) per_minute = reading_of(*rate.limit_per_minute, body, response);
  if (remaining || per_minute) out.rate_limits(per_minute.value_or(-1), remaining.value_or(-1));
}

std::string payload_text(const NamedTemplates& payload, const Scope& scope) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& [name, value] : payload) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    const std::string text = value.text(scope);
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

bool listed(const rapidjson::Value& config, const std::string& option, const std::string& key) {
  auto it = config.FindMember(option.c_str());
  if (it == config.MemberEnd() || !it->value.IsArray() || it->value.Empty()) return true;
  return std::any_of(it->value.Begin(), it->value.End(), [&](const rapidjson::Value& v) {
    return v.IsString() && key == v.GetString();
  });
}

void emit_children(const JobContext& ctx, const Scope& scope, sdk::Emitter& out) {
  for (const auto& child : ctx.stream.children) {
    const Template::Rendered key = child.key.render(scope);
    if (!key.complete || key.text.empty()) continue;
    if (!child.if_listed_in.empty() && !listed(ctx.config, child.if_listed_in, key.text)) continue;
    out.job(std::string(kJobTypePrefix) + child.stream, key.text,
            child.payload.empty() ? std::string() : payload_text(child.payload, scope));
  }
}

// The lookup's answer from the records of its one response.
std::string lookup_cursor(const JobContext& ctx, const std::vector<MappedRecord>& records) {
  const Lookup& lookup = ctx.manifest.lookups[static_cast<std::size_t>(ctx.stream.lookup)];
  const MappedRecord* other = nullptr;
  for (const auto& r : records) {
    if (r.kind != lookup.record_kind) continue;
    if (r.key == ctx.job.key) return std::string(sdk::kLookupFound);
    if (other == nullptr) other = &r;
  }
  return other != nullptr ? sdk::lookup_found_as(other->key) : std::string(sdk::kLookupNotFound);
}

void finish(const JobContext& ctx, JobCursor cursor, sdk::Emitter& out) {
  JobCursor final_cursor;
  final_cursor.since = cursor.since;
  if (ctx.stream.incremental) {
    const Incremental& inc = *ctx.stream.incremental;
    if (inc.source == Incremental::Source::max_seen && cursor.max) {
      final_cursor.since = cursor.max;
    } else if (inc.source == Incremental::Source::sync_time && cursor.run_time) {
      final_cursor.since = inc.format == "epoch" ? std::to_string(*cursor.run_time)
                                                 : format_time(*cursor.run_time, inc.format);
    }
  }
  out.cursor(final_cursor.to_json());
}

}  // namespace

rapidjson::Document payload_of(const sdk::Job& job) {
  rapidjson::Document doc;
  doc.Parse(job.payload.data(), job.payload.size());
  if (job.payload.empty() || doc.HasParseError() || !doc.IsObject()) doc.SetObject();
  return doc;
}

Scope job_scope(const JobContext& ctx, const rapidjson::Value& payload, const JobCursor& cursor) {
  Scope s;
  s.config = &ctx.config;
  s.job_key = ctx.job.key;
  s.job_type = ctx.job.type;
  s.parent = &payload;
  s.since = cursor.since;
  s.tables = &ctx.manifest.tables;
  return s;
}

void handle_page(const JobContext& ctx, const sdk::Request& request, const sdk::Response& response,
                 sdk::Emitter& out) {
  const Stream& stream = ctx.stream;
  JobCursor cursor = JobCursor::parse(ctx.job.cursor);
  const PageState state = cursor.next.value_or(stream.paging.first());
  const rapidjson::Document payload = payload_of(ctx.job);

  // Items keep their text exactly as received (raw_json, quarantine).
  const sdk::ParsedBody parsed(response.body);
  const bool json = parsed.ok();
  const rapidjson::Value& body = parsed.root();
  Scope scope = job_scope(ctx, payload, cursor);
  stream.paging.expose(state, scope);
  scope.body = json ? &body : nullptr;
  scope.status = response.status;
  scope.request_url = request.url;

  std::optional<Verdict> verdict = stream.errors.match(response.status, scope.body, scope);
  if (!verdict) verdict = ctx.manifest.errors.match(response.status, scope.body, scope);
  if (!verdict) verdict = Verdict{default_action(response.status), {}};
  if (verdict->message.empty() && verdict->action != Action::ok) {
    verdict->message = default_message(ctx, request, response.status, response.body);
  }
  switch (verdict->action) {
    case Action::retry:
      throw sdk::Retry(verdict->message);
    case Action::permanent:
      throw sdk::Permanent(verdict->message);
    case Action::fatal:
      throw sdk::Fatal(verdict->message);
    case Action::empty:
    case Action::not_found:
    case Action::invalid:
      // An answer meaning "nothing here": the stream ends; a lookup remembers the answer.
      if (stream.lookup >= 0) {
        out.cursor(verdict->action == Action::invalid ? sdk::kLookupInvalid : sdk::kLookupNotFound);
      } else {
        finish(ctx, cursor, out);
      }
      return;
    case Action::ok:
      break;
  }
  if (!json) {
    // A 2xx that does not parse is a body cut short: the host retries the same request.
    throw sdk::Retry(ctx.manifest.name + " sent a truncated or malformed body for " + request.url +
                     " (HTTP " + std::to_string(response.status) + ", " +
                     std::to_string(response.body.size()) + " bytes: " + parsed.error() + ")");
  }
  report_limits(ctx, &body, response, out);
  if (stream.incremental && stream.incremental->source == Incremental::Source::sync_time &&
      !cursor.run_time) {
    cursor.run_time = parse_http_date(response.header("Date"));
  }

  const rapidjson::Value* items = stream.items ? stream.items->Get(body) : &body;
  std::size_t count = 0;
  std::vector<MappedRecord> records;
  const auto take = [&](const rapidjson::Value& item) {
    ++count;
    const std::string raw = parsed.raw(item);
    if (stream.schema) {
      if (auto bad = stream.schema->validate(item)) {
        out.reject(bad->reason, bad->json_path, raw);
        return;
      }
    }
    Scope item_scope = scope;
    item_scope.item = &item;
    const std::size_t mark = records.size();
    for (const auto& mapping : stream.records) {
      if (auto failure = mapping.map(item_scope, raw, records, &parsed)) {
        records.resize(mark);
        out.reject(failure->reason, failure->path, raw);
        return;
      }
    }
    emit_children(ctx, item_scope, out);
    if (stream.incremental && stream.incremental->source == Incremental::Source::max_seen) {
      const rapidjson::Value* v = stream.incremental->pointer->Get(item);
      std::optional<std::string> seen = v != nullptr ? scalar_text(*v) : std::nullopt;
      if (seen && (!cursor.max || later(*seen, *cursor.max))) cursor.max = std::move(seen);
    }
  };
  if (items != nullptr && items->IsArray()) {
    for (const auto& item : items->GetArray()) take(item);
  } else if (items != nullptr && items->IsObject()) {
    take(*items);
  }
  Scope page_scope = scope;
  page_scope.item = &body;
  for (const auto& mapping : stream.page_records) {
    if (auto failure = mapping.map(page_scope, "{}", records)) {
      throw sdk::Permanent("page record: " + failure->reason);
    }
  }
  for (const auto& r : records) out.record(r.kind, r.key, r.parent, r.core_json, r.raw_json);

  if (stream.lookup >= 0) {
    out.cursor(lookup_cursor(ctx, records));
    return;
  }
  PageFacts facts{&body, &response, count};
  std::optional<PageState> next = stream.paging.next(state, facts, scope, ctx.base_url);
  if (!next) {
    finish(ctx, cursor, out);
    return;
  }
  cursor.next = *next;
  out.cursor(cursor.to_json());
  Scope next_scope = job_scope(ctx, payload, cursor);
  stream.paging.expose(*next, next_scope);
  out.request(build_request(ctx.manifest, stream, *next, next_scope, ctx.base_url));
}

}  // namespace cardsync::rest
