#!/usr/bin/env bash
# The workforce view at scale (issue 19; see BENCHMARKS.md): starts a RELEASE
# `credence serve` on a fresh SQLite or PostgreSQL database, makes an organisation `bench`
# with an administrator, seeds in SQL 10,000 people (accounts cloned from one registered
# through the API, each following one of the five archetypes in turn) and 200,000 pieces of
# evidence attested by `bench` (20 per person, drawn pseudo-randomly from the foundational
# and the Users' advanced statements, so that nearly every person's levels differ; attested
# over the last 300 days), then times the first request (nothing memoised) and measures
# one at a time (median of N sequential curl requests, HTTP included):
#   1. GET /api/v1/orgs/bench/workforce (the JSON),
#   2. GET /console/bench/workforce (the page),
#   3. GET /console/bench/workforce.csv.
# Every figure line starts with "RESULT" and carries the load average at that moment.
#
# Usage: scripts/bench-workforce.sh [sqlite|postgres]
#   CREDENCE_BIN    the release binary (default $CARGO_TARGET_DIR/release/credence)
#   BENCH_PG_ADMIN  admin URL for postgres (default postgres://postgres@127.0.0.1:5432/postgres)
#   BENCH_PEOPLE    people (default 10000); BENCH_PER_PERSON evidence each (default 20)
#   BENCH_REQUESTS  sequential requests per figure (default 30)
# Needs: curl, jq, sqlite3 or psql.
set -euo pipefail
cd "$(dirname "$0")/.."

engine="${1:-sqlite}"
bin="${CREDENCE_BIN:-${CARGO_TARGET_DIR:-target}/release/credence}"
port="${BENCH_PORT:-18090}"
people="${BENCH_PEOPLE:-10000}"
per="${BENCH_PER_PERSON:-20}"
requests="${BENCH_REQUESTS:-30}"
pg_admin="${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
base="http://127.0.0.1:$port"

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-workforce: $tool is required" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "bench-workforce: no release binary at $bin (cargo build --release -p credence-cli)" >&2; exit 1; }

work="$(mktemp -d /tmp/credence-bench-wf.XXXXXX)"
export CREDENCE_DATA_DIR="$work/data"
export CREDENCE_PUBLIC_URL="$base"
export CREDENCE_LISTEN="127.0.0.1:$port"
export CREDENCE_LOG="${CREDENCE_LOG:-warn}"
case "$engine" in
  sqlite)
    db_sql() { sqlite3 -batch "$CREDENCE_DATA_DIR/credence.db"; } ;;
  postgres)
    pg_db="credence_bench_wf_$$"
    psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
    export CREDENCE_DATABASE_URL="${pg_admin%/*}/$pg_db"
    db_sql() { psql -qAt -v ON_ERROR_STOP=1 "$CREDENCE_DATABASE_URL"; } ;;
  *) echo "bench-workforce: engine must be sqlite or postgres" >&2; exit 2 ;;
esac

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$engine" = postgres ]; then
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
result() { echo "RESULT [$engine] $* (load $(load))"; }
median_ms() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }

echo "== $engine: setting up in $work" >&2
"$bin" migrate >/dev/null 2>&1
"$bin" org create --slug bench --name "Bench Trust" --kind healthcare-setting --did-method key >/dev/null 2>&1
"$bin" serve >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -sf "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
password="benchmark admin password"
for who in admin template; do
  curl -sf -H 'Content-Type: application/json' \
    --data "{\"email\":\"$who@bench.test\",\"display_name\":\"Bench $who\",\"password\":\"$password\"}" \
    "$base/api/v1/accounts" >/dev/null
done
"$bin" org add-member --org bench --email admin@bench.test --role admin >/dev/null 2>&1

org_id="$(echo "SELECT id FROM organisations WHERE slug = 'bench';" | db_sql | tr -d ' ')"
framework_id="$(echo "SELECT id FROM frameworks WHERE slug = 'nhs-ai-confidence-2022';" | db_sql | tr -d ' ')"
started=$(date +%s)
scripts/bench-seed-accounts.sh "$engine" "$people" | db_sql
# The five archetypes in turn.
echo "UPDATE accounts SET archetypes = CASE CAST(substr(id, 25) AS INTEGER) % 5 \
  WHEN 0 THEN 'shaper' WHEN 1 THEN 'driver' WHEN 2 THEN 'creator' WHEN 3 THEN 'embedder' \
  ELSE 'user' END WHERE email LIKE 'holder%@bench.test';" | db_sql
