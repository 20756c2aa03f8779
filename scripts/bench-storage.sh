#!/usr/bin/env bash
# Storage per award and the cost of serving one (issue 22, BENCHMARKS.md "Storage"): starts
# `credence serve --demo` on a fresh SQLite or PostgreSQL database, bulk-awards N (default
# 10,000) credentials of a demo achievement (Linchester ICS's foundational badge, with an
# override justification, as scripts/bench-service.sh does), and reports
#   1. the bytes of the awards table with its indices, and of credential_parts, per award
#      (SQLite: dbstat after VACUUM; PostgreSQL: pg_total_relation_size after VACUUM FULL),
#   2. the same for the layout before m20261210_000001, rebuilt from the credentials as
#      GET /credentials/{id} serves them: every row's credential whole (each row also keeps
#      its 32-byte SHA-256, so that the server reads it as it is instead of compacting it),
#   3. N sequential GET /credentials/{id} from one curl process, in each layout (median and
#      mean of curl's time_total).
# Every figure line starts with "RESULT".
#
# Usage: scripts/bench-storage.sh [sqlite|postgres]
#   CREDENCE_BIN  the binary (default $CARGO_TARGET_DIR/release/credence)
#   BENCH_N       awards (default 10000); BENCH_PORT (default 18190) and BENCH_PG_ADMIN
#                 as in scripts/bench-lib.sh, which sets up the database and work folder
# Needs: curl, jq, bc, python3, sqlite3 or psql.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
BENCH_PORT="${BENCH_PORT:-18190}" bench_init storage "${1:-sqlite}"
n="${BENCH_N:-10000}"

stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

start_server() {
  "$bin" serve "$@" >>"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    curl -sf "$base/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "bench-storage: the server did not become ready" >&2
  cat "$work/serve.log" >&2
  exit 1
}
api() { curl -sS --fail-with-body -H "Authorization: Bearer $token" "$@"; }

# Bytes of the awards table with its indices, and of credential_parts with its index.
sizes() { # -> "awards parts"
  case "$engine" in
    sqlite)
      db_sql <<SQL
VACUUM;
SELECT (SELECT sum(pgsize) FROM dbstat WHERE name IN
          (SELECT name FROM sqlite_master WHERE tbl_name = 'awards')) || ' ' ||
       (SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN
          (SELECT name FROM sqlite_master WHERE tbl_name = 'credential_parts'));
SQL
      ;;
    postgres)
      db_sql <<SQL | tail -1
VACUUM FULL awards;
VACUUM FULL credential_parts;
SELECT pg_total_relation_size('awards') || ' ' || pg_total_relation_size('credential_parts');
SQL
      ;;
  esac
}

# Median and mean of N sequential GET /credentials/{id} (ids in $work/ids.txt), one curl.
serve_cost() { # LABEL
  while IFS= read -r id; do
    printf 'url = "%s/credentials/%s?format=json"\noutput = "/dev/null"\n' "$base" "$id"
  done <"$work/ids.txt" >"$work/get.cfg"
  # Once to warm the caches (the part, the page cache), then measured.
  curl -s -H "Authorization: Bearer $token" -K "$work/get.cfg"
  curl -s -H "Authorization: Bearer $token" -K "$work/get.cfg" \
    -w '%{http_code} %{time_total}\n' >"$work/times.txt"
  local bad
  bad="$(awk '$1 != 200' "$work/times.txt" | wc -l)"
  result "$1: GET /credentials/{id}, $(wc -l <"$work/times.txt") sequential (non-200: $bad): $(awk '{print $2}' "$work/times.txt" | sort -n | awk '{a[NR]=$1; s+=$1} END {printf "median %.3f ms, mean %.3f ms", a[int((NR+1)/2)]*1000, s/NR*1000}')"
}

echo "== $engine: setting up in $work" >&2
"$bin" migrate >/dev/null 2>&1
start_server --demo
# The demo world may still be seeding when the server answers: wait for its organisation.
token=""
for _ in $(seq 1 120); do
  token="$("$bin" token create --org linchester-ics --role issuer 2>/dev/null)" && break
  sleep 0.5
done
[ -n "$token" ] || { echo "bench-storage: no demo organisation linchester-ics" >&2; exit 1; }
achievement="$(api "$base/api/v1/orgs/linchester-ics/achievements" |
  jq -r '[.. | objects | select(.pathway? == "foundational")][0].uuid')"
{
  echo "key,email,name,valid_from,override_justification"
  for i in $(seq 0 $((n - 1))); do echo "store-$i,holder$i@storage.test,,,benchmark: awarded without evidence to measure storage"; done
} >"$work/bulk.csv"
job="$(api -X POST -H 'Content-Type: text/csv' --data-binary "@$work/bulk.csv" \
  "$base/api/v1/orgs/linchester-ics/awards/bulk?achievement=$achievement&format=csv" | jq -r .id)"
running='"state": *"running"'
while :; do
  state="$(api "$base/api/v1/bulk/$job")"
  [[ $state =~ $running ]] || break
  sleep 0.5
done
created="$(date -d "$(jq -r .created_at <<<"$state")" +%s.%N)"
finished="$(date -d "$(jq -r .finished_at <<<"$state")" +%s.%N)"
secs="$(echo "$finished - $created" | bc -l)"
result "bulk $n: $(printf '%.2f' "$secs") s, $(echo "$n / $secs" | bc) credentials/s; job $(jq -c '{state,done,refused}' <<<"$state")"
awards="$(echo "SELECT count(*) FROM awards;" | db_sql | tail -1)"
echo "SELECT id FROM awards WHERE idempotency_key LIKE 'store-%' ORDER BY id;" | db_sql >"$work/ids.txt"

serve_cost "shared part, packed"
# The credentials as served, to rebuild the layout of before.
python3 - "$work" "$base" "$token" <<'PY' >"$work/whole.sql"
import hashlib, sys, urllib.request
work, base, token = sys.argv[1:4]
print("BEGIN;")
for line in open(f"{work}/ids.txt"):
    i = line.strip()
    req = urllib.request.Request(f"{base}/credentials/{i}?format=json",
                                 headers={"Authorization": f"Bearer {token}"})
    text = urllib.request.urlopen(req).read().decode()
    sha = hashlib.sha256(text.encode()).hexdigest()
    quoted = text.replace("'", "''")
    print(f"UPDATE awards SET credential = '{quoted}', credential_packed = NULL, "
          f"credential_part = NULL, credential_part_at = NULL, "
          f"credential_sha256 = X'{sha}' WHERE id = '{i}';")
print("COMMIT;")
PY
stop_server

# 1. As stored now.
sizes >"$work/sizes.txt"
read -r a p <"$work/sizes.txt"
result "awards: $awards ($(wc -l <"$work/ids.txt") bulk); awards table and indices $a bytes, credential_parts $p bytes: $(( (a + p) / awards )) bytes per award (parts amortised)"

# 2. The same awards with their credentials whole.
if [ "$engine" = postgres ]; then sed -i "s/= X'\([0-9a-f]*\)' WHERE/= '\\\\x\1'::bytea WHERE/" "$work/whole.sql"; fi
db_sql <"$work/whole.sql" >/dev/null
sizes >"$work/sizes.txt"
read -r a2 _ <"$work/sizes.txt"
result "before (credentials whole): awards table and indices $a2 bytes: $(( a2 / awards )) bytes per award"
start_server
serve_cost "whole"
