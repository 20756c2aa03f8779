//! The `teams` table. An organisation's team (an AI multidisciplinary team, say), with the product-specific pathway it covers.

use credence_domain::{OrgId, TeamId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: TeamId,
    pub org_id: OrgId,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// The AI product the team works with, e.g. `tri-X`.
    #[sea_orm(column_type = "Text")]
    pub product_name: Option<String>,
    /// The product-specific pathway (a product template of the framework) it covers.
    pub product_pathway: Option<String>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
