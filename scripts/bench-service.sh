#!/usr/bin/env bash
# Service benchmarks for issue 6 (see BENCHMARKS.md): starts a RELEASE `credence serve` on a
# fresh SQLite or PostgreSQL database, and measures over loopback with wrk and curl:
#   1. bulk award of 10,000 credentials end to end (POST the CSV, poll the job until finished),
#   2. POST /credentials/verify throughput, and latency paced near 1,000 requests/s, with the
#      ob3-interop credential again and again, then with the 10,000 distinct credentials this
#      Credence issued in step 1 (the paced run starts half-way through them, so no request
#      of either run is answered from the memo of verified documents),
#   3. GET /orgs/{slug}/status/revocation throughput,
#   4. the cost of one verification and one award with ~1,000 awards stored and again after
#      scripts/bench-seed-awards.sh has filled the awards table to 1,000,000 rows,
#   5. the server's peak resident size (VmHWM) after the bulk award, and under the
#      verification load alone (the peak is reset in between).
# Every figure line starts with "RESULT" and carries the load average at that moment.
#
# Usage: scripts/bench-service.sh [sqlite|postgres]
#   CREDENCE_BIN      the release binary (default $CARGO_TARGET_DIR/release/credence)
#   BENCH_PG_ADMIN    admin URL for postgres (default postgres://postgres@127.0.0.1:5432/postgres)
#   BENCH_SERVER_CPUS taskset list for the server, BENCH_LOAD_CPUS for wrk (default 0-1 both:
#                     the two share the machine's two cores; set 0 and 1 for per-core figures)
#   BENCH_DURATION    seconds per wrk run (default 10); BENCH_SEED total awards (default 1000000)
#   BENCH_QUICK       1: stop after the status list, before seeding (steps 1-3, 4a and 5 only)
#   BENCH_PERF_DIR    a folder: record a `perf` profile of the server during the bulk award
#                     and each wrk run there (LABEL.data; `perf report -i` reads it), with
#                     BENCH_PERF_ARGS (default -F 999; e.g. "-F 499 --call-graph dwarf")
# Needs: wrk, curl, jq, sqlite3 or psql, taskset.
set -euo pipefail
cd "$(dirname "$0")/.."

engine="${1:-sqlite}"
bin="${CREDENCE_BIN:-${CARGO_TARGET_DIR:-target}/release/credence}"
port="${BENCH_PORT:-18080}"
server_cpus="${BENCH_SERVER_CPUS:-0-1}"
load_cpus="${BENCH_LOAD_CPUS:-0-1}"
duration="${BENCH_DURATION:-10}"
seed_total="${BENCH_SEED:-1000000}"
pg_admin="${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
base="http://127.0.0.1:$port"
vector=tests/vectors/ob3-interop/ob3-signed-by-js.json

for tool in wrk curl jq taskset; do
  command -v "$tool" >/dev/null || { echo "bench-service: $tool is required" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "bench-service: no release binary at $bin (cargo build --release -p credence-cli)" >&2; exit 1; }

work="$(mktemp -d /tmp/credence-bench.XXXXXX)"
export CREDENCE_DATA_DIR="$work/data"
export CREDENCE_PUBLIC_URL="$base"
export CREDENCE_LISTEN="127.0.0.1:$port"
export CREDENCE_LOG="${CREDENCE_LOG:-warn}"
# wrk drives verification from one address: lift the per-client verification budget.
export CREDENCE_LIMITS_VERIFY_PER_MINUTE=0
case "$engine" in
  sqlite)
    db_sql() { sqlite3 -batch "$CREDENCE_DATA_DIR/credence.db"; } ;;
  postgres)
    pg_db="credence_bench_$$"
    psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
    export CREDENCE_DATABASE_URL="${pg_admin%/*}/$pg_db"
    db_sql() { psql -qAt -v ON_ERROR_STOP=1 "$CREDENCE_DATABASE_URL"; } ;;
  *) echo "bench-service: engine must be sqlite or postgres" >&2; exit 2 ;;
esac

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  profile_stop
  stop_server
  if [ "$engine" = postgres ]; then
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
result() { echo "RESULT [$engine] $* (load $(load))"; }

start_server() {
  taskset -c "$server_cpus" "$bin" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$base/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench-service: the server did not become ready" >&2
  cat "$work/serve.log" >&2
  exit 1
}

