#pragma once
// The config as it may be shown to people (`config show`, startup logs): secrets replaced.

#include <rapidjson/document.h>

namespace cardsync::config {

// Deep copy in which every value under a secret-named key (cardsync::is_secret_key: *key*,
// *token*, *secret*, *password*, ...) is replaced by "***" (whole objects and arrays too;
// null and "" stay, since they reveal nothing and show the secret is unset), and every other
// string has URL passwords and secret query parameters masked (cardsync::redact_text).
rapidjson::Document redacted(const rapidjson::Value& config);

}  // namespace cardsync::config
