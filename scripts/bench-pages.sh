#!/usr/bin/env bash
# Pages at 200 requests/s with a 10,000-person organisation (issue 22; see BENCHMARKS.md):
# starts a RELEASE `credence serve` on a fresh SQLite or PostgreSQL database with the
# organisation of scripts/bench-workforce.sh (10,000 people, 200,000 attested pieces of
# evidence; scripts/bench-lib.sh), gives one of its people (holder7@bench.test, a Creator)
# three awards of `bench` and a public portfolio showing them and five pieces of evidence,
# then drives each page with wrk paced near 200 requests/s (BENCH_CONNECTIONS connections,
# each waiting BENCH_DELAY_MS after each answer: wrk has no fixed-rate mode, so the rate
# achieved is printed; a page slower than the pace is offered fewer requests) for
# BENCH_DURATION seconds, --latency:
#   1. GET /login (the sign-in page), and what a sign-in costs (POST /login, argon2id by
#      design: the median of 20 sequential ones, not paced),
#   2. GET /p/{slug} (the holder's public portfolio),
#   3. GET /portfolio and GET /my/credentials (the holder's own pages, signed in),
#   4. GET /console/bench/workforce (the workforce page, signed in as its administrator;
#      one request first, so that the figure is the steady state, and that first one timed;
#      then the median of 20 sequential requests).
# Every figure line starts with "RESULT" and carries the load average at that moment.
#
# Usage: scripts/bench-pages.sh [sqlite|postgres]
#   CREDENCE_BIN       the release binary (default $CARGO_TARGET_DIR/release/credence)
#   BENCH_PG_ADMIN     admin URL for postgres (default postgres://postgres@127.0.0.1:5432/postgres)
#   BENCH_PEOPLE       people (default 10000); BENCH_PER_PERSON evidence each (default 20)
#   BENCH_DURATION     seconds per wrk run (default 25)
#   BENCH_CONNECTIONS  wrk connections (default 21); BENCH_DELAY_MS pause (default 100)
#   BENCH_ONLY         the parts to run, of: signin holder workforce (default all three)
# Needs: wrk, curl, jq, sqlite3 or psql.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-pages: $tool is required" >&2; exit 1; }
done
conns="${BENCH_CONNECTIONS:-21}"
pace="${BENCH_DELAY_MS:-100}"
# Every sign-in comes from one address: lift the per-client sign-in budget.
export CREDENCE_LIMITS_SIGN_IN_PER_MINUTE=0
only="${BENCH_ONLY:-signin holder workforce}"
wanted() { [[ " $only " == *" $1 "* ]]; }
bench_init bench-pages "${1:-sqlite}"
bench_start
bench_seed_workforce

# The holder: a person of the organisation with its evidence, three awards and a portfolio.
holder=holder7@bench.test
slug=bench-holder-seven
echo "UPDATE accounts SET email_confirmed_at = created_at WHERE email = '$holder';" | db_sql
token="$("$bin" token create --org bench --role issuer 2>/dev/null)"
for pathway in foundational advanced-user advanced-creator; do
  achievement="$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"pathway\":\"$pathway\"}" "$base/api/v1/orgs/bench/achievements" | jq -r .uuid)"
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"achievement\":\"$achievement\",\"email\":\"$holder\",\"override_justification\":\"benchmark: awarded without evidence to measure the pages\"}" \
    "$base/api/v1/orgs/bench/awards"
done
holder_id="$(echo "SELECT id FROM accounts WHERE email = '$holder';" | db_sql | tr -d ' ')"
public=true
[ "$engine" = sqlite ] && public=1
cat <<SQL | db_sql
UPDATE accounts SET portfolio_public = $public, portfolio_slug = '$slug' WHERE id = '$holder_id';
UPDATE awards SET public = $public WHERE holder_id = '$holder_id';
UPDATE evidence SET public = $public WHERE id IN
  (SELECT id FROM evidence WHERE holder_id = '$holder_id' ORDER BY id LIMIT 5);
SQL
result "the holder: $(echo "SELECT count(*) FROM awards WHERE holder_id = '$holder_id';" | db_sql | tr -d ' ') awards, $(echo "SELECT count(*) FROM evidence WHERE holder_id = '$holder_id';" | db_sql | tr -d ' ') pieces of evidence"

# 1. The sign-in page, and what a sign-in costs (the form's token is in the page and its
# cookie; argon2id by design).
if wanted signin; then
  wrk_paced "sign-in page" "$conns" "$pace" /login
  for _ in $(seq 1 20); do
    rm -f "$work/form.jar"
    form_token="$(curl -s -c "$work/form.jar" "$base/login" | grep -o 'name="form_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
    curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -b "$work/form.jar" \
      --data-urlencode "form_token=$form_token" --data-urlencode "email=$holder" \
      --data-urlencode "password=$password" "$base/login" >>"$work/signin.txt"
  done
  codes="$(awk '{print $2}' "$work/signin.txt" | sort | uniq -c | awk '{printf "%s%s x %s", (NR > 1 ? ", " : ""), $1, $2}')"
  awk '{print $1}' "$work/signin.txt" | median_ms >"$work/signin-ms.txt"
  result "one sign-in (POST /login, argon2id), median of 20 sequential: $(cat "$work/signin-ms.txt") ms (answers: $codes)"
fi

# 2. and 3. The holder's pages.
if wanted holder; then
  holder_jar="$work/holder.jar"
  sign_in "$holder" "$holder_jar"
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base/p/$slug")"
  [ "$status" = 200 ] || { echo "bench-pages: /p/$slug answers $status" >&2; exit 1; }
  wrk_paced "public portfolio" "$conns" "$pace" "/p/$slug"
  wrk_paced "own portfolio" "$conns" "$pace" /portfolio "$holder_jar"
  wrk_paced "own credentials" "$conns" "$pace" /my/credentials "$holder_jar"
fi

# 4. The workforce page.
if wanted workforce; then
  admin_jar="$work/admin.jar"
  sign_in admin@bench.test "$admin_jar"
  first="$(curl -s -o /dev/null -w '%{time_total}' -b "$admin_jar" -H 'Accept: text/html' "$base/console/bench/workforce")"
  result "workforce page, the first request: $(echo "$first" | awk '{printf "%.1f", $1*1000}') ms"
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -w '%{time_total}\n' -b "$admin_jar" -H 'Accept: text/html' \
      "$base/console/bench/workforce"
  done | median_ms >"$work/wf.txt"
  result "workforce page, median of 20 sequential: $(cat "$work/wf.txt") ms"
  wrk_paced "workforce page" "$conns" "$pace" /console/bench/workforce "$admin_jar"
fi
