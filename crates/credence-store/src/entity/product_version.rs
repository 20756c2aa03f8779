//! The `product_versions` table. One version of an AI product, with its dates.

use credence_domain::{ProductId, ProductVersionId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ProductVersionId,
    pub product_id: ProductId,
    #[sea_orm(column_type = "Text")]
    pub version: String,
    pub released_on: Option<ChronoDate>,
    pub deployed_from: Option<ChronoDate>,
    /// When it was registered: the latest registered version is the current one.
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
