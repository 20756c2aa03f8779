//! The `audit_checkpoints` table. A signed checkpoint of the audit chain's head.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_checkpoints")]
pub struct Model {
    /// The sequence number of the entry the checkpoint vouches for (0: the empty chain).
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// That entry's hash.
    pub hash: String,
    /// When it was signed, exactly as signed (RFC 3339).
    #[sea_orm(column_type = "Text")]
    pub at: String,
    /// The audit key's public key (Multikey, `z6Mk…`).
    #[sea_orm(column_type = "Text")]
    pub public_key_multibase: String,
    /// The signature (multibase, `z…`).
    #[sea_orm(column_type = "Text")]
    pub signature: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
