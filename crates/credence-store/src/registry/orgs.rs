//! Organisations, memberships, API tokens and signing keys.

use chrono::{DateTime, Utc};
use credence_domain::registry::Role;
use credence_domain::{AccountId, OrgId, TokenId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder,
};

use crate::entity::{api_token, membership, organisation, signing_key, trusted_body};
use crate::{StoreError, Tx};

use super::{KeyRow, MembershipRow, OrgRow, TokenRow};

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_org(&self, row: OrgRow) -> Result<(), StoreError> {
        organisation::Entity::insert(organisation::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn org(&self, id: &OrgId) -> Result<Option<OrgRow>, StoreError> {
        Ok(organisation::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(slug = %slug))]
    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<OrgRow>, StoreError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn org_by_did(&self, did: &str) -> Result<Option<OrgRow>, StoreError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Did.eq(did))
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn orgs(&self) -> Result<Vec<OrgRow>, StoreError> {
        Ok(organisation::Entity::find()
            .order_by(organisation::Column::Slug, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Changes an organisation's DID (a `did:key` organisation's DID follows its key).
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn set_org_did(&self, id: &OrgId, did: &str) -> Result<(), StoreError> {
        organisation::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.to_owned()),
            did: Set(did.to_owned()),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    /// Sets the cryptosuite an organisation signs with by default (`None`: the default).
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn set_org_cryptosuite(
        &self,
        id: &OrgId,
        cryptosuite: Option<&str>,
    ) -> Result<(), StoreError> {
        organisation::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.to_owned()),
            cryptosuite: Set(cryptosuite.map(str::to_owned)),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_membership(&self, row: MembershipRow) -> Result<(), StoreError> {
        membership::Entity::insert(membership::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Removes a role; returns whether the account held it.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id, account_id = %account_id))]
    pub async fn delete_membership(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
        role: Role,
    ) -> Result<bool, StoreError> {
        let done =
            membership::Entity::delete_by_id((org_id.to_owned(), account_id.to_owned(), role))
                .exec(self.conn())
                .await?;
        Ok(done.rows_affected > 0)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %account_id))]
    pub async fn memberships_of_account(
        &self,
        account_id: &AccountId,
    ) -> Result<Vec<MembershipRow>, StoreError> {
        Ok(membership::Entity::find()
            .filter(membership::Column::AccountId.eq(account_id))
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn memberships_of_org(
        &self,
        org_id: &OrgId,
    ) -> Result<Vec<MembershipRow>, StoreError> {
        Ok(membership::Entity::find()
            .filter(membership::Column::OrgId.eq(org_id))
            .order_by(membership::Column::CreatedAt, Order::Asc)
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_token(&self, row: TokenRow) -> Result<(), StoreError> {
        api_token::Entity::insert(api_token::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// A token that is neither revoked nor expired, by the hash of its value.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn live_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<TokenRow>, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash))
            .filter(api_token::Column::RevokedAt.is_null())
            .filter(api_token::Column::ExpiresAt.gt(now))
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn token(&self, id: &TokenId) -> Result<Option<TokenRow>, StoreError> {
        Ok(api_token::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn tokens_of_org(&self, org_id: &OrgId) -> Result<Vec<TokenRow>, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::OrgId.eq(org_id))
            .order_by(api_token::Column::CreatedAt, Order::Desc)
            .all(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn revoke_token(&self, id: &TokenId, at: DateTime<Utc>) -> Result<(), StoreError> {
        api_token::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id.to_owned()),
            revoked_at: Set(Some(at)),
            ..Default::default()
        }
        .update(self.conn())
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_key(&self, row: KeyRow) -> Result<(), StoreError> {
        signing_key::Entity::insert(signing_key::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Every key an organisation has had, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn keys_of_org(&self, org_id: &OrgId) -> Result<Vec<KeyRow>, StoreError> {
        Ok(signing_key::Entity::find()
            .filter(signing_key::Column::OrgId.eq(org_id))
            .order_by(signing_key::Column::CreatedAt, Order::Asc)
            .order_by(signing_key::Column::Fragment, Order::Asc)
            .all(self.conn())
            .await?)
    }

    /// Marks every active key of an organisation retired.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn retire_keys(&self, org_id: &OrgId, at: DateTime<Utc>) -> Result<(), StoreError> {
        signing_key::Entity::update_many()
            .col_expr(signing_key::Column::Active, false.into())
            .col_expr(signing_key::Column::RetiredAt, Some(at).into())
            .filter(signing_key::Column::OrgId.eq(org_id))
            .filter(signing_key::Column::Active.eq(true))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn trust_body(&self, org_id: &OrgId, at: DateTime<Utc>) -> Result<(), StoreError> {
        trusted_body::Entity::insert(trusted_body::ActiveModel {
            org_id: Set(org_id.to_owned()),
            created_at: Set(at),
        })
        .exec(self.conn())
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub async fn distrust_body(&self, org_id: &OrgId) -> Result<bool, StoreError> {
        let done = trusted_body::Entity::delete_by_id(org_id.clone())
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected > 0)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn trusted_bodies(&self) -> Result<Vec<OrgId>, StoreError> {
        Ok(trusted_body::Entity::find()
            .all(self.conn())
            .await?
            .into_iter()
            .map(|t| t.org_id)
            .collect())
    }
}
