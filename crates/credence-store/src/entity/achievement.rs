//! The `achievements` table. An issuer's published achievement for a pathway, pinned to a framework version.

use credence_domain::{AchievementId, OrgId, ProductVersionId};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "achievements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: AchievementId,
    pub org_id: OrgId,
    pub framework_id: i64,
    pub pathway: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub validity_days: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub document: String,
    pub created_at: ChronoDateTimeUtc,
    /// Whether awards of this achievement can be suspended, and so carry a second status
    /// entry (added by migration m20261205_000001).
    pub suspendable: bool,
    /// Whether its awards are public at once, rather than private until their holder
    /// publishes them (added by migration m20261207_000003).
    pub awards_public: bool,
    /// The AI product version a product-specific achievement is for: its awards need
    /// evidence gained on that version (added by migration m20261208_000001).
    pub product_version_id: Option<ProductVersionId>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
