//! What scheduled notices read and record: credentials about to expire (and, for an
//! organisation's console, those expired), which reminders already went out, the renewals
//! that make a reminder moot, and the assessors a digest goes to. Recording a notice is an
//! insert that does nothing when the notice's key is taken, so that of two processes
//! scanning at once exactly one sends it.

use chrono::{DateTime, Utc};
use credence_domain::registry::{AwardStatus, NotificationKind, Role};
use credence_domain::{AwardId, OrgId};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{award, membership, scheduled_notice};
use crate::{StoreError, Tx};

use super::award_storage::award_facts;
use super::{AwardRow, MembershipRow, Page};

/// How many values go into one `IN (...)` list (well under SQLite's parameter limit).
const IN_CHUNK: usize = 500;

impl Tx {
    /// Records that the notice `kind` for `subject` at `slot` went out at `now`; `false`
    /// when it was recorded before (by this process or another: on PostgreSQL the insert
    /// waits for a concurrent one to commit or roll back, then yields to it).
    #[tracing::instrument(level = "debug", skip_all, fields(kind = %kind, slot = %slot))]
    pub async fn record_scheduled_notice(
        &self,
        kind: NotificationKind,
        subject: &str,
        slot: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let inserted = scheduled_notice::Entity::insert(scheduled_notice::ActiveModel::from(
            scheduled_notice::Model {
                kind,
                subject: subject.to_owned(),
                slot: slot.to_owned(),
                sent_at: now,
            },
        ))
        .on_conflict(
            OnConflict::columns([
                scheduled_notice::Column::Kind,
                scheduled_notice::Column::Subject,
                scheduled_notice::Column::Slot,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self.conn())
        .await?;
        Ok(inserted == 1)
    }

    /// Of `subjects`, the `(subject, slot)` pairs whose notice `kind` went out already.
    #[tracing::instrument(level = "debug", skip_all, fields(kind = %kind))]
    pub async fn scheduled_notices_sent(
        &self,
        kind: NotificationKind,
        subjects: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        for chunk in subjects.chunks(IN_CHUNK) {
            let rows: Vec<(String, String)> = scheduled_notice::Entity::find()
                .select_only()
                .column(scheduled_notice::Column::Subject)
                .column(scheduled_notice::Column::Slot)
                .filter(scheduled_notice::Column::Kind.eq(kind))
                .filter(scheduled_notice::Column::Subject.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(self.conn())
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Active awards held by an account that expire after `after` and by `by`, soonest
    /// first, leaving out those a later award renews and wallets' copies of awards (which
    /// expire with their originals: one reminder); `credential` is left empty.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn awards_expiring(
        &self,
        after: DateTime<Utc>,
        by: DateTime<Utc>,
        page: Page,
    ) -> Result<Vec<AwardRow>, StoreError> {
        Ok(award_facts()
            .filter(award::Column::Status.eq(AwardStatus::Active))
            .filter(award::Column::HolderId.is_not_null())
            .filter(award::Column::ReissueOf.is_null())
            .filter(award::Column::ValidUntil.gt(after))
            .filter(award::Column::ValidUntil.lte(by))
            .filter(award::Column::Id.not_in_subquery(renewed()))
            .order_by(award::Column::ValidUntil, Order::Asc)
            .order_by(award::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .into_model::<AwardRow>()
            .all(self.conn())
            .await?)
    }

    /// Active awards held by no account and made from no achievement (accreditations, and
    /// credentials issued through the VC-API) that expire after `after` and by `by`,
    /// soonest first; `credential` is left empty.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn unheld_awards_expiring(
        &self,
        after: DateTime<Utc>,
        by: DateTime<Utc>,
        page: Page,
    ) -> Result<Vec<AwardRow>, StoreError> {
        Ok(award_facts()
            .filter(award::Column::Status.eq(AwardStatus::Active))
            .filter(award::Column::HolderId.is_null())
            .filter(award::Column::AchievementId.is_null())
            .filter(award::Column::ValidUntil.gt(after))
            .filter(award::Column::ValidUntil.lte(by))
            .order_by(award::Column::ValidUntil, Order::Asc)
            .order_by(award::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .into_model::<AwardRow>()
            .all(self.conn())
            .await?)
    }

    /// An organisation's awards with an expiry between `since` and `by` (revoked ones
    /// left out), soonest first; `credential` is left empty.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn org_awards_expiring(
        &self,
        org_id: &OrgId,
        since: DateTime<Utc>,
        by: DateTime<Utc>,
        page: Page,
    ) -> Result<Vec<AwardRow>, StoreError> {
        Ok(award_facts()
            .filter(award::Column::OrgId.eq(org_id.clone()))
            .filter(award::Column::Status.ne(AwardStatus::Revoked))
            .filter(award::Column::AchievementId.is_not_null())
            .filter(award::Column::ValidUntil.gte(since))
            .filter(award::Column::ValidUntil.lte(by))
            .order_by(award::Column::ValidUntil, Order::Asc)
            .order_by(award::Column::Id, Order::Asc)
            .offset(page.offset)
            .limit(page.limit)
            .into_model::<AwardRow>()
            .all(self.conn())
            .await?)
    }

    /// Of `ids`, the awards that a later award renews, each with the id of its newest
    /// renewal.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn renewals_of(
        &self,
        ids: &[AwardId],
    ) -> Result<Vec<(AwardId, AwardId)>, StoreError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(IN_CHUNK) {
            let rows: Vec<(Option<AwardId>, AwardId)> = award::Entity::find()
                .select_only()
                .column(award::Column::ReplacesAwardId)
                .column(award::Column::Id)
                .filter(award::Column::ReplacesAwardId.is_in(chunk.iter().cloned()))
                .filter(award::Column::Status.ne(AwardStatus::Revoked))
                .order_by(award::Column::CreatedAt, Order::Asc)
                .into_tuple()
                .all(self.conn())
                .await?;
            out.extend(rows.into_iter().filter_map(|(old, new)| Some((old?, new))));
        }
        Ok(out)
    }

    /// Every assessor role, of every organisation.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn assessor_memberships(&self) -> Result<Vec<MembershipRow>, StoreError> {
        Ok(membership::Entity::find()
            .filter(membership::Column::Role.eq(Role::Assessor))
            .order_by(membership::Column::AccountId, Order::Asc)
            .order_by(membership::Column::OrgId, Order::Asc)
            .all(self.conn())
            .await?)
    }
}

/// The ids of awards a standing (not revoked) later award renews.
fn renewed() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(award::Column::ReplacesAwardId)
        .from(award::Entity)
        .and_where(award::Column::ReplacesAwardId.is_not_null())
        .and_where(award::Column::Status.ne(AwardStatus::Revoked))
        .to_owned()
}
