#!/usr/bin/env bash
# The Quick start's store, in a folder and on a port of its own (a demo of yours in .demo/ is left
# alone): make demo builds it and gets its three questions answered, a second make demo reuses it,
# and make demo-stop ends every process it started (the PIDs it recorded, web workers included).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
export AISLE_DEMO_DIR="$tmp/demo" AISLE_DEMO_PORT="${AISLE_DEMO_PORT:-8089}"
trap 'php scripts/demo-wordpress.php stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
fail() { echo "$1"; echo "test-demo: $2" >&2; exit 1; }

out=$(make --no-print-directory demo 2>&1) || fail "$out" "make demo failed"
grep -q "Asked the widget 3 questions through /aisle/v1/chat; all answered" <<<"$out" || fail "$out" "the demo's questions were not all answered"
grep -q "Store:     http://127.0.0.1:$AISLE_DEMO_PORT/" <<<"$out" || fail "$out" "no store address printed"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AISLE_DEMO_PORT/shop/")
[[ $code == 200 ]] || fail "$out" "the shop answered $code"

again=$(make --no-print-directory demo 2>&1) || fail "$again" "the second make demo failed"
grep -q "still running and healthy" <<<"$again" || fail "$again" "the second make demo did not reuse the first"

pids=$(cat "$AISLE_DEMO_DIR"/web.pid "$AISLE_DEMO_DIR"/mariadb.pid "$AISLE_DEMO_DIR"/web-workers.pids)
make --no-print-directory demo-stop >/dev/null
# Running: it exists and is not a zombie (an ended process its parent, here init, has not reaped).
running() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; [[ ${s:0:1} != Z ]]; }
for pid in $pids; do
  if running "$pid"; then fail "" "process $pid is still running after make demo-stop"; fi
done
echo "test-demo: make demo built the store and answered its 3 questions, a second run reused it, make demo-stop ended its $(wc -w <<<"$pids") processes"
