//! Offers of awards to wallets (OpenID4VCI): offers, access tokens and nonces, each taken
//! at most once by a conditional update, so that two processes never redeem one twice.

use chrono::{DateTime, Utc};
use credence_domain::{AwardId, WalletOfferId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{award, wallet_nonce, wallet_offer, wallet_token};
use crate::{StoreError, Tx};

use super::{AwardRow, WalletOfferRow, WalletTokenRow};

impl Tx {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_wallet_offer(&self, row: WalletOfferRow) -> Result<(), StoreError> {
        wallet_offer::Entity::insert(wallet_offer::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn wallet_offer(
        &self,
        id: &WalletOfferId,
    ) -> Result<Option<WalletOfferRow>, StoreError> {
        Ok(wallet_offer::Entity::find_by_id(id.clone())
            .one(self.conn())
            .await?)
    }

    /// The offer whose pre-authorized code has this hash (expired, redeemed or not).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn wallet_offer_by_code(
        &self,
        code_hash: &str,
    ) -> Result<Option<WalletOfferRow>, StoreError> {
        Ok(wallet_offer::Entity::find()
            .filter(wallet_offer::Column::CodeHash.eq(code_hash))
            .one(self.conn())
            .await?)
    }

    /// Marks the offer redeemed at `now` if it was not yet, has not expired and has had
    /// fewer than `max_wrong` wrong transaction codes; whether it did (false: another
    /// request redeemed it first, or wrong codes counted by other requests ended it).
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn redeem_wallet_offer(
        &self,
        id: &WalletOfferId,
        now: DateTime<Utc>,
        max_wrong: i32,
    ) -> Result<bool, StoreError> {
        let done = wallet_offer::Entity::update_many()
            .col_expr(wallet_offer::Column::RedeemedAt, Expr::value(now))
            .filter(wallet_offer::Column::Id.eq(id.clone()))
            .filter(wallet_offer::Column::RedeemedAt.is_null())
            .filter(wallet_offer::Column::ExpiresAt.gt(now))
            .filter(wallet_offer::Column::FailedTxCodes.lt(max_wrong))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// Counts one more wrong transaction code against the offer.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn wallet_offer_wrong_tx_code(&self, id: &WalletOfferId) -> Result<(), StoreError> {
        wallet_offer::Entity::update_many()
            .col_expr(
                wallet_offer::Column::FailedTxCodes,
                Expr::col(wallet_offer::Column::FailedTxCodes).add(1),
            )
            .filter(wallet_offer::Column::Id.eq(id.clone()))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Records the award the offer's wallet received.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn set_wallet_offer_issued(
        &self,
        id: &WalletOfferId,
        award_id: &AwardId,
    ) -> Result<(), StoreError> {
        wallet_offer::Entity::update_many()
            .col_expr(
                wallet_offer::Column::IssuedAwardId,
                Expr::value(award_id.as_str()),
            )
            .filter(wallet_offer::Column::Id.eq(id.clone()))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_wallet_token(&self, row: WalletTokenRow) -> Result<(), StoreError> {
        wallet_token::Entity::insert(wallet_token::ActiveModel::from(row))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Takes the access token with this hash for one request: its offer, if the token
    /// exists, has not expired and was not used before (it is used now).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn take_wallet_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WalletOfferId>, StoreError> {
        let Some(row) = wallet_token::Entity::find_by_id(token_hash.to_owned())
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        let done = wallet_token::Entity::update_many()
            .col_expr(wallet_token::Column::UsedAt, Expr::value(now))
            .filter(wallet_token::Column::TokenHash.eq(token_hash))
            .filter(wallet_token::Column::UsedAt.is_null())
            .filter(wallet_token::Column::ExpiresAt.gt(now))
            .exec(self.conn())
            .await?;
        Ok((done.rows_affected == 1).then_some(row.offer_id))
    }

    /// The offer of the access token with this hash, if it exists, has not expired and was
    /// not used; the token is left as it is.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn peek_wallet_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WalletOfferId>, StoreError> {
        Ok(wallet_token::Entity::find_by_id(token_hash.to_owned())
            .filter(wallet_token::Column::UsedAt.is_null())
            .filter(wallet_token::Column::ExpiresAt.gt(now))
            .one(self.conn())
            .await?
            .map(|row| row.offer_id))
    }

    /// Stores a nonce's hash until `expires_at`, and forgets nonces that expired before `now`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert_wallet_nonce(
        &self,
        nonce_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        wallet_nonce::Entity::delete_many()
            .filter(wallet_nonce::Column::ExpiresAt.lte(now))
            .exec(self.conn())
            .await?;
        wallet_nonce::Entity::insert(wallet_nonce::ActiveModel::from(wallet_nonce::Model {
            nonce_hash: nonce_hash.to_owned(),
            expires_at,
        }))
        .exec(self.conn())
        .await?;
        Ok(())
    }

    /// Takes the nonce with this hash: whether it existed and had not expired (it is gone now).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn take_wallet_nonce(
        &self,
        nonce_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = wallet_nonce::Entity::delete_many()
            .filter(wallet_nonce::Column::NonceHash.eq(nonce_hash))
            .filter(wallet_nonce::Column::ExpiresAt.gt(now))
            .exec(self.conn())
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// The awards that copy `award_id` for wallets, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(award_id = %award_id))]
    pub async fn reissues_of(&self, award_id: &AwardId) -> Result<Vec<AwardRow>, StoreError> {
        let rows = award::Entity::find()
            .filter(award::Column::ReissueOf.eq(award_id.clone()))
            .order_by_asc(award::Column::CreatedAt)
            .all(self.conn())
            .await?;
        self.award_rows(rows).await
    }
}
