//! The workforce view's reads, for one organisation or several (a system and those
//! affiliated to it): the people (those whose evidence they attested or who hold one of
//! their credentials), the evidence they attested (one row per person from
//! `evidence_levels`, which triggers keep), their awards with their pathways, and targets.
//! A few queries whatever the number of people: the service computes each person's
//! progress from what they return.

use chrono::{DateTime, Utc};
use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, LevelCode, OrgId, StatementCode, TargetId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, Order, QueryFilter, QueryOrder,
    Statement,
};

use crate::entity::workforce_target;
use crate::{StoreError, Tx};

use super::TargetRow;

/// One person of an organisation's workforce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkforcePerson {
    pub id: AccountId,
    pub display_name: String,
    /// The archetype codes the person follows, comma-separated.
    pub archetypes: String,
}

/// One person's attested levels, aggregated in SQL: the statements and confirmed levels of
/// the evidence the organisation attested for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkforceLevels {
    pub person: WorkforcePerson,
    pub levels: Vec<(StatementCode, LevelCode)>,
    /// The month (`YYYY-MM`) each piece took its attested state, one per piece.
    pub months: Vec<String>,
}

/// An award of the organisation to an account, with its achievement's pathway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkforceAward {
    pub holder_id: AccountId,
    pub pathway: String,
    pub status: AwardStatus,
    pub created_at: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
}

/// `$first, ..., $(first + n - 1)`: the placeholders of an `IN` list.
fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds the `statement:level:YYYY-MM` triples of `text` to `into`.
fn parse_levels(text: &str, into: &mut WorkforceLevels) -> Result<(), StoreError> {
    for triple in text.split(',') {
        let mut parts = triple.splitn(3, ':');
        let (s, l, m) = (parts.next(), parts.next(), parts.next());
        match (s.map(StatementCode::new), l.map(LevelCode::new), m) {
            (Some(Ok(s)), Some(Ok(l)), Some(m)) => {
                into.levels.push((s, l));
                into.months.push(m.to_owned());
            }
            _ => {
                return Err(StoreError::Corrupt(format!(
                    "attested evidence names '{triple}'"
                )))
            }
        }
    }
    Ok(())
}

