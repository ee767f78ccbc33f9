#!/usr/bin/env bash
# The Debian packages end to end, as root on a Debian 12 machine, after the release build:
# builds them with cpack, checks them with lintian (no errors) and the units with
# systemd-analyze verify, installs cardsync and cardsync-sandbox with apt-get, starts the
# installed sandbox, points /etc/cardsync/cardsync.json at it, runs `/usr/bin/cardsync run
# --once` as the cardsync user, checks the variants in /var/lib/cardsync/cardsync.db, and
# purges both packages again, however the script ends.
# Usage: scripts/package-test.sh [build-dir]   (default build/release, already built)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build/release}" && pwd)
fail() { echo "package-test: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "run as root (apt-get, runuser)"
if dpkg-query -W -f='${Status}' cardsync 2>/dev/null | grep -q "ok installed"; then
  fail "cardsync is already installed here; this test installs and purges it"
fi

sandbox_pid=""
cleanup() {
  [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq cardsync cardsync-sandbox >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== cpack"
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >cpack.log) || fail "cpack failed: $build/cpack.log"
debs=("$build"/cardsync_*.deb "$build"/cardsync-sandbox_*.deb "$build"/cardsync-dev_*.deb)

echo "== lintian"
lintian --fail-on error --tag-display-limit 0 "${debs[@]}"

echo "== apt-get install"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "$build"/cardsync_*.deb "$build"/cardsync-sandbox_*.deb >/dev/null
getent passwd cardsync >/dev/null || fail "no cardsync user"
[[ $(stat -c %U /var/lib/cardsync) == cardsync ]] || fail "/var/lib/cardsync is not cardsync's"
dpkg-query -W -f='${Conffiles}' cardsync | grep -q /etc/cardsync/cardsync.json ||
  fail "/etc/cardsync/cardsync.json is not a conffile"
man -P cat cardsync 2>/dev/null | grep -q "config check" || fail "man cardsync does not render"
# The shipped config is valid as installed, once its secrets are in the environment.
JUSTTCG_API_KEY=k PSA_TOKEN=t /usr/bin/cardsync --config /etc/cardsync/cardsync.json config check ||
  fail "the shipped /etc/cardsync/cardsync.json does not pass config check"

echo "== systemd-analyze verify"
systemd-analyze verify /lib/systemd/system/cardsync.service \
  /lib/systemd/system/cardsync-sync.service /lib/systemd/system/cardsync-sync.timer

echo "== run --once as cardsync against the installed sandbox"
games=2 sets=3 cards=10 variants=4
coproc SANDBOX {
  exec setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/cardsync-sandbox --port 0 --seed 19 --games $games \
    --sets-per-game $sets --cards-per-set $cards --variants-per-card $variants --invalid-rate 0 2>/dev/null
}
sandbox_pid=$SANDBOX_PID
read -r line <&"${SANDBOX[0]}"
port=${line##*:}
cat >/etc/cardsync/cardsync.json <<JSON
// Pointed at the local sandbox by scripts/package-test.sh.
{
  "providers": {
    "justtcg": {"base_url": "http://127.0.0.1:$port/v1", "api_key": "\${JUSTTCG_API_KEY}",
                "plan": "enterprise"}
  },
  "storage": {"sqlite": {"path": "/var/lib/cardsync/cardsync.db"}}
}
JSON
# The secret goes where docs/operations.md puts it: /etc/cardsync/env, readable by the service
# only, its variables exported for a run from a shell.
install -m 0640 -o root -g cardsync /dev/null /etc/cardsync/env
cat >>/etc/cardsync/env <<'ENV'
JUSTTCG_API_KEY=tcg_sandbox
ENV
[[ $(stat -c '%a %U %G' /etc/cardsync/env) == "640 root cardsync" ]] || fail "/etc/cardsync/env is not 0640 root:cardsync"
(cd / && set -a && . /etc/cardsync/env && set +a &&
  runuser -u cardsync -- /usr/bin/cardsync --config /etc/cardsync/cardsync.json run --once)
[[ $(stat -c %U /var/lib/cardsync/cardsync.db) == cardsync ]] || fail "the database is not cardsync's"
got=$(sqlite3 /var/lib/cardsync/cardsync.db 'select count(*) from variants')
want=$((games * sets * cards * variants))
[[ $got == "$want" ]] || fail "synced $got variants, the sandbox serves $want"
echo "package-test: $got variants in /var/lib/cardsync/cardsync.db"

echo "== purge"
kill "$sandbox_pid"
sandbox_pid=""
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq cardsync cardsync-sandbox >/dev/null
for gone in /usr/bin/cardsync /usr/bin/cardsync-sandbox /usr/lib/cardsync /etc/cardsync /var/lib/cardsync; do
  [[ ! -e $gone ]] || fail "$gone is left after purge"
done
echo "package-test: ok"
