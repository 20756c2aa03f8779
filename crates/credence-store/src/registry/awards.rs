//! Achievements, awards, status lists and bulk award jobs, plus the small read of attested
//! evidence that the completion check needs.

use credence_domain::registry::{AwardStatus, BulkJobState, BulkRowOutcome, EvidenceStatus};
use credence_domain::{AccountId, AchievementId, AwardId, BulkJobId, OrgId};
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::{
    account, achievement, award, bulk_job, bulk_row, evidence, framework, status_list,
};
use crate::{StoreError, Tx};

use super::{
    AccountRow, AchievementRow, AwardRow, BulkJobRow, BulkRowRow, EvidenceRow, Page, StatusListRow,
};

/// How many values go into one `IN (...)` list (well under SQLite's parameter limit).
const IN_CHUNK: usize = 500;

impl Tx {
    /// A stored framework version's slug, version and document text, by id.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn framework_by_id(
        &self,
        id: i64,
    ) -> Result<Option<(String, String, String)>, StoreError> {
        Ok(framework::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .map(|f| (f.slug, f.version, f.document)))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_achievement(&self, row: AchievementRow) -> Result<(), StoreError> {
        achievement::Entity::insert(achievement::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn achievement(
        &self,
        id: &AchievementId,
    ) -> Result<Option<AchievementRow>, StoreError> {
        Ok(achievement::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// An organisation's achievements, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn achievements_of_org(
        &self,
        org_id: &OrgId,
    ) -> Result<Vec<AchievementRow>, StoreError> {
        Ok(achievement::Entity::find()
            .filter(achievement::Column::OrgId.eq(org_id))
            .order_by(achievement::Column::CreatedAt, Order::Asc)
            .order_by(achievement::Column::Id, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// A holder's attested evidence in one framework version.
    #[tracing::instrument(level = "debug", skip_all, fields(holder_id = %holder_id, framework_id = %framework_id))]
    pub async fn attested_evidence_of(
        &self,
        holder_id: &AccountId,
        framework_id: i64,
    ) -> Result<Vec<EvidenceRow>, StoreError> {
        self.attested_evidence_of_holders(&[holder_id.to_owned()], framework_id)
            .await
    }

    /// The attested evidence of several holders in one framework version.
    #[tracing::instrument(level = "debug", skip_all, fields(framework_id = %framework_id))]
    pub async fn attested_evidence_of_holders(
        &self,
        holder_ids: &[AccountId],
        framework_id: i64,
    ) -> Result<Vec<EvidenceRow>, StoreError> {
        let mut out = Vec::new();
        for chunk in holder_ids.chunks(IN_CHUNK) {
            out.extend(
                evidence::Entity::find()
                    .filter(evidence::Column::HolderId.is_in(chunk.iter().cloned()))
                    .filter(evidence::Column::FrameworkId.eq(framework_id))
                    .filter(evidence::Column::Status.eq(EvidenceStatus::Attested))
                    .filter(evidence::Column::LevelConfirmed.is_not_null())
                    .order_by(evidence::Column::CreatedAt, Order::Asc)
                    .order_by(evidence::Column::Id, Order::Asc)
                    .all(self.conn())
                    .await?,
            );
        }
        Ok(out)
    }

    /// Stores a piece of evidence as it is. The evidence API is built elsewhere; tests use
    /// this to give a holder attested evidence directly.
    #[doc(hidden)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_evidence_row(&self, row: EvidenceRow) -> Result<(), StoreError> {
        evidence::Entity::insert(evidence::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Accounts by (normalised) e-mail address.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn accounts_by_emails(
        &self,
        emails: &[String],
    ) -> Result<Vec<AccountRow>, StoreError> {
        let mut out = Vec::new();
        for chunk in emails.chunks(IN_CHUNK) {
            out.extend(
                account::Entity::find()
                    .filter(account::Column::Email.is_in(chunk.iter().cloned()))
                    .all(self.conn())
                    .await?,
            );
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_award(&self, row: AwardRow) -> Result<(), StoreError> {
        let (row, part) = self.stored_award(row);
        self.save_parts(part.into_iter().collect()).await?;
        award::Entity::insert(award::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Several awards in one statement.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_awards(&self, rows: Vec<AwardRow>) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let (rows, parts): (Vec<_>, Vec<_>) =
            rows.into_iter().map(|r| self.stored_award(r)).unzip();
        self.save_parts(parts.into_iter().flatten().collect())
            .await?;
        award::Entity::insert_many(rows.into_iter().map(award::ActiveModel::from))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn award(&self, id: &AwardId) -> Result<Option<AwardRow>, StoreError> {
        let row = award::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?;
        self.award_row(row).await
    }

    /// The award whose credential has this `id`.
    #[tracing::instrument(level = "debug", skip_all, fields(credential_id = %credential_id))]
    pub async fn award_by_credential_id(
        &self,
        credential_id: &str,
    ) -> Result<Option<AwardRow>, StoreError> {
        let row = award::Entity::find()
            .filter(award::Column::CredentialId.eq(credential_id))
            .one(self.conn())
            .await?;
        self.award_row(row).await
    }

    /// The award an organisation made under an idempotency key.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn award_by_key(
        &self,
        org_id: &OrgId,
        key: &str,
    ) -> Result<Option<AwardRow>, StoreError> {
        let row = award::Entity::find()
            .filter(award::Column::OrgId.eq(org_id))
            .filter(award::Column::IdempotencyKey.eq(key))
            .one(self.conn())
            .await?;
        self.award_row(row).await
    }

    /// The awards an organisation made under any of `keys`.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn awards_by_keys(
        &self,
        org_id: &OrgId,
        keys: &[String],
    ) -> Result<Vec<AwardRow>, StoreError> {
        let mut out = Vec::new();
        for chunk in keys.chunks(IN_CHUNK) {
            let rows = award::Entity::find()
                .filter(award::Column::OrgId.eq(org_id))
                .filter(award::Column::IdempotencyKey.is_in(chunk.iter().cloned()))
                .all(self.conn())
                .await?;
            out.extend(self.award_rows(rows).await?);
        }
        Ok(out)
    }

    /// A holder's awards, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(holder_id = %holder_id))]
    pub async fn awards_of_holder(
        &self,
        holder_id: &AccountId,
    ) -> Result<Vec<AwardRow>, StoreError> {
        let rows = award::Entity::find()
            .filter(award::Column::HolderId.eq(holder_id))
            .order_by(award::Column::CreatedAt, Order::Desc)
            .order_by(award::Column::Id, Order::Asc)
            .all(self.conn())
            .await?;
        self.award_rows(rows).await
    }

    /// A holder's awards, newest first, with `credential` left empty: for lists and pages,
    /// which need an award's facts but not its signed document (the largest column by far).
    #[tracing::instrument(level = "debug", skip_all, fields(holder_id = %holder_id))]
    pub async fn award_facts_of_holder(
        &self,
        holder_id: &AccountId,
    ) -> Result<Vec<AwardRow>, StoreError> {
        Ok(super::award_storage::award_facts()
            .filter(award::Column::HolderId.eq(holder_id))
            .order_by(award::Column::CreatedAt, Order::Desc)
            .order_by(award::Column::Id, Order::Asc)
            .into_model::<AwardRow>()
            .all(self.conn())
            .await?)
    }

    /// An organisation's awards, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn awards_of_org(
        &self,
        org_id: &OrgId,
        page: Page,
    ) -> Result<Vec<AwardRow>, StoreError> {
        let rows = award::Entity::find()
            .filter(award::Column::OrgId.eq(org_id))
            .order_by(award::Column::CreatedAt, Order::Desc)
            .order_by(award::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?;
        self.award_rows(rows).await
    }

    /// Which of the candidate indices an organisation already uses, per list.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn taken_status_indices(
        &self,
        org_id: &OrgId,
        revocation: &[i64],
        suspension: &[i64],
    ) -> Result<(HashSet<i64>, HashSet<i64>), StoreError> {
        let mut taken_revocation = HashSet::new();
        for chunk in revocation.chunks(IN_CHUNK) {
            let found: Vec<i64> = award::Entity::find()
                .select_only()
                .column(award::Column::RevocationIndex)
                .filter(award::Column::OrgId.eq(org_id))
                .filter(award::Column::RevocationIndex.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(self.conn())
                .await?;
            taken_revocation.extend(found);
        }
        let mut taken_suspension = HashSet::new();
        for chunk in suspension.chunks(IN_CHUNK) {
            let found: Vec<i64> = award::Entity::find()
                .select_only()
                .column(award::Column::SuspensionIndex)
                .filter(award::Column::OrgId.eq(org_id))
                .filter(award::Column::SuspensionIndex.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(self.conn())
                .await?;
            taken_suspension.extend(found);
        }
        Ok((taken_revocation, taken_suspension))
    }

    /// The revocation indices of an organisation's awards in `status` (for the revocation
    /// list, `revoked`) or their suspension indices (for the suspension list, `suspended`).
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn status_bits(
        &self,
        org_id: &OrgId,
        status: AwardStatus,
        suspension: bool,
    ) -> Result<Vec<i64>, StoreError> {
        let column = if suspension {
            award::Column::SuspensionIndex
        } else {
            award::Column::RevocationIndex
        };
        Ok(award::Entity::find()
            .select_only()
            .column(column)
            .filter(award::Column::OrgId.eq(org_id))
            .filter(award::Column::Status.eq(status))
            .into_tuple()
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn set_award_status(
        &self,
        id: &AwardId,
        status: AwardStatus,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        award::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.clone()),
            status: Set(status),
            status_reason: Set(Some(reason.to_owned())),
            updated_at: Set(at),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn set_award_public(
        &self,
        id: &AwardId,
        public: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        award::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.clone()),
            public: Set(public),
            updated_at: Set(at),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    /// The versions of every status list of an organisation, by purpose (one indexed read).
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn status_list_versions(
        &self,
        org_id: &OrgId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(status_list::Entity::find()
            .filter(status_list::Column::OrgId.eq(org_id.to_owned()))
            .select_only()
            .column(status_list::Column::Purpose)
            .column(status_list::Column::Version)
            .into_tuple()
            .all(self.conn())
            .await?)
    }

    /// The version of an organisation's status list (one indexed read).
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id, purpose = %purpose))]
    pub async fn status_list_version(
        &self,
        org_id: &OrgId,
        purpose: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(
            status_list::Entity::find_by_id((org_id.to_owned(), purpose.to_owned()))
                .select_only()
                .column(status_list::Column::Version)
                .into_tuple()
                .one(self.conn())
                .await?,
        )
    }

    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id, purpose = %purpose))]
    pub async fn status_list(
        &self,
        org_id: &OrgId,
        purpose: &str,
    ) -> Result<Option<StatusListRow>, StoreError> {
        Ok(
            status_list::Entity::find_by_id((org_id.to_owned(), purpose.to_owned()))
                .one(self.conn())
                .await?,
        )
    }

    /// Stores a status list: a new row at version 1, or a replacement of the stored one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_status_list(&self, row: StatusListRow) -> Result<(), StoreError> {
        let exists = self
            .status_list_version(&row.org_id, &row.purpose)
            .await?
            .is_some();
        if exists {
            status_list::ActiveModel::from(row)
                .reset_all()
                .update(self.conn())
                .await?;
        } else {
            status_list::Entity::insert(status_list::ActiveModel::from(row))
                .exec(self.conn())
                .await?;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_bulk_job(&self, row: BulkJobRow) -> Result<(), StoreError> {
        bulk_job::Entity::insert(bulk_job::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn bulk_job(&self, id: &BulkJobId) -> Result<Option<BulkJobRow>, StoreError> {
        Ok(bulk_job::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// An organisation's bulk jobs, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn bulk_jobs_of_org(
        &self,
        org_id: &OrgId,
        page: Page,
    ) -> Result<Vec<BulkJobRow>, StoreError> {
        Ok(bulk_job::Entity::find()
            .filter(bulk_job::Column::OrgId.eq(org_id))
            .order_by(bulk_job::Column::CreatedAt, Order::Desc)
            .order_by(bulk_job::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?)
    }

    /// Records a job's progress.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn update_bulk_job(
        &self,
        id: &BulkJobId,
        done: i64,
        refused: i64,
        state: BulkJobState,
        finished_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        bulk_job::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.clone()),
            done: Set(done),
            refused: Set(refused),
            state: Set(state),
            finished_at: Set(finished_at),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    /// Extends a running job's lease to `until`; a job no longer running is left alone.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn renew_bulk_lease(
        &self,
        id: &BulkJobId,
        until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        bulk_job::Entity::update_many()
            .col_expr(
                bulk_job::Column::LeaseUntil,
                sea_orm::sea_query::Expr::value(until),
            )
            .filter(bulk_job::Column::Id.eq(id))
            .filter(bulk_job::Column::State.eq(BulkJobState::Running))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_bulk_rows(&self, rows: Vec<BulkRowRow>) -> Result<(), StoreError> {
        for chunk in rows.chunks(100) {
            bulk_row::Entity::insert_many(chunk.iter().cloned().map(bulk_row::ActiveModel::from))
                .exec(self.conn())
                .await?;
        }
        Ok(())
    }

    /// A job's rows in file order.
    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %job_id))]
    pub async fn bulk_rows(
        &self,
        job_id: &BulkJobId,
        page: Page,
    ) -> Result<Vec<BulkRowRow>, StoreError> {
        self.bulk_rows_with(job_id, None, page).await
    }

    /// A job's rows of one outcome (`refused`, ...), or all of them, in file order.
    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %job_id))]
    pub async fn bulk_rows_with(
        &self,
        job_id: &BulkJobId,
        outcome: Option<BulkRowOutcome>,
        page: Page,
    ) -> Result<Vec<BulkRowRow>, StoreError> {
        let mut query = bulk_row::Entity::find().filter(bulk_row::Column::JobId.eq(job_id));
        if let Some(outcome) = outcome {
            query = query.filter(bulk_row::Column::Outcome.eq(outcome));
        }
        Ok(query
            .order_by(bulk_row::Column::RowNo, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?)
    }
}
