//! The `wallet_offers` table. A holder's offer of one award to a wallet (OpenID4VCI): the
//! hashes of its pre-authorized code and transaction code, when it expires, and when it was
//! redeemed and with which new award.

use credence_domain::{AccountId, AwardId, WalletOfferId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wallet_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: WalletOfferId,
    /// The award offered.
    pub award_id: AwardId,
    pub holder_id: AccountId,
    /// The SHA-256 of the pre-authorized code.
    pub code_hash: String,
    /// The SHA-256 of the transaction code, when the offer has one.
    pub tx_code_hash: Option<String>,
    /// Wrong transaction codes given so far; past a few the offer no longer works.
    pub failed_tx_codes: i32,
    pub expires_at: ChronoDateTimeUtc,
    pub created_at: ChronoDateTimeUtc,
    /// When its code was exchanged for an access token (once only).
    pub redeemed_at: Option<ChronoDateTimeUtc>,
    /// The award issued to the wallet.
    pub issued_award_id: Option<AwardId>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
