# Shared set-up of the benchmarks of a 10,000-person organisation, sourced by
# scripts/bench-workforce.sh and scripts/bench-pages.sh (and bench_init, result and the
# cleanup by scripts/bench-storage.sh; not run by itself):
#   bench_init NAME ENGINE   a fresh SQLite or PostgreSQL database, the work folder, cleanup
#   bench_start              migrate, make the organisation `bench`, start a RELEASE
#                            `credence serve`, register admin@ and template@bench.test (both
#                            with $password) and make admin@ an administrator of `bench`
#   bench_seed_workforce     10,000 people (clones of template@, so with the same password)
#                            following the five archetypes in turn, and 200,000 pieces of
#                            evidence attested by `bench` (see scripts/bench-workforce.sh)
#   sign_in EMAIL JAR        a session cookie in the file JAR
#   result TEXT              prints "RESULT [engine] TEXT (load ...)"
#   median_ms                the median of seconds on stdin, in ms
#   wrk_paced LABEL CONNECTIONS DELAY_MS PATH [JAR]   wrk, 1 thread, each connection waiting
#                            DELAY_MS after each answer (wrk has no fixed-rate mode), for
#                            $duration s with --latency and a timeout of BENCH_TIMEOUT s
#                            (default 10); prints requests/s, p50, p99 and socket errors
# Settings: CREDENCE_BIN, BENCH_PORT, BENCH_PEOPLE, BENCH_PER_PERSON, BENCH_PG_ADMIN,
# BENCH_DURATION (see the scripts that source it).

bench_init() { # NAME ENGINE
  bench_name="$1"
  engine="$2"
  bin="${CREDENCE_BIN:-${CARGO_TARGET_DIR:-target}/release/credence}"
  port="${BENCH_PORT:-18090}"
  people="${BENCH_PEOPLE:-10000}"
  per="${BENCH_PER_PERSON:-20}"
  duration="${BENCH_DURATION:-25}"
  pg_admin="${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
  base="http://127.0.0.1:$port"
  password="benchmark admin password"
  [ -x "$bin" ] || { echo "$bench_name: no release binary at $bin (cargo build --release -p credence-cli)" >&2; exit 1; }
  work="$(mktemp -d "/tmp/credence-$bench_name.XXXXXX")"
  export CREDENCE_DATA_DIR="$work/data"
  export CREDENCE_PUBLIC_URL="$base"
  export CREDENCE_LISTEN="127.0.0.1:$port"
  export CREDENCE_LOG="${CREDENCE_LOG:-warn}"
  case "$engine" in
    sqlite)
      db_sql() { sqlite3 -batch "$CREDENCE_DATA_DIR/credence.db"; } ;;
    postgres)
      pg_db="credence_${bench_name//-/_}_$$"
      psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
      export CREDENCE_DATABASE_URL="${pg_admin%/*}/$pg_db"
      db_sql() { psql -qAt -v ON_ERROR_STOP=1 "$CREDENCE_DATABASE_URL"; } ;;
    *) echo "$bench_name: engine must be sqlite or postgres" >&2; exit 2 ;;
  esac
  server_pid=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$engine" = postgres ]; then
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
result() { echo "RESULT [$engine] $* (load $(load))"; }
median_ms() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }

bench_start() {
  echo "== $engine: setting up in $work" >&2
  "$bin" migrate >/dev/null 2>&1
  "$bin" org create --slug bench --name "Bench Trust" --kind healthcare-setting --did-method key >/dev/null 2>&1
  "$bin" serve >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  for who in admin template; do
    curl -sf -H 'Content-Type: application/json' \
      --data "{\"email\":\"$who@bench.test\",\"display_name\":\"Bench $who\",\"password\":\"$password\"}" \
      "$base/api/v1/accounts" >/dev/null
  done
  "$bin" org add-member --org bench --email admin@bench.test --role admin >/dev/null 2>&1
}

bench_seed_workforce() {
  local org_id framework_id started cols count
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
}

sign_in() { # EMAIL JAR
  curl -sf -c "$2" -H 'Content-Type: application/json' \
    --data "{\"email\":\"$1\",\"password\":\"$password\"}" "$base/api/v1/session" >/dev/null
}

wrk_paced() { # LABEL CONNECTIONS DELAY_MS PATH [JAR]
  local label="$1" conns="$2" pace="$3" path="$4" jar="${5:-}" cookie="" out rps p50 p99 non2xx errors
  if [ -n "$jar" ]; then
    # The session cookie of a curl cookie jar: name and value are its last two fields.
    cookie="$(awk '!/^#/ || /^#HttpOnly_/ {if (NF >= 7) print $6 "=" $7}' "$jar" | paste -sd';' -)"
  fi
  cat >"$work/paced.lua" <<LUA
wrk.headers["Accept"] = "text/html"
local cookie = "$cookie"
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
function delay() return $pace end
LUA
  out="$(wrk -t1 -c"$conns" -d"${duration}s" --timeout "${BENCH_TIMEOUT:-10}s" --latency \
    -s "$work/paced.lua" "$base$path")"
  echo "$out" >"$work/wrk-${label// /-}.txt"
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  # Requests unanswered within the timeout are not in the percentiles: they are counted.
  errors="$(awk -F': ' '/Socket errors/ {print $2}' <<<"$out")"
  result "$label ($path): ${rps} requests/s, p50 $p50, p99 $p99 ($conns connections, ${pace} ms between requests each, ${duration} s, non-2xx ${non2xx:-0}, socket errors: ${errors:-none})"
}
