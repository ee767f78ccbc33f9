#pragma once
// cardsync SDK: the keys of lookups (a card id, a cert number). People type or paste them, so
// a provider's normalise_key turns input into the one canonical key, or says what a key looks
// like; and a lookup job's key must already be canonical, since the host normalises before it
// enqueues: anything else is a bug or a hand-made job and must never reach the upstream.
// Pure functions: thread-safe.

#include <cardsync/marshalling.hpp>
#include <cardsync/provider.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cardsync::sdk {

// `text` without surrounding spaces, tabs and line breaks (a borrowed view of it).
inline std::string_view trim_space(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The end of a key problem quoting the input: "; \"<first 40 characters>\" is not one", or ""
// for empty input.
inline std::string not_one(std::string_view input) {
  return input.empty() ? "" : "; \"" + std::string(input.substr(0, 40)) + "\" is not one";
}

// normalise_key's answer: `key`, else sdk::Permanent(problem).
inline std::string key_or_throw(const std::optional<std::string>& key, const std::string& problem) {
  if (!key) throw Permanent(problem);
  return *key;
}

// The key of `job`, which `key` (its normalised form) must equal. Otherwise throws
// sdk::Permanent "<type> job key "<key>" is not <what> (<problem, or `form` without one>)".
inline std::string canonical_job_key(const Job& job, const std::optional<std::string>& key,
                                     const std::string& problem, std::string_view what,
                                     std::string_view form) {
  if (!key || *key != job.key) {
    throw Permanent(std::string(job.type) + " job key \"" + std::string(job.key.substr(0, 40)) +
                    "\" is not " + std::string(what) + " (" +
                    (problem.empty() ? std::string(form) : problem) + ")");
  }
  return *key;
}

}  // namespace cardsync::sdk