api() { # METHOD PATH [curl args...]
  local method="$1" path="$2"
  shift 2
  curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $token" "$base$path" "$@"
}

# wrk script for POST /credentials/verify with the vector as body.
jq -c '{verifiableCredential: .}' "$vector" >"$work/verify-body.json"
cat >"$work/verify.lua" <<LUA
local f = io.open("$work/verify-body.json")
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()
-- BENCH_DELAY_MS paces each connection (wrk has no fixed-rate mode).
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
function delay() return pace end
LUA

# With BENCH_PERF_DIR, profiles the server from now until profile_stop (perf, 999 Hz).
perf_pid=""
profile_start() { # LABEL
  [ -n "${BENCH_PERF_DIR:-}" ] || return 0
  mkdir -p "$BENCH_PERF_DIR"
  # shellcheck disable=SC2086
  perf record -q ${BENCH_PERF_ARGS:--F 999} -p "$server_pid" -o "$BENCH_PERF_DIR/${1// /-}.data" >/dev/null 2>&1 &
  perf_pid=$!
}
profile_stop() {
  [ -n "$perf_pid" ] || return 0
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" 2>/dev/null || true
  perf_pid=""
}

wrk_run() { # LABEL CONNECTIONS URL [wrk args...]; prints requests/s and latency percentiles
  local label="$1" conns="$2" url="$3"
  shift 3
  local out
  profile_start "$label"
  out="$(taskset -c "$load_cpus" wrk -t1 -c"$conns" -d"${duration}s" --latency "$@" "$url")"
  profile_stop
  echo "$out" >"$work/wrk-$label.txt"
  local rps p50 p99 non2xx
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  result "$label: ${rps} requests/s, p50 $p50, p99 $p99, connections $conns, non-2xx ${non2xx:-0}"
}

# Median of curl's time_total over N sequential requests, in ms.
median_ms() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]*1000}'; }

verify_cost() { # LABEL: median of 200 sequential verifications (one at a time, no load)
  for _ in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' \
      --data-binary "@$work/verify-body.json" "$base/credentials/verify"
  done | median_ms >"$work/v.txt"
  result "$1: one verification, median of 200 sequential: $(cat "$work/v.txt") ms"
}

award_cost() { # LABEL: median of 200 sequential single awards
  local tag="$1"
  for i in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_total}\n' -X POST -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' \
      --data "{\"achievement\":\"$achievement\",\"email\":\"holder$((i - 1))@bench.test\",\"override_justification\":\"benchmark: awarded without evidence to measure the service\",\"key\":\"single-$tag-$i\"}" \
      "$base/api/v1/orgs/bench/awards"
  done | median_ms >"$work/a.txt"
  result "$tag: one award (POST /api/v1/orgs/bench/awards), median of 200 sequential: $(cat "$work/a.txt") ms"
}

own_verify_cost() { # LABEL: median of 200 sequential verifications of the 200 single awards
  # credentials (distinct, this Credence's, both status lists checked; a server started since
  # they were last verified, so none is answered from the memo of verified documents).
  local n=0
  while IFS= read -r body; do
    n=$((n + 1))
    curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' \
      --data-binary "$body" "$base/credentials/verify"
  done <"$work/own.jsonl" | median_ms >"$work/o.txt"
  result "$1: one verification of a distinct Credence credential, median of $(wc -l <"$work/own.jsonl") sequential: $(cat "$work/o.txt") ms"
}

# Award ids on stdin -> one {"verifiableCredential": ...} per line, each credential as
# GET /credentials/{id} serves it (stored compressed since m20261210_000001, a credential is
# not readable in SQL), in one curl process.
served_credentials() {
  while IFS= read -r id; do
    [ -n "$id" ] && printf 'url = "%s/credentials/%s?format=json"\n' "$base" "$id"
  done >"$work/fetch.cfg"
  curl -sS --fail -H "Authorization: Bearer $token" -K "$work/fetch.cfg" | jq -c '{verifiableCredential: .}'
}

portfolio_cost() { # LABEL: median of 200 sequential GET /p/bench-holder (the template holder's
  # public portfolio: its award, progress hidden)
  for _ in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_total}\n' "$base/p/bench-holder"
  done | median_ms >"$work/p.txt"
  result "$1: one public portfolio page (GET /p/bench-holder), median of 200 sequential: $(cat "$work/p.txt") ms"
}

