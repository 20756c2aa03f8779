//! The `frameworks` table: one row per framework version, holding the document as imported.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "frameworks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub version: String,
    pub title: String,
    pub publisher: String,
    pub content_sha256: String,
    #[sea_orm(column_type = "Text")]
    pub document: String,
    pub imported_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::framework_statement::Entity")]
    Statements,
}

impl Related<super::framework_statement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Statements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
