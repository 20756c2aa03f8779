#!/usr/bin/env bash
# Benchmark seeding (scripts/bench-service.sh): prints SQL that fills the awards table up to
# TOTAL rows, fast, for SQLite or PostgreSQL. Pipe it into sqlite3 or psql.
#
# Every seeded row reuses the stored credential of one real award of organisation TEMPLATE_ORG
# (signed by Credence; not verifiable as the seeded row's own credential, which does not
# matter for the queries measured): its text less the shared achievement, compressed, the
# reference to that part in credential_parts, and the hash of the whole (migration
# m20261210_000001), with its own id, credential id, key and status indices, no holder account (recipient
# seedN@bench.test) and created_by 'seed'. A status list has 131,072 entries, so one
# organisation holds at most 131,072 awards: the rows go into filler organisations seed-0,
# seed-1, ... (clones of TEMPLATE_ORG, 125,000 awards each). Running it again with a larger
# TOTAL adds the difference. Audit entries are not seeded.
#
# SQLite: a credential was ~24 KB, so 1,000,000 awards were ~24 GB, too much for one
# transaction (it failed with "database or disk is full"); stored with a shared part since
# m20261210_000001, an award's row is ~1.5 KB. The awards are inserted in chunks, one
# INSERT ... SELECT (its own transaction) per filler organisation, bounded to that
# organisation's 125,000 indices; an interrupted run leaves whole chunks, and running it again
# carries on. When TOTAL is at least 125,000 the load runs with the rollback journal
# (journal_mode DELETE: new pages are written once, not to the WAL and then to the database),
# in-memory temporary storage and a 256 MiB page cache, and the database is put back in WAL
# mode at the end; switching the journal mode needs the database to itself, so stop
# `credence serve` first (otherwise sqlite3 reports "database is locked" and the load runs,
# slower, in WAL mode). sqlite3 prints the journal modes and one progress line per chunk.
#
# Usage: scripts/bench-seed-awards.sh sqlite|postgres TOTAL TEMPLATE_ORG
set -euo pipefail
engine="$1"
total="$2"
template_org="$3"
per_org=125000
orgs=$(( (total + per_org - 1) / per_org ))
ocols="name, kind, did_method, url, description, created_at"
acols="achievement_id, credential, credential_packed, credential_part, credential_part_at, credential_sha256, status, status_reason, valid_from, valid_until, override_justification, replaces_award_id, public, created_at, updated_at"
bounds="CREATE TEMP TABLE seed_bounds AS SELECT
  (SELECT count(*) FROM awards WHERE created_by = 'seed') AS lo,
  $total - (SELECT count(*) FROM awards WHERE created_by <> 'seed') AS hi;"
template="(SELECT a.* FROM awards a JOIN organisations o ON o.id = a.org_id
  WHERE o.slug = '$template_org' ORDER BY a.created_at LIMIT 1) AS t"
case "$engine" in
  sqlite)
    bulk=$(( total >= per_org ))
    if [ "$bulk" = 1 ]; then
      cat <<SQL
PRAGMA journal_mode = DELETE;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -262144;
SQL
    fi
    cat <<SQL
BEGIN;
WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k + 1 < $orgs)
INSERT INTO organisations (id, slug, did, $ocols)
SELECT printf('00000000-0000-4000-b000-%012d', k), 'seed-' || k, o.did || '#seed-' || k, $ocols
FROM k, organisations o WHERE o.slug = '$template_org'
  AND NOT EXISTS (SELECT 1 FROM organisations WHERE slug = 'seed-' || k);
$bounds
COMMIT;
SQL
    # One chunk per filler organisation: seeded award n goes to seed-(n / per_org).
    for (( c = 0; c < orgs; c++ )); do
      first=$(( c * per_org ))
      end=$(( first + per_org ))
      cat <<SQL
WITH RECURSIVE s(n) AS (SELECT max(lo, $first) FROM seed_bounds WHERE max(lo, $first) < min(hi, $end)
  UNION ALL SELECT n + 1 FROM s, seed_bounds WHERE n + 1 < min(hi, $end))
INSERT INTO awards (id, org_id, holder_id, recipient_email, revocation_index, suspension_index,
  idempotency_key, created_by, credential_id, $acols)
SELECT printf('00000000-0000-4000-c000-%012d', n), printf('00000000-0000-4000-b000-%012d', n / $per_org),
  NULL, 'seed' || n || '@bench.test', n % $per_org, n % $per_org,
  'seed-' || n, 'seed', 'urn:bench:seed:' || n, $acols
FROM s, $template;
SQL
      if [ "$bulk" = 1 ]; then
        echo "SELECT 'bench-seed-awards: seed-$c: ' || changes() || ' awards added';"
      fi
    done
    echo "DROP TABLE seed_bounds;"
    if [ "$bulk" = 1 ]; then
      echo "PRAGMA journal_mode = WAL;"
    fi
    ;;
  postgres)
    cat <<SQL
BEGIN;
INSERT INTO organisations (id, slug, did, $ocols)
SELECT format('00000000-0000-4000-b000-%s', lpad(k::text, 12, '0')), 'seed-' || k, o.did || '#seed-' || k, $ocols
FROM generate_series(0, $orgs - 1) AS k, organisations o WHERE o.slug = '$template_org'
  AND NOT EXISTS (SELECT 1 FROM organisations WHERE slug = 'seed-' || k);
$bounds
INSERT INTO awards (id, org_id, holder_id, recipient_email, revocation_index, suspension_index,
  idempotency_key, created_by, credential_id, $acols)
SELECT format('00000000-0000-4000-c000-%s', lpad(n::text, 12, '0')),
  format('00000000-0000-4000-b000-%s', lpad((n / $per_org)::text, 12, '0')),
  NULL, 'seed' || n || '@bench.test', n % $per_org, n % $per_org,
  'seed-' || n, 'seed', 'urn:bench:seed:' || n, $acols
FROM seed_bounds, generate_series(seed_bounds.lo, seed_bounds.hi - 1) AS n, $template;
DROP TABLE seed_bounds;
COMMIT;
ANALYZE;
SQL
    ;;
  *) echo "bench-seed-awards: engine must be sqlite or postgres" >&2; exit 2 ;;
esac
