#!/usr/bin/env bash
# The shipped alert rules: valid (`promtool check rules`), firing as their tests say
# (`promtool test rules`), and shown in docs/operations.md exactly as shipped; the docs'
# scrape configuration loads them (`promtool check config`). Without
# promtool: skipped (exit 77), or failed when CARDSYNC_REQUIRE_PROMTOOL=1 (CI).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rules="$root/config/prometheus/cardsync-alerts.yml"

# The docs' copy: the first yaml block of the "Alerting" section.
docs_copy=$(awk '/^#+ Alerting/{a=1} a&&/^```yaml/{b=1;next} b&&/^```/{exit} b' "$root/docs/operations.md")
if ! diff -u "$rules" <(printf '%s\n' "$docs_copy"); then
  echo "docs/operations.md's alert rules differ from config/prometheus/cardsync-alerts.yml" >&2
  exit 1
fi

if ! command -v promtool >/dev/null; then
  echo "promtool is not installed (Debian: apt-get install prometheus; scripts/install-deps.sh)"
  [[ "${CARDSYNC_REQUIRE_PROMTOOL:-}" == 1 ]] && exit 1
  exit 77
fi
promtool check rules "$rules"

# The docs' scrape configuration (the first yaml block of "Metrics and alerting"), with its
# rule file where the docs install it replaced by a scratch copy.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$rules" "$scratch/cardsync-alerts.yml"
awk '/^## Metrics and alerting/{a=1} a&&/^```yaml/{b=1;next} b&&/^```/{exit} b' "$root/docs/operations.md" |
  sed "s|/etc/prometheus/cardsync-alerts.yml|$scratch/cardsync-alerts.yml|" >"$scratch/prometheus.yml"
grep -q cardsync-alerts.yml "$scratch/prometheus.yml"
promtool check config "$scratch/prometheus.yml"

cd "$root/tests/prometheus"
promtool test rules cardsync-alerts.test.yml
