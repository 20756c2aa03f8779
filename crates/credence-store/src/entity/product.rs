//! The `products` table. An AI product an organisation registers (issue 19).

use credence_domain::{OrgId, ProductId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ProductId,
    /// The organisation that registered it, and edits it.
    pub org_id: OrgId,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub manufacturer: String,
    #[sea_orm(column_type = "Text")]
    pub intended_use: String,
    /// The regulatory class, such as "Class IIa".
    #[sea_orm(column_type = "Text")]
    pub regulatory_class: Option<String>,
    /// The conformity marking, such as "UKCA".
    #[sea_orm(column_type = "Text")]
    pub marking: Option<String>,
    /// Whether its dossier is public (otherwise organisation-only).
    pub public: bool,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
