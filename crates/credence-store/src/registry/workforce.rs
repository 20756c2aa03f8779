//! The workforce view's reads: an organisation's people (those whose evidence it attested
//! or who hold one of its credentials), the evidence it attested, its awards with their
//! pathways, and its targets. Three queries whatever the number of people: the service
//! computes each person's progress once from what they return.

use chrono::{DateTime, Utc};
use credence_domain::registry::AwardStatus;
use credence_domain::{AccountId, LevelCode, OrgId, StatementCode, TargetId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, Statement,
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

/// A piece of attested evidence: whose, for what, at which confirmed level, and when it
/// last changed (when it was attested).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkforceEvidence {
    pub holder_id: AccountId,
    pub statement: StatementCode,
    pub level: LevelCode,
    pub attested_at: DateTime<Utc>,
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
    /// The organisation's people: every account with evidence it attested in the framework
    /// version `framework_id`, or holding one of its credentials that is not revoked; by
    /// name.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn workforce_people(
        &self,
        org_id: &OrgId,
        framework_id: i64,
    ) -> Result<Vec<WorkforcePerson>, StoreError> {
        let sql = "SELECT a.id AS id, a.display_name AS display_name, a.archetypes AS archetypes \
                   FROM accounts a WHERE a.id IN (SELECT e.holder_id FROM evidence e \
                   WHERE e.org_id = $1 AND e.framework_id = $2 AND e.status = 'attested') \
                   OR a.id IN (SELECT w.holder_id FROM awards w WHERE w.org_id = $1 \
                   AND w.holder_id IS NOT NULL AND w.status <> 'revoked') \
                   ORDER BY a.display_name, a.id";
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                [org_id.into(), framework_id.into()],
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

    /// The evidence the organisation attested in the framework version `framework_id`.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn workforce_evidence(
        &self,
        org_id: &OrgId,
        framework_id: i64,
    ) -> Result<Vec<WorkforceEvidence>, StoreError> {
        let sql = "SELECT e.holder_id AS holder_id, e.statement_code AS statement_code, \
                   e.level_confirmed AS level_confirmed, e.updated_at AS updated_at \
                   FROM evidence e WHERE e.org_id = $1 AND e.framework_id = $2 \
                   AND e.status = 'attested' AND e.level_confirmed IS NOT NULL";
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                [org_id.into(), framework_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                Ok(WorkforceEvidence {
                    holder_id: row.try_get("", "holder_id")?,
                    statement: row.try_get("", "statement_code")?,
                    level: row.try_get("", "level_confirmed")?,
                    attested_at: row.try_get("", "updated_at")?,
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
