#include "admin/log_broadcast.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <variant>

#include "queue/failed_jobs_csv.hpp"

namespace cardsync::admin {

std::vector<std::string> LogBroadcast::Subscription::take() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out(std::make_move_iterator(lines_.begin()),
                               std::make_move_iterator(lines_.end()));
  lines_.clear();
  return out;
}

int64_t LogBroadcast::Subscription::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void LogBroadcast::Subscription::push(const log::Record& record, const std::string& line) {
  if (record.level < min_level_) return;
  if (!request_id_.empty() && record.request_id != request_id_) return;
  std::lock_guard lock(mu_);
  lines_.push_back(line);
  if (lines_.size() > kCapacity) {
    lines_.pop_front();
    ++dropped_;
  }
}

std::shared_ptr<LogBroadcast::Subscription> LogBroadcast::subscribe(log::Level min_level,
                                                                    std::string request_id) {
  auto sub = std::make_shared<Subscription>(min_level, std::move(request_id));
  std::lock_guard lock(mu_);
  std::erase_if(subscribers_, [](const auto& w) { return w.expired(); });
  subscribers_.push_back(sub);
  live_.store(subscribers_.size(), std::memory_order_relaxed);
  return sub;
}

void LogBroadcast::write(const log::Record& record) {
  if (live_.load(std::memory_order_relaxed) == 0) return;
  const std::string line = to_json(record);
  std::vector<std::shared_ptr<Subscription>> subs;
  {
    std::lock_guard lock(mu_);
    std::erase_if(subscribers_, [](const auto& w) { return w.expired(); });
    live_.store(subscribers_.size(), std::memory_order_relaxed);
    for (const auto& w : subscribers_) {
      if (auto s = w.lock()) subs.push_back(std::move(s));
    }
  }
  for (const auto& s : subs) s->push(record, line);
}

std::string LogBroadcast::to_json(const log::Record& record) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("id");
  w.Null();
  w.Key("ts");
  w.String(queue::iso8601_utc(
      std::chrono::duration_cast<std::chrono::milliseconds>(record.ts.time_since_epoch()).count()));
  w.Key("level");
  const auto level = log::to_string(record.level);
  w.String(level.data(), static_cast<rapidjson::SizeType>(level.size()));
  w.Key("request_id");
  w.String(record.request_id);
  w.Key("msg");
  w.String(record.message);
  w.Key("fields");
  w.StartObject();
  for (const auto& f : record.fields) {
    w.Key(f.key.c_str(), static_cast<rapidjson::SizeType>(f.key.size()));
    std::visit(
        [&w](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            w.String(v);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            w.Int64(v);
          } else if constexpr (std::is_same_v<T, double>) {
            if (std::isfinite(v)) {
              w.Double(v);
            } else {
              w.Null();
            }
          } else {
            w.Bool(v);
          }
        },
        f.value);
  }
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace cardsync::admin
