#!/usr/bin/env bash
# Resident memory and answers of a RELEASE `credence serve` (SQLite, OWASP argon2id cost:
# 19 MiB a hash) under N concurrent wrong sign-ins (default 200), then the 429 behaviour:
# one address making more sign-in attempts than its budget, and one account getting more
# wrong passwords than its lock allows. Prints the peak resident size (VmHWM) and the
# answers by status. See BENCHMARKS.md.
#
# Usage: scripts/bench-signin-memory.sh [N]
#   CREDENCE_BIN   the release binary (default $CARGO_TARGET_DIR/release/credence)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
bin="${CREDENCE_BIN:-${CARGO_TARGET_DIR:-target}/release/credence}"
[ -x "$bin" ] || { echo "bench-signin-memory: no release binary at $bin (cargo build --release -p credence-cli)" >&2; exit 1; }
port="${PORT:-18092}"
base="http://127.0.0.1:$port"
work="$(mktemp -d /tmp/credence-signin.XXXXXX)"
export CREDENCE_DATA_DIR="$work/data" CREDENCE_LISTEN="127.0.0.1:$port" CREDENCE_LOG=warn
start() {
  "$bin" serve >>"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.5; done
}
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
# The memory part measures the hashing gate, so one address may try as often as it likes.
CREDENCE_LIMITS_SIGN_IN_PER_MINUTE=0 start
rss() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }
echo "resident after start: $(( $(rss VmRSS) / 1024 )) MiB"
curl -sf -X POST -H 'Content-Type: application/json' "$base/api/v1/accounts" \
  --data '{"email":"bench@signin.test","display_name":"Bench","password":"correct horse battery staple"}' >/dev/null
python3 - "$base" "$n" <<'PY'
import collections, concurrent.futures, json, sys, urllib.request, urllib.error
base, n = sys.argv[1], int(sys.argv[2])
def attempt(i):
    body = json.dumps({"email": f"nobody{i}@signin.test", "password": "wrong password 123"}).encode()
    req = urllib.request.Request(base + "/api/v1/session", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
    codes = collections.Counter(pool.map(attempt, range(n)))
print(f"{n} concurrent wrong sign-ins from one address: " + ", ".join(f"{c}: {k}" for c, k in sorted(codes.items())))
PY
echo "peak resident (VmHWM): $(( $(rss VmHWM) / 1024 )) MiB; resident now: $(( $(rss VmRSS) / 1024 )) MiB"
kill $pid; wait $pid 2>/dev/null || true
start
echo "with the default budgets: one account, 7 wrong passwords, then the right one:"
for i in 1 2 3 4 5 6 7; do
  printf '  wrong %s: %s\n' "$i" "$(curl -s -o /dev/null -w '%{http_code} retry-after=%header{retry-after}' -X POST -H 'Content-Type: application/json' \
    --data '{"email":"bench@signin.test","password":"not the password"}' "$base/api/v1/session")"
done
printf '  right: %s\n' "$(curl -s -o /dev/null -w '%{http_code} retry-after=%header{retry-after}' -X POST -H 'Content-Type: application/json' \
  --data '{"email":"bench@signin.test","password":"correct horse battery staple"}' "$base/api/v1/session")"
python3 - "$base" <<'PY'
import collections, json, sys, urllib.request, urllib.error
base = sys.argv[1]
codes = collections.Counter()
for i in range(30):
    body = json.dumps({"email": f"other{i}@signin.test", "password": "wrong password 123"}).encode()
    req = urllib.request.Request(base + "/api/v1/session", data=body, headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=30)
    except urllib.error.HTTPError as e:
        codes[e.code] += 1
print("then 30 attempts at other accounts from the same address: " + ", ".join(f"{c}: {k}" for c, k in sorted(codes.items())))
PY
