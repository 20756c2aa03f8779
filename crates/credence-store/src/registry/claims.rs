//! Claims of awards made to addresses without a confirmed account, and binding them to the
//! account that proves the address.

use chrono::{DateTime, Utc};
use credence_domain::registry::OutboxState;
use credence_domain::{AccountId, AwardId, OutboxId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{award, claim, outbox};
use crate::{StoreError, Tx};

use super::ClaimRow;

/// How many values go into one `IN (...)` list (well under SQLite's parameter limit).
const IN_CHUNK: usize = 500;

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_claims(&self, rows: Vec<ClaimRow>) -> Result<(), StoreError> {
        for chunk in rows.chunks(IN_CHUNK / 16) {
            claim::Entity::insert_many(chunk.iter().cloned().map(claim::ActiveModel::from))
                .exec(self.conn())
                .await?;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(award_id = %award_id))]
    pub async fn claim(&self, award_id: &AwardId) -> Result<Option<ClaimRow>, StoreError> {
        Ok(claim::Entity::find_by_id(award_id.clone())
            .one(self.conn())
            .await?)
    }

    /// The claim whose newest link has this hash (expired or not).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claim_by_token(&self, token_hash: &str) -> Result<Option<ClaimRow>, StoreError> {
        Ok(claim::Entity::find()
            .filter(claim::Column::TokenHash.eq(token_hash))
            .one(self.conn())
            .await?)
    }

    /// The claims of `award_ids` that exist.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claims_of(&self, award_ids: &[AwardId]) -> Result<Vec<ClaimRow>, StoreError> {
        let mut out = Vec::new();
        for chunk in award_ids.chunks(IN_CHUNK) {
            out.extend(
                claim::Entity::find()
                    .filter(claim::Column::AwardId.is_in(chunk.iter().cloned()))
                    .all(self.conn())
                    .await?,
            );
        }
        Ok(out)
    }

    /// The unclaimed claims of awards to `email`, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claims_waiting_for(&self, email: &str) -> Result<Vec<ClaimRow>, StoreError> {
        Ok(claim::Entity::find()
            .filter(claim::Column::Email.eq(email))
            .filter(claim::Column::ClaimedAt.is_null())
            .order_by_asc(claim::Column::CreatedAt)
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_claim(&self, row: ClaimRow) -> Result<(), StoreError> {
        claim::ActiveModel::from(row)
            .reset_all()
            .update(self.conn())
            .await?;
        Ok(())
    }

    /// Forgets the claim of `award_id`: its link stops working and no account can claim it.
    #[tracing::instrument(level = "debug", skip_all, fields(award_id = %award_id))]
    pub async fn delete_claim(&self, award_id: &AwardId) -> Result<(), StoreError> {
        claim::Entity::delete_by_id(award_id.clone())
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Records the first opening of a claim link.
    #[tracing::instrument(level = "debug", skip_all, fields(award_id = %award_id))]
    pub async fn mark_claim_opened(
        &self,
        award_id: &AwardId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        claim::Entity::update_many()
            .col_expr(claim::Column::OpenedAt, Expr::value(now))
            .filter(claim::Column::AwardId.eq(award_id.clone()))
            .filter(claim::Column::OpenedAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Marks the unclaimed claims of `award_ids` claimed by `account_id` and makes it the
    /// holder of their awards; returns the awards it took (none that were claimed meanwhile).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn bind_claims(
        &self,
        award_ids: &[AwardId],
        account_id: &AccountId,
        now: DateTime<Utc>,
    ) -> Result<Vec<AwardId>, StoreError> {
        let mut bound = Vec::new();
        for id in award_ids {
            let done = claim::Entity::update_many()
                .col_expr(claim::Column::ClaimedAt, Expr::value(now))
                .col_expr(claim::Column::ClaimedBy, Expr::value(account_id.as_str()))
                .filter(claim::Column::AwardId.eq(id.clone()))
                .filter(claim::Column::ClaimedAt.is_null())
                .exec(self.conn())
                .await?;
            if done.rows_affected == 1 {
                award::Entity::update_many()
                    .col_expr(award::Column::HolderId, Expr::value(account_id.as_str()))
                    .col_expr(award::Column::UpdatedAt, Expr::value(now))
                    .filter(award::Column::Id.eq(id.clone()))
                    .exec(self.conn())
                    .await?;
                bound.push(id.clone());
            }
        }
        Ok(bound)
    }

    /// The delivery state of outbox messages `ids` (those that exist).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn outbox_states(
        &self,
        ids: &[OutboxId],
    ) -> Result<Vec<(OutboxId, OutboxState)>, StoreError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(IN_CHUNK) {
            out.extend(
                outbox::Entity::find()
                    .select_only()
                    .column(outbox::Column::Id)
                    .column(outbox::Column::State)
                    .filter(outbox::Column::Id.is_in(chunk.iter().cloned()))
                    .into_tuple::<(OutboxId, OutboxState)>()
                    .all(self.conn())
                    .await?,
            );
        }
        Ok(out)
    }
}
