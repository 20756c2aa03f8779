//! The `product_sites` table. Where an AI product is bought or deployed: an organisation
//! of the registry, or a named site of the registering organisation.

use credence_domain::{OrgId, ProductId, ProductSiteId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_sites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ProductSiteId,
    pub product_id: ProductId,
    /// The site's organisation, when it is one of the registry's.
    pub org_id: Option<OrgId>,
    /// The site's name, when it is a site of the registering organisation.
    #[sea_orm(column_type = "Text")]
    pub name: Option<String>,
    /// Whether it buys the product (its administrators answer the procurement questions).
    pub procures: bool,
    /// Whether it deploys the product (its administrators answer the deployment questions).
    pub deploys: bool,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
