//! Evidence, its decision history and its attachments.

use chrono::{DateTime, Utc};
use credence_domain::registry::EvidenceStatus;
use credence_domain::{AccountId, AttachmentId, EvidenceId, OrgId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};

use crate::entity::{evidence, evidence_attachment, evidence_decision, framework};
use crate::{StoreError, Tx};

use super::{AttachmentRow, DecisionRow, EvidenceRow, Page};

/// What one account stores: its pieces of evidence and their attachments' bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub evidence: i64,
    pub attachment_bytes: i64,
}

/// An account's usage, for operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountUsage {
    pub account_id: AccountId,
    pub email: String,
    pub usage: Usage,
}

/// An attachment without its content, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    pub id: AttachmentId,
    pub evidence_id: EvidenceId,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// A decision to append to a piece of evidence's history (the id is assigned on insert).
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub evidence_id: EvidenceId,
    pub actor_id: Option<AccountId>,
    pub decision: String,
    pub level: Option<String>,
    pub comment: Option<String>,
    pub decided_at: DateTime<Utc>,
}

type MetaTuple = (
    AttachmentId,
    EvidenceId,
    String,
    String,
    i64,
    String,
    DateTime<Utc>,
);

fn meta(
    (id, evidence_id, file_name, media_type, size, sha256, created_at): MetaTuple,
) -> AttachmentMeta {
    AttachmentMeta {
        id,
        evidence_id,
        file_name,
        media_type,
        size,
        sha256,
        created_at,
    }
}

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_evidence(&self, row: EvidenceRow) -> Result<(), StoreError> {
        evidence::Entity::insert(evidence::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn evidence(&self, id: &EvidenceId) -> Result<Option<EvidenceRow>, StoreError> {
        Ok(evidence::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// Writes every column of a stored piece of evidence but its id, holder and creation time.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_evidence(&self, row: EvidenceRow) -> Result<(), StoreError> {
        let mut model = evidence::ActiveModel::from(row).reset_all();
        model.holder_id = sea_orm::ActiveValue::NotSet;
        model.created_at = sea_orm::ActiveValue::NotSet;
        evidence::Entity::update(model).exec(self.conn()).await?;
        Ok(())
    }

    /// Deletes a piece of evidence with its attachments and decisions.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn delete_evidence(&self, id: &EvidenceId) -> Result<(), StoreError> {
        evidence_attachment::Entity::delete_many()
            .filter(evidence_attachment::Column::EvidenceId.eq(id))
            .exec(self.conn())
            .await?;
        evidence_decision::Entity::delete_many()
            .filter(evidence_decision::Column::EvidenceId.eq(id))
            .exec(self.conn())
            .await?;
        evidence::Entity::delete_by_id(id.clone())
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// A holder's evidence, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(holder_id = %holder_id))]
    pub async fn evidence_of_holder(
        &self,
        holder_id: &AccountId,
        page: Page,
    ) -> Result<Vec<EvidenceRow>, StoreError> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::HolderId.eq(holder_id))
            .order_by(evidence::Column::CreatedAt, Order::Desc)
            .order_by(evidence::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?)
    }

    /// Another of `row`'s holder's pieces of evidence for the same statement and level that
    /// waits for a decision, if any.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn waiting_twin(&self, row: &EvidenceRow) -> Result<Option<EvidenceRow>, StoreError> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::HolderId.eq(&row.holder_id))
            .filter(evidence::Column::FrameworkId.eq(row.framework_id))
            .filter(evidence::Column::StatementCode.eq(&row.statement_code))
            .filter(evidence::Column::LevelClaimed.eq(&row.level_claimed))
            .filter(evidence::Column::Status.eq(EvidenceStatus::Submitted))
            .filter(evidence::Column::Id.ne(&row.id))
            .one(self.conn())
            .await?)
    }

    /// How much evidence waits for a decision at an organisation.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn count_evidence_queue(&self, org_id: &OrgId) -> Result<u64, StoreError> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::OrgId.eq(org_id))
            .filter(evidence::Column::Status.eq(EvidenceStatus::Submitted))
            .count(self.conn())
            .await?)
    }

    /// Evidence submitted to an organisation and awaiting a decision, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn evidence_queue(
        &self,
        org_id: &OrgId,
        page: Page,
    ) -> Result<Vec<EvidenceRow>, StoreError> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::OrgId.eq(org_id))
            .filter(evidence::Column::Status.eq(EvidenceStatus::Submitted))
            .order_by(evidence::Column::UpdatedAt, Order::Asc)
            .order_by(evidence::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?)
    }

    /// A holder's attested evidence in one framework version, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(holder_id = %holder_id, framework_id = %framework_id))]
    pub async fn attested_evidence(
        &self,
        holder_id: &AccountId,
        framework_id: i64,
    ) -> Result<Vec<EvidenceRow>, StoreError> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::HolderId.eq(holder_id))
            .filter(evidence::Column::FrameworkId.eq(framework_id))
            .filter(evidence::Column::Status.eq(EvidenceStatus::Attested))
            .order_by(evidence::Column::CreatedAt, Order::Asc)
            .order_by(evidence::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Imported evidence with this organisation, reference, holder and statement, if any.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id, holder_id = %holder_id))]
    pub async fn imported_evidence(
        &self,
        org_id: &OrgId,
        external_ref: &str,
        holder_id: &AccountId,
        statement_code: &str,
    ) -> Result<Option<EvidenceRow>, StoreError> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::OrgId.eq(org_id))
            .filter(evidence::Column::Source.eq("import"))
            .filter(evidence::Column::ExternalRef.eq(external_ref))
            .filter(evidence::Column::HolderId.eq(holder_id))
            .filter(evidence::Column::StatementCode.eq(statement_code))
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_decision(&self, new: NewDecision) -> Result<(), StoreError> {
        use sea_orm::ActiveValue::{NotSet, Set};
        evidence_decision::Entity::insert(evidence_decision::ActiveModel {
            id: NotSet,
            evidence_id: Set(new.evidence_id),
            actor_id: Set(new.actor_id),
            decision: Set(new.decision),
            level: Set(new.level),
            comment: Set(new.comment),
            decided_at: Set(new.decided_at),
        })
        .exec(self.conn())
        .await?;
        Ok(())
    }

    /// A piece of evidence's history, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(evidence_id = %evidence_id))]
    pub async fn decisions_of(
        &self,
        evidence_id: &EvidenceId,
    ) -> Result<Vec<DecisionRow>, StoreError> {
        Ok(evidence_decision::Entity::find()
            .filter(evidence_decision::Column::EvidenceId.eq(evidence_id))
            .order_by(evidence_decision::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_attachment(&self, row: AttachmentRow) -> Result<(), StoreError> {
        evidence_attachment::Entity::insert(evidence_attachment::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// What `holder_id` stores (for quotas).
    #[tracing::instrument(level = "debug", skip_all, fields(holder_id = %holder_id))]
    pub async fn usage_of_holder(&self, holder_id: &AccountId) -> Result<Usage, StoreError> {
        let sql = "SELECT (SELECT COUNT(*) FROM evidence WHERE holder_id = $1) AS evidence, \
                   CAST((SELECT COALESCE(SUM(a.size), 0) FROM evidence_attachments a \
                   JOIN evidence e ON e.id = a.evidence_id WHERE e.holder_id = $1) AS BIGINT) AS bytes";
        let row = self
            .conn()
            .query_one(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                [holder_id.into()],
            ))
            .await?;
        Ok(match row {
            Some(row) => Usage {
                evidence: row.try_get("", "evidence")?,
                attachment_bytes: row.try_get("", "bytes")?,
            },
            None => Usage::default(),
        })
    }

    /// The accounts storing the most attachment bytes, then the most evidence.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn top_usage(&self, limit: u64) -> Result<Vec<AccountUsage>, StoreError> {
        let sql = "SELECT a.id AS id, a.email AS email, \
                   (SELECT COUNT(*) FROM evidence e WHERE e.holder_id = a.id) AS evidence, \
                   CAST((SELECT COALESCE(SUM(t.size), 0) FROM evidence_attachments t \
                   JOIN evidence e ON e.id = t.evidence_id WHERE e.holder_id = a.id) AS BIGINT) AS bytes \
                   FROM accounts a ORDER BY bytes DESC, evidence DESC, a.email LIMIT $1";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .conn()
            .query_all(Statement::from_sql_and_values(
                self.conn().get_database_backend(),
                sql,
                [limit.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                Ok(AccountUsage {
                    account_id: row.try_get("", "id")?,
                    email: row.try_get("", "email")?,
                    usage: Usage {
                        evidence: row.try_get("", "evidence")?,
                        attachment_bytes: row.try_get("", "bytes")?,
                    },
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(evidence_id = %evidence_id))]
    pub async fn count_attachments(&self, evidence_id: &EvidenceId) -> Result<u64, StoreError> {
        Ok(evidence_attachment::Entity::find()
            .filter(evidence_attachment::Column::EvidenceId.eq(evidence_id))
            .count(self.conn())
            .await?)
    }

    /// A piece of evidence's attachments without their content, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(evidence_id = %evidence_id))]
    pub async fn attachments_of(
        &self,
        evidence_id: &EvidenceId,
    ) -> Result<Vec<AttachmentMeta>, StoreError> {
        let rows = evidence_attachment::Entity::find()
            .select_only()
            .columns([
                evidence_attachment::Column::Id,
                evidence_attachment::Column::EvidenceId,
                evidence_attachment::Column::FileName,
                evidence_attachment::Column::MediaType,
                evidence_attachment::Column::Size,
                evidence_attachment::Column::Sha256,
                evidence_attachment::Column::CreatedAt,
            ])
            .filter(evidence_attachment::Column::EvidenceId.eq(evidence_id))
            .order_by(evidence_attachment::Column::CreatedAt, Order::Asc)
            .order_by(evidence_attachment::Column::Id, Order::Asc)
            .into_tuple::<MetaTuple>()
            .all(self.conn())
            .await?;
        Ok(rows.into_iter().map(meta).collect())
    }

    /// One attachment with its content.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn attachment(&self, id: &AttachmentId) -> Result<Option<AttachmentRow>, StoreError> {
        Ok(evidence_attachment::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// A framework version's row id, version and content digest, by slug; the latest
    /// import when `version` is `None`.
    #[tracing::instrument(level = "debug", skip_all, fields(slug = %slug))]
    pub async fn framework_key(
        &self,
        slug: &str,
        version: Option<&str>,
    ) -> Result<Option<(i64, String, String)>, StoreError> {
        let mut query = framework::Entity::find().filter(framework::Column::Slug.eq(slug));
        if let Some(version) = version {
            query = query.filter(framework::Column::Version.eq(version));
        }
        Ok(query
            .select_only()
            .columns([
                framework::Column::Id,
                framework::Column::Version,
                framework::Column::ContentSha256,
            ])
            .order_by(framework::Column::Id, Order::Desc)
            .into_tuple::<(i64, String, String)>()
            .one(self.conn())
            .await?)
    }

    /// A framework version's slug, version and content digest, by its row id.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn framework_key_by_id(
        &self,
        id: i64,
    ) -> Result<Option<(String, String, String)>, StoreError> {
        Ok(framework::Entity::find_by_id(id)
            .select_only()
            .columns([
                framework::Column::Slug,
                framework::Column::Version,
                framework::Column::ContentSha256,
            ])
            .into_tuple::<(String, String, String)>()
            .one(self.conn())
            .await?)
    }

    /// A framework version's document as stored, by its row id.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn framework_text(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(framework::Entity::find_by_id(id)
            .select_only()
            .column(framework::Column::Document)
            .into_tuple::<String>()
            .one(self.conn())
            .await?)
    }
}
