//! The `credential_parts` table: a fragment shared by many signed credentials (an embedded
//! achievement), stored once, its id the SHA-256 of its text (issue 22).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_parts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false, column_type = "Blob")]
    pub id: Vec<u8>,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
