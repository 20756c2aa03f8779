//! The workforce view's reads: an organisation's people (those whose evidence it attested
//! or who hold one of its credentials), the evidence it attested, its awards with their
//! pathways, and its targets. A few queries whatever the number of people (the evidence
//! aggregated per person in SQL): the service computes each person's progress
//! once from what they return.

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

impl Tx {
    /// The organisation's people who hold one of its credentials that is not revoked (with
    /// no levels: those come from [`Tx::workforce_levels`]).
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn workforce_award_holders(
        &self,
        org_id: &OrgId,
    ) -> Result<Vec<WorkforcePerson>, StoreError> {
        let sql = "SELECT a.id AS id, a.display_name AS display_name, a.archetypes AS archetypes \
                   FROM accounts a WHERE a.id IN (SELECT w.holder_id FROM awards w \
                   WHERE w.org_id = $1 AND w.holder_id IS NOT NULL AND w.status <> 'revoked')";
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                [org_id.into()],
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

    /// The people whose evidence the organisation attested in the framework version
    /// `framework_id`, with that evidence, one row per person (`statement:level` pairs joined in SQL, so that 200,000 pieces are read
    /// as 10,000 rows).
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn workforce_levels(
        &self,
        org_id: &OrgId,
        framework_id: i64,
    ) -> Result<Vec<WorkforceLevels>, StoreError> {
        let backend = self.conn().get_database_backend();
        let join = match backend {
            DatabaseBackend::Postgres => {
                "string_agg(e.statement_code || ':' || e.level_confirmed || ':' || \
                 to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM'), ',')"
            }
            _ => {
                "group_concat(e.statement_code || ':' || e.level_confirmed || ':' || \
                  substr(e.updated_at, 1, 7), ',')"
            }
        };
        let sql = format!(
            "SELECT a.id AS id, a.display_name AS display_name, a.archetypes AS archetypes, \
             x.levels AS levels FROM (SELECT e.holder_id AS holder_id, {join} AS levels \
             FROM evidence e WHERE e.org_id = $1 AND e.framework_id = $2 \
             AND e.status = 'attested' AND e.level_confirmed IS NOT NULL \
             GROUP BY e.holder_id) x JOIN accounts a ON a.id = x.holder_id"
        );
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                backend,
                sql,
                [org_id.into(), framework_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let text: String = row.try_get("", "levels")?;
                let mut levels = Vec::new();
                let mut months = Vec::new();
                for triple in text.split(',') {
                    let mut parts = triple.splitn(3, ':');
                    let (s, l, m) = (parts.next(), parts.next(), parts.next());
                    match (s.map(StatementCode::new), l.map(LevelCode::new), m) {
                        (Some(Ok(s)), Some(Ok(l)), Some(m)) => {
                            levels.push((s, l));
                            months.push(m.to_owned());
                        }
                        _ => {
                            return Err(StoreError::Corrupt(format!(
                                "attested evidence names '{triple}'"
                            )))
                        }
                    }
                }
                Ok(WorkforceLevels {
                    person: WorkforcePerson {
                        id: row.try_get("", "id")?,
                        display_name: row.try_get("", "display_name")?,
                        archetypes: row.try_get("", "archetypes")?,
                    },
                    levels,
                    months,
                })
            })
            .collect()
    }

    /// The organisation's awards to accounts, with their achievements' pathways.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn workforce_awards(
        &self,
        org_id: &OrgId,
    ) -> Result<Vec<WorkforceAward>, StoreError> {
        let sql = "SELECT w.holder_id AS holder_id, c.pathway AS pathway, w.status AS status, \
                   w.created_at AS created_at, w.valid_until AS valid_until \
                   FROM awards w JOIN achievements c ON c.id = w.achievement_id \
                   WHERE w.org_id = $1 AND w.holder_id IS NOT NULL";
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                [org_id.into()],
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