impl Tx {
    /// The people who hold a credential of one of the organisations `org_ids` that is not
    /// revoked (with no levels: those come from [`Tx::workforce_levels`]).
    #[tracing::instrument(level = "debug", skip_all, fields(orgs = org_ids.len()))]
    pub async fn workforce_award_holders(
        &self,
        org_ids: &[OrgId],
    ) -> Result<Vec<WorkforcePerson>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT a.id AS id, a.display_name AS display_name, a.archetypes AS archetypes \
             FROM accounts a WHERE a.id IN (SELECT w.holder_id FROM awards w \
             WHERE w.org_id IN ({}) AND w.holder_id IS NOT NULL AND w.status <> 'revoked')",
            marks(1, org_ids.len())
        );
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                org_ids.iter().map(sea_orm::Value::from),
            ))
            .await?;
        rows.iter()
            .map(|row| {
                Ok(WorkforcePerson {
                    id: row.try_get("", "id")?,
                    display_name: row.try_get("", "display_name")?,
                    archetypes: row.try_get("", "archetypes")?,
                })
            })
            .collect()
    }

    /// The people whose evidence the organisations `org_ids` attested in the framework
    /// version `framework_id`, with that evidence, one row per person: read from
    /// `evidence_levels`, which the database keeps per organisation and person (migration
    /// m20261212_000001), so 200,000 pieces are read as 10,000 short rows. A person
    /// attested by several of the organisations has their pieces merged.
    #[tracing::instrument(level = "debug", skip_all, fields(orgs = org_ids.len()))]
    pub async fn workforce_levels(
        &self,
        org_ids: &[OrgId],
        framework_id: i64,
    ) -> Result<Vec<WorkforceLevels>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.conn().get_database_backend();
        let sql = format!(
            "SELECT a.id AS id, a.display_name AS display_name, a.archetypes AS archetypes, \
             l.levels AS levels FROM evidence_levels l JOIN accounts a ON a.id = l.holder_id \
             WHERE l.framework_id = $1 AND l.org_id IN ({}) ORDER BY l.holder_id",
            marks(2, org_ids.len())
        );
        let mut values: Vec<sea_orm::Value> = vec![framework_id.into()];
        values.extend(org_ids.iter().map(sea_orm::Value::from));
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        let mut out: Vec<WorkforceLevels> = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: AccountId = row.try_get("", "id")?;
            let text: String = row.try_get("", "levels")?;
            if out.last().map(|l| &l.person.id) != Some(&id) {
                out.push(WorkforceLevels {
                    person: WorkforcePerson {
                        id,
                        display_name: row.try_get("", "display_name")?,
                        archetypes: row.try_get("", "archetypes")?,
                    },
                    levels: Vec::new(),
                    months: Vec::new(),
                });
            }
            if let Some(last) = out.last_mut() {
                parse_levels(&text, last)?;
            }
        }
        Ok(out)
    }

    /// How many of an organisation's rows of `evidence_levels` (person and framework
    /// version) differ from the evidence itself, aggregated anew: the check that the
    /// triggers keep it (0 when they do).
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn evidence_levels_drift(&self, org_id: &OrgId) -> Result<u64, StoreError> {
        let backend = self.conn().get_database_backend();
        let month = match backend {
            DatabaseBackend::Postgres => "to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM')",
            _ => "substr(e.updated_at, 1, 7)",
        };
        let recount = format!(
            "SELECT e.holder_id AS holder_id, e.framework_id AS framework_id, \
             e.statement_code || ':' || e.level_confirmed || ':' || {month} AS triple \
             FROM evidence e WHERE e.org_id = $1 AND e.status = 'attested' \
             AND e.level_confirmed IS NOT NULL"
        );
        let kept = "SELECT holder_id, framework_id, levels FROM evidence_levels WHERE org_id = $1";
        let mut want: std::collections::BTreeMap<(String, i64), Vec<String>> = Default::default();
        for row in self
            .conn()
            .query_all(Statement::from_sql_and_values(
                backend,
                recount,
                [org_id.into()],
            ))
            .await?
        {
            let key = (
                row.try_get("", "holder_id")?,
                row.try_get("", "framework_id")?,
            );
            want.entry(key)
                .or_default()
                .push(row.try_get("", "triple")?);
        }
        let mut have: std::collections::BTreeMap<(String, i64), Vec<String>> = Default::default();
        for row in self
            .conn()
            .query_all(Statement::from_sql_and_values(
                backend,
                kept,
                [org_id.into()],
            ))
            .await?
        {
            let key = (
                row.try_get("", "holder_id")?,
                row.try_get("", "framework_id")?,
            );
            let text: String = row.try_get("", "levels")?;
            have.insert(key, text.split(',').map(str::to_owned).collect());
        }
        for list in want.values_mut().chain(have.values_mut()) {
            list.sort_unstable();
        }
        let keys: std::collections::BTreeSet<_> = want.keys().chain(have.keys()).collect();
        Ok(keys
            .into_iter()
            .filter(|k| want.get(k) != have.get(k))
            .count() as u64)
    }

    /// The awards of the organisations `org_ids` to accounts, with their achievements'
    /// pathways.
    #[tracing::instrument(level = "debug", skip_all, fields(orgs = org_ids.len()))]
    pub async fn workforce_awards(
        &self,
        org_ids: &[OrgId],
    ) -> Result<Vec<WorkforceAward>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT w.holder_id AS holder_id, c.pathway AS pathway, w.status AS status, \
             w.created_at AS created_at, w.valid_until AS valid_until \
             FROM awards w JOIN achievements c ON c.id = w.achievement_id \
             WHERE w.org_id IN ({}) AND w.holder_id IS NOT NULL",
            marks(1, org_ids.len())
        );
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                org_ids.iter().map(sea_orm::Value::from),
            ))
            .await?;
        rows.iter()
            .map(|row| {
                Ok(WorkforceAward {
                    holder_id: row.try_get("", "holder_id")?,
                    pathway: row.try_get("", "pathway")?,
                    status: row.try_get("", "status")?,
                    created_at: row.try_get("", "created_at")?,
                    valid_until: row.try_get("", "valid_until")?,
                })
            })
            .collect()
    }

    /// What the organisation's workforce view was computed from, as counters the database
    /// raises on every change to it (migration m20261214_000001): the organisation's, the
    /// frameworks' (`*`) and those of the organisations affiliated to it, by organisation
    /// id. One query on primary keys; a view computed from reads made after it is current
    /// while a later call answers the same.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn workforce_changes(
        &self,
        org_id: &OrgId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                "SELECT org_id, version FROM workforce_changes WHERE org_id IN ('*', $1) \
                 OR org_id IN (SELECT member_org_id FROM affiliations \
                   WHERE parent_org_id = $2 AND state = 'accepted') ORDER BY org_id",
                [org_id.into(), org_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("", "org_id")?, row.try_get("", "version")?)))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_target(&self, row: TargetRow) -> Result<(), StoreError> {
        workforce_target::Entity::insert(workforce_target::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// An organisation's targets, soonest due first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn targets_of_org(&self, org_id: &OrgId) -> Result<Vec<TargetRow>, StoreError> {
        Ok(workforce_target::Entity::find()
            .filter(workforce_target::Column::OrgId.eq(org_id))
            .order_by(workforce_target::Column::Due, Order::Asc)
            .order_by(workforce_target::Column::CreatedAt, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Removes one of an organisation's targets; returns whether it existed.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn delete_target(&self, org_id: &OrgId, id: &TargetId) -> Result<bool, StoreError> {
        let done = workforce_target::Entity::delete_many()
            .filter(workforce_target::Column::OrgId.eq(org_id))
            .filter(workforce_target::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected > 0)
    }
}
