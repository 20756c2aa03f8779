//! The in-app list of notifications and the e-mail preferences by kind.

use chrono::{DateTime, Utc};
use credence_domain::registry::NotificationKind;
use credence_domain::AccountId;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{notification, notification_pref};
use crate::{StoreError, Tx};

use super::{NotificationRow, Page};

impl Tx {
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
