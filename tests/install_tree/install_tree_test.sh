#!/usr/bin/env bash
# install_tree_test.sh BUILD_DIR WORK_DIR SOURCE_DIR: installs every component of BUILD_DIR
# into WORK_DIR/staged, moves the tree to WORK_DIR/moved (so nothing may point back at the
# staging prefix or the build tree), checks the layout, and syncs from the installed sandbox
# with the installed cardsync, from a working directory that holds nothing else.
set -euo pipefail
build=$1 work=$2 source=$3
fail() { echo "install_tree_test: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/cwd"
cmake --install "$build" --prefix "$work/staged" >"$work/install.log"
mv "$work/staged" "$work/moved"
tree=$work/moved

for f in bin/cardsync bin/cardsync-sandbox share/cardsync/cardsync.example.json \
  share/doc/cardsync/README.md share/doc/cardsync/operations.md \
  share/bash-completion/completions/cardsync share/man/man1/cardsync.1.gz \
  share/man/man1/cardsync-sandbox.1.gz \
  lib/cmake/cardsync-sdk/cardsync-sdkConfig.cmake include/cardsync/abi.h \
  lib/systemd/system/cardsync.service lib/systemd/system/cardsync-sync.timer \
  etc/cardsync/cardsync.json; do
  [[ -f $tree/$f ]] || fail "missing $f"
done
for m in "$source"/manifests/*.json; do
  [[ -f $tree/share/cardsync/manifests/$(basename "$m") ]] || fail "manifest $(basename "$m") not installed"
done
# Every plugin under plugins/ ships, as cardsync-<kind>-<name>.so.
for dir in "$source"/plugins/*/; do
  name=$(basename "$dir")
  compgen -G "$tree/lib/cardsync/cardsync-*-$name.so" >/dev/null || fail "plugin $name not installed"
done
if readelf -d "$tree/bin/cardsync" | grep -E 'R(UN)?PATH' | grep -q "$build"; then
  fail "the installed cardsync has an RPATH into the build tree"
fi
gzip -dc "$tree/share/man/man1/cardsync.1.gz" | grep -q '^\.TH CARDSYNC "1"' || fail "man page has no .TH"
gzip -dc "$tree/share/man/man1/cardsync.1.gz" | grep -q 'config check' || fail "man page lacks the commands"
bash -n "$tree/share/bash-completion/completions/cardsync" || fail "bash completion does not parse"
# Units name the binary by absolute path: the one of the prefix they were installed with.
grep -q "^ExecStart=$work/staged/bin/cardsync " "$tree/lib/systemd/system/cardsync.service" ||
  fail "cardsync.service does not run the installed binary"

cd "$work/cwd"
# Only the installed tree: no build-tree plugin directory, no inherited config.
run() { env -i PATH=/usr/bin:/bin HOME="$work/cwd" "$@"; }

games=1 sets=2 cards=6 variants=3
coproc SANDBOX {
  exec env -i PATH=/usr/bin:/bin "$tree/bin/cardsync-sandbox" --port 0 --seed 11 --games $games \
    --sets-per-game $sets --cards-per-set $cards --variants-per-card $variants --invalid-rate 0
}
sandbox_pid=$SANDBOX_PID
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT
read -r line <&"${SANDBOX[0]}"
port=${line##*:}

cat >cardsync.json <<JSON
{
  "providers": {
    "justtcg": {"base_url": "http://127.0.0.1:$port/v1", "api_key": "tcg_sandbox",
                "plan": "enterprise"}
  },
  "storage": {"sqlite": {"path": "$work/cwd/cardsync.db"}}
}
JSON
run "$tree/bin/cardsync" plugins list >plugins.txt
grep -q "$tree/lib/cardsync/cardsync-provider-justtcg.so" plugins.txt ||
  fail "the installed cardsync did not find its plugins next to it: $(cat plugins.txt)"
run "$tree/bin/cardsync" run --once >run.txt 2>&1 || fail "run --once failed: $(cat run.txt)"
got=$(sqlite3 cardsync.db 'select count(*) from variants')
want=$((games * sets * cards * variants))
[[ $got == "$want" ]] || fail "synced $got variants, the sandbox serves $want"
echo "install_tree_test: installed tree at $tree synced $got variants"
