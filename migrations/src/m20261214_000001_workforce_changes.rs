//! `workforce_changes`: a counter per organisation that database triggers raise in the
//! transaction of every change to what the organisation's workforce view reads, so that a
//! registry may keep the computed view in memory and reuse it while the counters it was
//! computed at are unchanged, even when several processes share the database.
//!
//! The view of organisation O reads: the rows of `evidence_levels` of O (themselves kept by
//! triggers on `evidence`, m20261212_000001), the awards of O (holder, status, validity,
//! achievement, date) and their achievements' pathways, O's targets, the affiliations to O,
//! the organisations' names, the archetypes of the accounts O counts, and the framework
//! versions. Each raises O's counter; a change to an account's archetypes raises the
//! counter of every organisation that attested evidence for the account or awarded it; a
//! change to `frameworks` raises the counter of the row `*`. The reader takes the rows of
//! O, of `*` and of the organisations affiliated to O (the system view counts their people)
//! in one query, before it reads anything else.
//!
//! On PostgreSQL the counters are raised by constraint triggers deferred to the commit, at
//! most once per organisation and transaction (a row whose `xmin` is the transaction's own
//! was raised already), so a transaction holds an organisation's counter only while it
//! commits: two transactions that take the advisory locks of `evidence_levels` do not wait
//! for each other's counter in between, and a bulk change raises the counter once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkforceChanges {
    Table,
    OrgId,
    Version,
}

/// SQLite: raises the counter of the organisation `org` (an SQL expression).
fn sqlite_bump(org: &str) -> String {
    format!(
        "INSERT INTO workforce_changes (org_id, version) VALUES ({org}, 1) \
         ON CONFLICT (org_id) DO UPDATE SET version = version + 1;"
    )
}

/// SQLite: (trigger name, event, WHEN condition or "", body).
fn sqlite_triggers() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    // Tables whose rows name the organisation whose view they change, by that column.
    let tables: [(&str, &str, &str); 4] = [
        ("evidence_levels", "org_id", ""),
        (
            "awards",
            "org_id",
            " OF org_id, holder_id, status, valid_until, achievement_id, created_at",
        ),
        ("workforce_targets", "org_id", ""),
        ("affiliations", "parent_org_id", ""),
    ];
    for (table, col, update_of) in tables {
        for (event, rows) in [
            ("INSERT".to_owned(), vec!["NEW"]),
            (format!("UPDATE{update_of}"), vec!["OLD", "NEW"]),
            ("DELETE".to_owned(), vec!["OLD"]),
        ] {
            let body: String = rows
                .iter()
                .map(|r| sqlite_bump(&format!("{r}.{col}")))
                .collect();
            let name = format!("workforce_changes_{table}_{}", event[..6].to_lowercase());
            out.push((name, format!("{event} ON {table}"), String::new(), body));
        }
    }
    out.push((
        "workforce_changes_achievements_update".into(),
        "UPDATE OF pathway, org_id ON achievements".into(),
        String::new(),
        format!("{}{}", sqlite_bump("OLD.org_id"), sqlite_bump("NEW.org_id")),
    ));
    out.push((
        "workforce_changes_organisations_update".into(),
        "UPDATE OF name, slug ON organisations".into(),
        String::new(),
        sqlite_bump("NEW.id"),
    ));
    out.push((
        "workforce_changes_accounts_update".into(),
        "UPDATE OF archetypes ON accounts".into(),
        "WHEN OLD.archetypes IS NOT NEW.archetypes".into(),
        "INSERT INTO workforce_changes (org_id, version) \
         SELECT o, 1 FROM (SELECT org_id AS o FROM evidence_levels WHERE holder_id = NEW.id \
           UNION SELECT org_id FROM awards WHERE holder_id = NEW.id) WHERE true \
         ON CONFLICT (org_id) DO UPDATE SET version = version + 1;"
            .into(),
    ));
    for event in ["INSERT", "UPDATE", "DELETE"] {
        out.push((
            format!("workforce_changes_frameworks_{}", event.to_lowercase()),
            format!("{event} ON frameworks"),
            String::new(),
            sqlite_bump("'*'"),
        ));
    }
    out
}