status_cost() { # LABEL: median of 100 sequential suspensions and reinstatements of one award,
  # each committing a rebuilt, re-signed suspension list of the organisation
  for i in $(seq 1 50); do
    for action in suspend reinstate; do
      curl -s -o /dev/null -w '%{time_total}\n' -X POST -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' --data "{\"action\":\"$action\",\"reason\":\"benchmark $i\"}" \
        "$base/api/v1/awards/$template_award/status"
    done
  done | median_ms >"$work/s.txt"
  result "$1: one status change with its list rebuilt (POST /api/v1/awards/{id}/status), median of 100 sequential: $(cat "$work/s.txt") ms"
}

award_count() { echo "SELECT count(*) FROM awards;" | db_sql | tr -d ' ' | grep -E '^[0-9]+$'; }

echo "== $engine: setting up in $work" >&2
"$bin" migrate >/dev/null 2>&1
"$bin" org create --slug bench --name "Bench Provider" --kind provider --did-method key >/dev/null 2>&1
token="$("$bin" token create --org bench --role issuer 2>/dev/null)"
start_server
achievement="$(api POST /api/v1/orgs/bench/achievements -H 'Content-Type: application/json' \
  --data '{"pathway":"foundational"}' | jq -r .uuid)"
# 10,000 holders: one registered through the API, cloned in SQL (hashing 10,000 passwords
# would measure argon2id, not awards).
curl -sS -f -X POST -H 'Content-Type: application/json' "$base/api/v1/accounts" \
  --data '{"email":"template@bench.test","display_name":"Bench Holder","password":"bench password long enough"}' >/dev/null
scripts/bench-seed-accounts.sh "$engine" 10000 | db_sql

# One real award: the credential text the seeded rows reuse. Its holder's portfolio is made
# public (in SQL: the holder would otherwise sign in to choose it) for the page's cost.
template_award="$(api POST /api/v1/orgs/bench/awards -H 'Content-Type: application/json' \
  --data "{\"achievement\":\"$achievement\",\"email\":\"template@bench.test\",\"override_justification\":\"benchmark: awarded without evidence to measure the service\",\"key\":\"template\"}" | jq -r .award.id)"
if [ "$engine" = sqlite ]; then yes=1; else yes=true; fi
echo "UPDATE accounts SET portfolio_public = $yes, portfolio_slug = 'bench-holder' WHERE email = 'template@bench.test';
UPDATE awards SET public = $yes WHERE idempotency_key = 'template';" | db_sql

# 4a. cost with few awards (~1,000 seeded awards in a filler organisation; see the seed script).
scripts/bench-seed-awards.sh "$engine" 1000 bench | db_sql
result "awards stored: $(award_count)"
verify_cost "cost@1k"
portfolio_cost "cost@1k"
status_cost "cost@1k"
award_cost "cost@1k"
award_cost "cost@1k-again"
result "awards stored after the single awards: $(award_count)"
echo "SELECT id FROM awards WHERE idempotency_key LIKE 'single-cost@1k-%' AND idempotency_key NOT LIKE '%again%' ORDER BY id;" |
  db_sql | served_credentials >"$work/own.jsonl"
own_verify_cost "cost@1k"

# 1. Bulk award of 10,000 (the single awards above used keys single-*, holders 0..199).
{
  echo "key,email,name,valid_from,override_justification"
  for i in $(seq 0 9999); do echo "bulk-$i,holder$i@bench.test,,,benchmark: awarded without evidence to measure the service"; done
} >"$work/bulk.csv"
profile_start bulk
t0="$(date +%s.%N)"
job="$(api POST "/api/v1/orgs/bench/awards/bulk?achievement=$achievement&format=csv" \
  -H 'Content-Type: text/csv' --data-binary "@$work/bulk.csv")"
job_id="$(jq -r .id <<<"$job")"
# Polled four times a second, without starting jq each time: on two cores, curl and jq
# every 50 ms took about 8 % of the machine from the server. The figure is the job's own
# span (created when the POST is accepted, finished after its last batch commits); the
# client's wall time, which includes the upload and up to 0.25 s of polling, is shown too.
running='"state": *"running"'
while :; do
  state="$(api GET "/api/v1/bulk/$job_id")"
  [[ $state =~ $running ]] || break
  sleep 0.25
