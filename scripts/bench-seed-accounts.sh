#!/usr/bin/env bash
# Benchmark seeding (scripts/bench-service.sh): prints SQL that clones the account
# template@bench.test into N holder accounts holder0@bench.test .. holder{N-1}@bench.test
# (no password, so no argon2id cost), for SQLite or PostgreSQL. Pipe it into sqlite3 or psql.
#
# Usage: scripts/bench-seed-accounts.sh sqlite|postgres N
set -euo pipefail
engine="$1"
n="$2"
cols="display_name, password_hash, is_operator, did, email_salt, portfolio_public, created_at"
case "$engine" in
  sqlite)
    cat <<SQL
BEGIN;
WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < $n)
INSERT INTO accounts (id, email, portfolio_slug, $cols)
SELECT printf('00000000-0000-4000-a000-%012d', n), 'holder' || n || '@bench.test', NULL, $cols
FROM s, (SELECT * FROM accounts WHERE email = 'template@bench.test') AS t;
COMMIT;
SQL
    ;;
  postgres)
    cat <<SQL
INSERT INTO accounts (id, email, portfolio_slug, $cols)
SELECT format('00000000-0000-4000-a000-%s', lpad(n::text, 12, '0')), 'holder' || n || '@bench.test', NULL, $cols
FROM generate_series(0, $n - 1) AS n, (SELECT * FROM accounts WHERE email = 'template@bench.test') AS t;
SQL
    ;;
  *) echo "bench-seed-accounts: engine must be sqlite or postgres" >&2; exit 2 ;;
esac
