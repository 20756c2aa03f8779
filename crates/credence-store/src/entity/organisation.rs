//! The `organisations` table. An organisation: accrediting body, education provider, employer or healthcare setting.

use credence_domain::registry::{DidMethod, OrgKind};
use credence_domain::OrgId;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: OrgId,
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub kind: OrgKind,
    pub did_method: DidMethod,
    pub did: String,
    #[sea_orm(column_type = "Text")]
    pub url: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    /// The cryptosuite the organisation signs with unless a request names one; `None` is
    /// `eddsa-rdfc-2022` (added by migration m20261205_000001).
    pub cryptosuite: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