done
t1="$(date +%s.%N)"
profile_stop
wall="$(echo "$t1 - $t0" | bc -l)"
created="$(date -d "$(jq -r .created_at <<<"$state")" +%s.%N)"
finished="$(date -d "$(jq -r .finished_at <<<"$state")" +%s.%N)"
secs="$(echo "$finished - $created" | bc -l)"
result "bulk 10,000: $(printf '%.2f' "$secs") s from the job's creation to its end, $(echo "10000 / $secs" | bc) credentials/s (client wall time $(printf '%.2f' "$wall") s, $(echo "10000 / $wall" | bc)/s); job $(jq -c '{state,done,refused}' <<<"$state")"
result "audit entries: $(echo "SELECT count(*) FROM audit_log;" | db_sql 2>/dev/null | tr -d ' ' | head -1)"
result "server VmHWM after the bulk award: $(awk '/VmHWM/ {print $2, $3}' /proc/"$server_pid"/status), VmRSS $(awk '/VmRSS/ {print $2, $3}' /proc/"$server_pid"/status)"
# The verification figure is the peak under verification load: reset the peak (Linux 4.0+).
echo 5 >/proc/"$server_pid"/clear_refs 2>/dev/null || result "(could not reset VmHWM: the next peak includes the bulk award)"

# 2. Verification under load (server pinned to $server_cpus, wrk to $load_cpus).
curl -sS -H 'Content-Type: application/json' --data-binary "@$work/verify-body.json" \
  "$base/credentials/verify" | jq -c '{verified: .verified, checks: (.checks // [] | length)}' >&2 || true
wrk_run "verify max" 16 "$base/credentials/verify" -s "$work/verify.lua"
# ~1,000 requests/s: 12 connections, each waiting 10 ms after each answer (wrk has no fixed rate).
BENCH_DELAY_MS=10 wrk_run "verify paced" 12 "$base/credentials/verify" -s "$work/verify.lua"
# The same with 5,000 distinct credentials of this Credence (signed, with both status lists).
echo "SELECT id FROM awards WHERE idempotency_key LIKE 'bulk-%' ORDER BY id;" | db_sql |
  served_credentials >"$work/distinct.jsonl"
cat >"$work/distinct.lua" <<LUA
local bodies = {}
for line in io.lines("$work/distinct.jsonl") do bodies[#bodies + 1] = line end
-- BENCH_OFFSET: where to start, so that a second run sends credentials the first did not.
local i = tonumber(os.getenv("BENCH_OFFSET") or "0")
local headers = { ["Content-Type"] = "application/json" }
function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/credentials/verify", headers, bodies[i])
end
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
function delay() return pace end
LUA
result "distinct credentials: $(wc -l <"$work/distinct.jsonl"), $(head -1 "$work/distinct.jsonl" | wc -c) bytes each"
wrk_run "verify distinct max" 16 "$base/credentials/verify" -s "$work/distinct.lua"
BENCH_OFFSET=5000 BENCH_DELAY_MS=10 wrk_run "verify distinct paced" 12 "$base/credentials/verify" -s "$work/distinct.lua"
result "server VmHWM after verification load: $(awk '/VmHWM/ {print $2, $3}' /proc/"$server_pid"/status), VmRSS $(awk '/VmRSS/ {print $2, $3}' /proc/"$server_pid"/status)"

# 3. Status list.
curl -sS -o /dev/null -w '%{http_code} %{size_download} bytes\n' "$base/orgs/bench/status/revocation" >&2
wrk_run "status list" 16 "$base/orgs/bench/status/revocation"

# BENCH_QUICK=1 stops here, before the 1M seeding (for trying a change to the hot paths).
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  result "quick run: stopped before seeding to $seed_total awards"
  exit 0
fi

# 4b. cost with 1,000,000 awards.
stop_server
t0="$(date +%s.%N)"
scripts/bench-seed-awards.sh "$engine" "$seed_total" bench | db_sql
result "seeded to $(award_count) awards in $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc -l)") s"
start_server
verify_cost "cost@$seed_total"
own_verify_cost "cost@$seed_total"
portfolio_cost "cost@$seed_total"
status_cost "cost@$seed_total"
award_cost "cost@$seed_total"
# Again, now that the first pass has brought the award tables' pages into memory.
award_cost "cost@$seed_total-again"
wrk_run "verify max @$seed_total" 16 "$base/credentials/verify" -s "$work/verify.lua"
result "server VmHWM at the end: $(awk '/VmHWM/ {print $2, $3}' /proc/"$server_pid"/status)"