cols="id, holder_id, framework_id, statement_code, level_claimed, kind, narrative, occurred_on, org_id, status, level_confirmed, source, public, created_at, updated_at"
case "$engine" in
  sqlite)
    cat <<SQL | db_sql
BEGIN;
CREATE TEMP TABLE st AS
  SELECT code, level, ROW_NUMBER() OVER (ORDER BY id) - 1 AS i FROM framework_statements
  WHERE framework_id = $framework_id AND level IS NOT NULL
    AND pathway IN ('foundational', 'advanced-user');
WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < $people),
  j(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM j WHERE k + 1 < $per)
INSERT INTO evidence ($cols)
SELECT printf('00000000-0000-4000-b%03d-%012d', k, n), printf('00000000-0000-4000-a000-%012d', n),
  $framework_id, st.code, st.level, 'course-completion', 'Benchmark evidence.',
  date('now', '-' || ((n + k) % 300) || ' days'), '$org_id', 'attested', st.level, 'bench', 0,
  strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || ((n + k) % 300) || ' days'),
  strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || ((n + k) % 300) || ' days')
FROM s, j JOIN st ON st.i = (((n * 1103515245 + k * 12345 + n * k * 2654435) % 2147483648) / 65536) % (SELECT count(*) FROM st);
COMMIT;
ANALYZE;
SQL
    ;;
  postgres)
    cat <<SQL | db_sql
CREATE TEMP TABLE st AS
  SELECT code, level, (ROW_NUMBER() OVER (ORDER BY id) - 1)::int AS i FROM framework_statements
  WHERE framework_id = $framework_id AND level IS NOT NULL
    AND pathway IN ('foundational', 'advanced-user');
INSERT INTO evidence ($cols)
SELECT format('00000000-0000-4000-b%s-%s', lpad(k::text, 3, '0'), lpad(n::text, 12, '0')),
  format('00000000-0000-4000-a000-%s', lpad(n::text, 12, '0')),
  $framework_id, st.code, st.level, 'course-completion', 'Benchmark evidence.',
  (now() - ((n + k) % 300) * interval '1 day')::date, '$org_id', 'attested', st.level, 'bench',
  false, now() - ((n + k) % 300) * interval '1 day', now() - ((n + k) % 300) * interval '1 day'
FROM generate_series(0, $people - 1) AS n CROSS JOIN generate_series(0, $per - 1) AS k
JOIN st ON st.i = (((n::bigint * 1103515245 + k * 12345 + n::bigint * k * 2654435) % 2147483648) / 65536) % (SELECT count(*) FROM st);
ANALYZE;
SQL
    ;;
esac
count="$(echo "SELECT count(*) FROM evidence WHERE org_id = '$org_id';" | db_sql | tr -d ' ')"
result "seeded $people people and $count attested pieces of evidence in $(( $(date +%s) - started )) s"

jar="$work/cookies"
curl -sf -c "$jar" -H 'Content-Type: application/json' \
  --data "{\"email\":\"admin@bench.test\",\"password\":\"$password\"}" "$base/api/v1/session" >/dev/null
first="$(curl -s -o "$work/first.json" -w '%{time_total}' -b "$jar" "$base/api/v1/orgs/bench/workforce")"
shown="$(jq -c '[.people, (.archetypes | map(.people.value))]' "$work/first.json")"
result "the view: people and archetypes $shown; the first request (every profile's progress computed, none memoised yet): $(echo "$first" | awk '{printf "%.1f", $1*1000}') ms"

measure() { # LABEL PATH ACCEPT
  for _ in $(seq 1 "$requests"); do
    curl -s -o /dev/null -w '%{time_total}\n' -b "$jar" -H "Accept: $3" "$base$2"
  done | median_ms >"$work/m.txt"
  result "$1 ($2), median of $requests sequential: $(cat "$work/m.txt") ms"
}
measure "workforce JSON" /api/v1/orgs/bench/workforce application/json
measure "workforce page" /console/bench/workforce text/html
measure "workforce CSV" /console/bench/workforce.csv text/csv
