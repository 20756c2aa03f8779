//! The Open Badges API's OAuth 2.0 records: clients, and the codes and tokens holders
//! granted them (looked up by the hash of their value; a code is taken by deleting it, so
//! it is used once even by two processes at the same time).

use credence_domain::registry::OAuthGrantKind;
use credence_domain::{AccountId, OAuthClientId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{oauth_client, oauth_grant};
use crate::{StoreError, Tx};

use super::{OAuthClientRow, OAuthGrantRow};

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_oauth_client(&self, row: OAuthClientRow) -> Result<(), StoreError> {
        oauth_client::Entity::insert(oauth_client::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(client_id = %id))]
    pub async fn oauth_client(
        &self,
        id: &OAuthClientId,
    ) -> Result<Option<OAuthClientRow>, StoreError> {
        Ok(oauth_client::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_oauth_grant(&self, row: OAuthGrantRow) -> Result<(), StoreError> {
        oauth_grant::Entity::insert(oauth_grant::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// The grant of `kind` whose value hashes to `hash`, expired or not.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn oauth_grant(
        &self,
        kind: OAuthGrantKind,
        hash: &str,
    ) -> Result<Option<OAuthGrantRow>, StoreError> {
        Ok(oauth_grant::Entity::find_by_id(hash.to_owned())
            .filter(oauth_grant::Column::Kind.eq(kind))
            .one(self.conn())
            .await?)
    }

    /// Deletes the grant of `kind` hashed `hash`; whether this call deleted it (a code or
    /// a refresh token is used once: the second taker finds nothing).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn take_oauth_grant(
        &self,
        kind: OAuthGrantKind,
        hash: &str,
    ) -> Result<bool, StoreError> {
        let done = oauth_grant::Entity::delete_many()
            .filter(oauth_grant::Column::Hash.eq(hash))
            .filter(oauth_grant::Column::Kind.eq(kind))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected > 0)
    }

    /// Every grant a holder made (codes and tokens), oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(account = %account))]
    pub async fn oauth_grants_of(
        &self,
        account: &AccountId,
    ) -> Result<Vec<OAuthGrantRow>, StoreError> {
        Ok(oauth_grant::Entity::find()
            .filter(oauth_grant::Column::AccountId.eq(account))
            .order_by_asc(oauth_grant::Column::CreatedAt)
            .all(self.conn())
            .await?)
    }

    /// Ends everything a holder granted a client; the number of codes and tokens ended.
    #[tracing::instrument(level = "debug", skip_all, fields(account = %account, client_id = %client))]
    pub async fn revoke_oauth_grants(
        &self,
        account: &AccountId,
        client: &OAuthClientId,
    ) -> Result<u64, StoreError> {
        let done = oauth_grant::Entity::delete_many()
            .filter(oauth_grant::Column::AccountId.eq(account))
            .filter(oauth_grant::Column::ClientId.eq(client))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected)
    }
}
