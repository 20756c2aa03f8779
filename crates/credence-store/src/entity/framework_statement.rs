//! The `framework_statements` table: each competency statement of a framework version, so
//! that evidence and achievements can refer to statements by key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "framework_statements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub framework_id: i64,
    pub code: String,
    pub table_name: String,
    pub pathway: String,
    pub layer: String,
    pub factor: Option<String>,
    pub taxonomy: String,
    pub level: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub source_line: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::framework::Entity",
        from = "Column::FrameworkId",
        to = "super::framework::Column::Id"
    )]
    Framework,
}

impl Related<super::framework::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Framework.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
