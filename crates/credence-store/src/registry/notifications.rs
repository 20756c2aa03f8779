//! The in-app list of notifications and the e-mail preferences by kind.

use chrono::{DateTime, Utc};
use credence_domain::registry::NotificationKind;
use credence_domain::AccountId;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{notification, notification_pref};
use crate::{StoreError, Tx};

use super::{NotificationRow, Page};

/// How many rows go into one multi-row insert.
const INSERT_CHUNK: usize = 100;

impl Tx {
    /// Inserts many notifications, a few statements in all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_notifications(&self, rows: Vec<NotificationRow>) -> Result<(), StoreError> {
        for chunk in rows.chunks(INSERT_CHUNK) {
            notification::Entity::insert_many(
                chunk.iter().cloned().map(notification::ActiveModel::from),
            )
            .exec(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Those of `account_ids` who turned e-mail of `kind` off.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn muted_among(
        &self,
        kind: NotificationKind,
        account_ids: &[AccountId],
    ) -> Result<Vec<AccountId>, StoreError> {
        let mut out = Vec::new();
        for chunk in account_ids.chunks(500) {
            out.extend(
                notification_pref::Entity::find()
                    .select_only()
                    .column(notification_pref::Column::AccountId)
                    .filter(notification_pref::Column::Kind.eq(kind))
                    .filter(notification_pref::Column::Email.eq(false))
                    .filter(notification_pref::Column::AccountId.is_in(chunk.iter().cloned()))
                    .into_tuple::<AccountId>()
                    .all(self.conn())
                    .await?,
            );
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_notification(&self, row: NotificationRow) -> Result<(), StoreError> {
        notification::Entity::insert(notification::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// A page of `account_id`'s notifications, newest first, and how many are unread.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn notifications_of(
        &self,
        account_id: &AccountId,
        page: Page,
    ) -> Result<(Vec<NotificationRow>, u64), StoreError> {
        let rows = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account_id))
            .order_by_desc(notification::Column::CreatedAt)
            .order_by_desc(notification::Column::Id)
            .offset(page.offset)
            .limit(page.limit)
            .all(self.conn())
            .await?;
        let unread = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::ReadAt.is_null())
            .count(self.conn())
            .await?;
        Ok((rows, unread))
    }

    /// Marks every unread notification of `account_id` read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn mark_notifications_read(
        &self,
        account_id: &AccountId,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected)
    }

    /// The kinds `account_id` has turned e-mail off for.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn email_muted(
        &self,
        account_id: &AccountId,
    ) -> Result<Vec<NotificationKind>, StoreError> {
        Ok(notification_pref::Entity::find()
            .select_only()
            .column(notification_pref::Column::Kind)
            .filter(notification_pref::Column::AccountId.eq(account_id))
            .filter(notification_pref::Column::Email.eq(false))
            .into_tuple()
            .all(self.conn())
            .await?)
    }

    /// Sets whether `account_id` receives `kind` by e-mail.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_email_pref(
        &self,
        account_id: &AccountId,
        kind: NotificationKind,
        email: bool,
    ) -> Result<(), StoreError> {
        notification_pref::Entity::insert(notification_pref::ActiveModel::from(
            notification_pref::Model {
                account_id: account_id.to_owned(),
                kind,
                email,
            },
        ))
        .on_conflict(
            OnConflict::columns([
                notification_pref::Column::AccountId,
                notification_pref::Column::Kind,
            ])
            .update_column(notification_pref::Column::Email)
            .to_owned(),
        )
        .exec(self.conn())
        .await?;
        Ok(())
    }
}
