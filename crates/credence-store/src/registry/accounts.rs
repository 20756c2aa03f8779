//! Accounts and browser sessions.

use chrono::{DateTime, Utc};
use credence_domain::AccountId;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entity::{account, session};
use crate::{StoreError, Tx};

use super::{AccountRow, SessionRow};

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_account(&self, row: AccountRow) -> Result<(), StoreError> {
        account::Entity::insert(account::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn account(&self, id: &AccountId) -> Result<Option<AccountRow>, StoreError> {
        Ok(account::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn account_by_email(&self, email: &str) -> Result<Option<AccountRow>, StoreError> {
        Ok(account::Entity::find()
            .filter(account::Column::Email.eq(email))
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(slug = %slug))]
    pub async fn account_by_portfolio(&self, slug: &str) -> Result<Option<AccountRow>, StoreError> {
        Ok(account::Entity::find()
            .filter(account::Column::PortfolioSlug.eq(slug))
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn count_operators(&self) -> Result<u64, StoreError> {
        Ok(account::Entity::find()
            .filter(account::Column::IsOperator.eq(true))
            .count(self.conn())
            .await?)
    }

    /// Updates an account's editable fields (everything but id, e-mail and salt).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_account(&self, row: AccountRow) -> Result<(), StoreError> {
        let mut model = account::ActiveModel::from(row).reset_all();
        model.email = sea_orm::ActiveValue::NotSet;
        model.email_salt = sea_orm::ActiveValue::NotSet;
        model.created_at = sea_orm::ActiveValue::NotSet;
        account::Entity::update(model).exec(self.conn()).await?;
        Ok(())
    }

    /// Changes an account's e-mail address (its own confirmation is the caller's concern).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_account_email(&self, id: &AccountId, email: &str) -> Result<(), StoreError> {
        account::Entity::update_many()
            .col_expr(
                account::Column::Email,
                sea_orm::sea_query::Expr::value(email),
            )
            .filter(account::Column::Id.eq(id.clone()))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_session(&self, row: SessionRow) -> Result<(), StoreError> {
        session::Entity::insert(session::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// A live session and its account, by the hash of the cookie value.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionRow, AccountRow)>, StoreError> {
        let found = session::Entity::find_by_id(token_hash)
            .filter(session::Column::ExpiresAt.gt(now))
            .one(self.conn())
            .await?;
        let Some(session) = found else {
            return Ok(None);
        };
        let account = self
            .account(&session.account_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a session names a missing account".into()))?;
        Ok(Some((session, account)))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(token_hash)
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(now))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected)
    }
}
