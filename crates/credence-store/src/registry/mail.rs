//! The outbox of e-mails and the single-use links they carry. Taking a message to send is
//! a conditional update (free, or its lease run out), so that of two processes sharing the
//! database exactly one wins it.

use chrono::{DateTime, Utc};
use credence_domain::registry::{EmailLinkPurpose, OutboxState};
use credence_domain::{AccountId, OutboxId};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{email_link, outbox, session};
use crate::{StoreError, Tx};

use super::{EmailLinkRow, OutboxRow, Page};

const QUEUED: OutboxState = OutboxState::Queued;

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_outbox(&self, row: OutboxRow) -> Result<(), StoreError> {
        outbox::Entity::insert(outbox::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Inserts many messages, a few statements in all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_outboxes(&self, rows: Vec<OutboxRow>) -> Result<(), StoreError> {
        // Each message is a few kilobytes: a modest number a statement.
        for chunk in rows.chunks(20) {
            outbox::Entity::insert_many(chunk.iter().cloned().map(outbox::ActiveModel::from))
                .exec(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Ids of queued messages due by `now` and not leased to a live worker, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn outbox_due(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<OutboxId>, StoreError> {
        Ok(outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .filter(outbox::Column::State.eq(QUEUED))
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .filter(free_at(now))
            .order_by_asc(outbox::Column::NextAttemptAt)
            .order_by_asc(outbox::Column::Id)
            .limit(limit)
            .into_tuple()
            .all(self.conn())
            .await?)
    }

    /// Takes message `id` for `owner` until `until`, if it is still queued and free at
    /// `now`; `None` when another worker has it or it was sent meanwhile.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn lease_outbox(
        &self,
        id: &OutboxId,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<OutboxRow>, StoreError> {
        let done = outbox::Entity::update_many()
            .col_expr(outbox::Column::LeaseOwner, Expr::value(owner))
            .col_expr(outbox::Column::LeaseUntil, Expr::value(until))
            .filter(outbox::Column::Id.eq(id))
            .filter(outbox::Column::State.eq(QUEUED))
            .filter(free_at(now))
            .exec(self.conn())
            .await?;
        if done.rows_affected == 0 {
            return Ok(None);
        }
        Ok(outbox::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// Records how the attempt of the worker `owner` ended: the new state, attempts, the
    /// next attempt's time and the error, and frees the lease. `false` when the lease was
    /// no longer `owner`'s (it ran out and another worker took the message).
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn finish_outbox_attempt(
        &self,
        id: &OutboxId,
        owner: &str,
        end: OutboxAttempt,
    ) -> Result<bool, StoreError> {
        let done = outbox::Entity::update_many()
            .col_expr(outbox::Column::State, Expr::value(end.state))
            .col_expr(outbox::Column::Attempts, Expr::value(end.attempts))
            .col_expr(
                outbox::Column::NextAttemptAt,
                Expr::value(end.next_attempt_at),
            )
            .col_expr(outbox::Column::LastError, Expr::value(end.error))
            .col_expr(outbox::Column::SentAt, Expr::value(end.sent_at))
            .col_expr(outbox::Column::LeaseOwner, Expr::value(None::<String>))
            .col_expr(
                outbox::Column::LeaseUntil,
                Expr::value(None::<DateTime<Utc>>),
            )
            .filter(outbox::Column::Id.eq(id))
            .filter(outbox::Column::LeaseOwner.eq(owner))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// Messages in `state` (all when `None`), newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn outbox_page(
        &self,
        state: Option<OutboxState>,
        page: Page,
    ) -> Result<(Vec<OutboxRow>, u64), StoreError> {
        let mut query = outbox::Entity::find();
        if let Some(state) = state {
            query = query.filter(outbox::Column::State.eq(state));
        }
        let total = query.clone().count(self.conn()).await?;
        let rows = query
            .order_by_desc(outbox::Column::CreatedAt)
            .order_by_desc(outbox::Column::Id)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?;
        Ok((rows, total))
    }

    /// How many messages are in each state.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn outbox_counts(&self) -> Result<Vec<(OutboxState, i64)>, StoreError> {
        Ok(outbox::Entity::find()
            .select_only()
            .column(outbox::Column::State)
            .column_as(outbox::Column::Id.count(), "n")
            .group_by(outbox::Column::State)
            .into_tuple()
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_email_link(&self, row: EmailLinkRow) -> Result<(), StoreError> {
        email_link::Entity::insert(email_link::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// The link with this hash, if it is unused and unexpired at `now`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn live_email_link(
        &self,
        token_hash: &str,
        purpose: EmailLinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<EmailLinkRow>, StoreError> {
        Ok(email_link::Entity::find_by_id(token_hash)
            .filter(email_link::Column::Purpose.eq(purpose))
            .filter(email_link::Column::UsedAt.is_null())
            .filter(email_link::Column::ExpiresAt.gt(now))
            .one(self.conn())
            .await?)
    }

    /// Marks the link used, if it still was live: `false` when it was used meanwhile.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn use_email_link(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = email_link::Entity::update_many()
            .col_expr(email_link::Column::UsedAt, Expr::value(now))
            .filter(email_link::Column::TokenHash.eq(token_hash))
            .filter(email_link::Column::UsedAt.is_null())
            .filter(email_link::Column::ExpiresAt.gt(now))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// How many links of `purpose` were made for `account_id` since `since`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn count_email_links_since(
        &self,
        account_id: &AccountId,
        purpose: EmailLinkPurpose,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(email_link::Entity::find()
            .filter(email_link::Column::AccountId.eq(account_id))
            .filter(email_link::Column::Purpose.eq(purpose))
            .filter(email_link::Column::CreatedAt.gt(since))
            .count(self.conn())
            .await?)
    }

    /// Ends every unused link of `purpose` for `account_id` (a newer one replaces them).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn retire_email_links(
        &self,
        account_id: &AccountId,
        purpose: EmailLinkPurpose,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        email_link::Entity::update_many()
            .col_expr(email_link::Column::UsedAt, Expr::value(now))
            .filter(email_link::Column::AccountId.eq(account_id))
            .filter(email_link::Column::Purpose.eq(purpose))
            .filter(email_link::Column::UsedAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Ends every session of `account_id`; returns how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_sessions_of(&self, account_id: &AccountId) -> Result<u64, StoreError> {
        let done = session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(account_id))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected)
    }
}

/// How one attempt to send an outbox message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxAttempt {
    pub state: OutboxState,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Not leased, or leased by a worker whose lease has run out.
fn free_at(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(outbox::Column::LeaseUntil.is_null())
        .add(outbox::Column::LeaseUntil.lt(now))
}
