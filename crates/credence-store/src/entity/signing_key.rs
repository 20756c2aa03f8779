//! The `signing_keys` table. An organisation's Ed25519 signing key, sealed under the master key.

use credence_domain::{KeyId, OrgId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: KeyId,
    pub org_id: OrgId,
    pub fragment: String,
    #[sea_orm(column_type = "Text")]
    pub public_key_multibase: String,
    #[sea_orm(column_type = "Blob")]
    pub sealed_private_key: Vec<u8>,
    pub active: bool,
    pub created_at: ChronoDateTimeUtc,
    pub retired_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
