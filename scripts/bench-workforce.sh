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
# Shares its set-up with scripts/bench-pages.sh (scripts/bench-lib.sh).
# Needs: curl, jq, sqlite3 or psql.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

requests="${BENCH_REQUESTS:-30}"
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-workforce: $tool is required" >&2; exit 1; }
done
bench_init bench-wf "${1:-sqlite}"
bench_start
bench_seed_workforce

jar="$work/cookies"
sign_in admin@bench.test "$jar"
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