const POSTGRES: &str = r#"
CREATE FUNCTION workforce_bump(o varchar) RETURNS void AS $$
BEGIN
  IF o IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO workforce_changes AS w (org_id, version) VALUES (o, 1)
    ON CONFLICT (org_id) DO UPDATE SET version = w.version + 1
    WHERE w.xmin <> pg_current_xact_id()::xid;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION workforce_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM workforce_bump(OLD.org_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM workforce_bump(NEW.org_id);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION workforce_affiliation_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM workforce_bump(OLD.parent_org_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM workforce_bump(NEW.parent_org_id);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION workforce_organisation_changed() RETURNS trigger AS $$
BEGIN
  PERFORM workforce_bump(NEW.id);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION workforce_account_changed() RETURNS trigger AS $$
BEGIN
  PERFORM workforce_bump(s.o) FROM (
    SELECT org_id AS o FROM evidence_levels WHERE holder_id = NEW.id
    UNION SELECT org_id FROM awards WHERE holder_id = NEW.id ORDER BY 1) s;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION workforce_framework_changed() RETURNS trigger AS $$
BEGIN
  PERFORM workforce_bump('*');
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER workforce_changes_evidence_levels
  AFTER INSERT OR UPDATE OR DELETE ON evidence_levels DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_awards
  AFTER INSERT OR DELETE ON awards DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_awards_update
  AFTER UPDATE OF org_id, holder_id, status, valid_until, achievement_id, created_at ON awards
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.holder_id IS DISTINCT FROM NEW.holder_id
    OR OLD.status IS DISTINCT FROM NEW.status OR OLD.valid_until IS DISTINCT FROM NEW.valid_until
    OR OLD.achievement_id IS DISTINCT FROM NEW.achievement_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION workforce_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_achievements
  AFTER UPDATE OF pathway, org_id ON achievements DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_targets
  AFTER INSERT OR UPDATE OR DELETE ON workforce_targets DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_affiliations
  AFTER INSERT OR UPDATE OR DELETE ON affiliations DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_affiliation_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_organisations
  AFTER UPDATE OF name, slug ON organisations DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_organisation_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_accounts
  AFTER UPDATE OF archetypes ON accounts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.archetypes IS DISTINCT FROM NEW.archetypes)
  EXECUTE FUNCTION workforce_account_changed();
CREATE CONSTRAINT TRIGGER workforce_changes_frameworks
  AFTER INSERT OR UPDATE OR DELETE ON frameworks DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION workforce_framework_changed();
"#;

const POSTGRES_DOWN: &str = r#"
DROP TRIGGER IF EXISTS workforce_changes_evidence_levels ON evidence_levels;
DROP TRIGGER IF EXISTS workforce_changes_awards ON awards;
DROP TRIGGER IF EXISTS workforce_changes_awards_update ON awards;
DROP TRIGGER IF EXISTS workforce_changes_achievements ON achievements;
DROP TRIGGER IF EXISTS workforce_changes_targets ON workforce_targets;
DROP TRIGGER IF EXISTS workforce_changes_affiliations ON affiliations;
DROP TRIGGER IF EXISTS workforce_changes_organisations ON organisations;
DROP TRIGGER IF EXISTS workforce_changes_accounts ON accounts;
DROP TRIGGER IF EXISTS workforce_changes_frameworks ON frameworks;
DROP FUNCTION IF EXISTS workforce_changed();
DROP FUNCTION IF EXISTS workforce_affiliation_changed();
DROP FUNCTION IF EXISTS workforce_organisation_changed();
DROP FUNCTION IF EXISTS workforce_account_changed();
DROP FUNCTION IF EXISTS workforce_framework_changed();
DROP FUNCTION IF EXISTS workforce_bump(varchar);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkforceChanges::Table)
                    .col(
                        ColumnDef::new(WorkforceChanges::OrgId)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WorkforceChanges::Version)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The accounts trigger's read: the organisations that attested a person's evidence.
        manager
            .create_index(
                Index::create()
                    .name("evidence_levels_holder")
                    .table(Alias::new("evidence_levels"))
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
                for (name, on, when, body) in sqlite_triggers() {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} AFTER {on} {when} BEGIN {body} END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES_DOWN).await?;
            }
            _ => {
                for (name, ..) in sqlite_triggers() {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                        .await?;
                }
            }
        }
        manager
            .drop_index(
                Index::drop()
                    .name("evidence_levels_holder")
                    .table(Alias::new("evidence_levels"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(WorkforceChanges::Table).to_owned())
            .await
    }
}
