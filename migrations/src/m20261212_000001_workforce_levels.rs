//! `evidence_levels`: each person's attested levels as an organisation attested them, one
//! row per (organisation, framework version, person), kept by the database itself: triggers
//! on `evidence` rewrite a person's row in the transaction of every insert, update and
//! delete, so no code path can leave it stale. The workforce view reads one short row per
//! person instead of aggregating every piece of evidence of the organisation.
//!
//! `levels` is `statement:level:YYYY-MM` triples joined by commas (the month the piece
//! reached its state), in no particular order. On PostgreSQL the row is rewritten under a
//! transaction-scoped advisory lock on its key, so that two transactions attesting evidence
//! for the same person wait for each other and the second reads what the first committed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The attested triples of one key, aggregated (SQLite), for `NEW` or `OLD`.
fn sqlite_refresh(row: &str) -> String {
    format!(
        "DELETE FROM evidence_levels WHERE org_id = {row}.org_id \
           AND framework_id = {row}.framework_id AND holder_id = {row}.holder_id; \
         INSERT INTO evidence_levels (org_id, framework_id, holder_id, levels) \
           SELECT e.org_id, e.framework_id, e.holder_id, \
             group_concat(e.statement_code || ':' || e.level_confirmed || ':' || \
               substr(e.updated_at, 1, 7), ',') \
           FROM evidence e WHERE e.org_id = {row}.org_id \
             AND e.framework_id = {row}.framework_id AND e.holder_id = {row}.holder_id \
             AND e.status = 'attested' AND e.level_confirmed IS NOT NULL \
           GROUP BY e.org_id, e.framework_id, e.holder_id;"
    )
}

const SQLITE_BACKFILL: &str =
    "INSERT INTO evidence_levels (org_id, framework_id, holder_id, levels) \
    SELECT e.org_id, e.framework_id, e.holder_id, \
      group_concat(e.statement_code || ':' || e.level_confirmed || ':' || \
        substr(e.updated_at, 1, 7), ',') \
    FROM evidence e WHERE e.org_id IS NOT NULL \
      AND e.status = 'attested' AND e.level_confirmed IS NOT NULL \
    GROUP BY e.org_id, e.framework_id, e.holder_id";

const POSTGRES: &str = r#"
CREATE FUNCTION evidence_levels_refresh(o varchar, f bigint, h varchar) RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('evidence_levels/' || o || '/' || f || '/' || h, 0));
  DELETE FROM evidence_levels WHERE org_id = o AND framework_id = f AND holder_id = h;
  INSERT INTO evidence_levels (org_id, framework_id, holder_id, levels)
    SELECT o, f, h, string_agg(e.statement_code || ':' || e.level_confirmed || ':' ||
      to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM'), ',')
    FROM evidence e WHERE e.org_id = o AND e.framework_id = f AND e.holder_id = h
      AND e.status = 'attested' AND e.level_confirmed IS NOT NULL
    GROUP BY e.holder_id;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION evidence_levels_keep() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.org_id IS NOT NULL THEN
    PERFORM evidence_levels_refresh(OLD.org_id, OLD.framework_id, OLD.holder_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.org_id IS NOT NULL THEN
    PERFORM evidence_levels_refresh(NEW.org_id, NEW.framework_id, NEW.holder_id);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER evidence_levels_keep AFTER INSERT OR UPDATE OR DELETE ON evidence
  FOR EACH ROW EXECUTE FUNCTION evidence_levels_keep();

INSERT INTO evidence_levels (org_id, framework_id, holder_id, levels)
  SELECT e.org_id, e.framework_id, e.holder_id, string_agg(e.statement_code || ':' ||
    e.level_confirmed || ':' || to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM'), ',')
  FROM evidence e WHERE e.org_id IS NOT NULL
    AND e.status = 'attested' AND e.level_confirmed IS NOT NULL
  GROUP BY e.org_id, e.framework_id, e.holder_id;
"#;

#[derive(DeriveIden)]
enum EvidenceLevels {
    Table,
    OrgId,
    FrameworkId,
    HolderId,
    Levels,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvidenceLevels::Table)
                    .col(
                        ColumnDef::new(EvidenceLevels::OrgId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceLevels::FrameworkId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceLevels::HolderId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(EvidenceLevels::Levels).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(EvidenceLevels::OrgId)
                            .col(EvidenceLevels::FrameworkId)
                            .col(EvidenceLevels::HolderId),
                    )
                    .to_owned(),
            )
            .await?;
        // The triggers' own read: one person's evidence of one organisation.
        manager
            .create_index(
                Index::create()
                    .name("evidence_org_framework_holder")
                    .table(Alias::new("evidence"))
                    .col(Alias::new("org_id"))
                    .col(Alias::new("framework_id"))
                    .col(Alias::new("holder_id"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES).await?;
            }
            _ => {
                for (event, rows) in [
                    ("INSERT", vec!["NEW"]),
                    ("UPDATE", vec!["OLD", "NEW"]),
                    ("DELETE", vec!["OLD"]),
                ] {
                    let body: String = rows.iter().map(|r| sqlite_refresh(r)).collect();
                    let when = rows
                        .iter()
                        .map(|r| format!("{r}.org_id IS NOT NULL"))
                        .collect::<Vec<_>>()
                        .join(" OR ");
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER evidence_levels_{} AFTER {event} ON evidence \
                         WHEN {when} BEGIN {body} END",
                        event.to_lowercase()
                    ))
                    .await?;
                }
                db.execute_unprepared(SQLITE_BACKFILL).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS evidence_levels_keep ON evidence; \
                     DROP FUNCTION IF EXISTS evidence_levels_keep(); \
                     DROP FUNCTION IF EXISTS evidence_levels_refresh(varchar, bigint, varchar);",
                )
                .await?;
            }
            _ => {
                for event in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS evidence_levels_{event}"
                    ))
                    .await?;
                }
            }
        }
        manager
            .drop_index(
                Index::drop()
                    .name("evidence_org_framework_holder")
                    .table(Alias::new("evidence"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(EvidenceLevels::Table).to_owned())
            .await
    }
}
