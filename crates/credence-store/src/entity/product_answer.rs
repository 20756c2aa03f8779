//! The `product_answers` table. One answer to a question of the report's question sets, for
//! one product version, by one organisation; append-only (the latest row is the answer).

use credence_domain::{OrgId, ProductAnswerId, ProductVersionId, QuestionCode};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: ProductAnswerId,
    pub version_id: ProductVersionId,
    pub question_code: QuestionCode,
    /// The organisation answering (a buying or deploying site).
    pub org_id: OrgId,
    /// Who answered, as the audit trail names them (`account:{id}`, `token:{id}`).
    #[sea_orm(column_type = "Text")]
    pub answered_by: String,
    pub answered_at: ChronoDateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub answer: String,
    /// The evidence links, a JSON array of URLs.
    #[sea_orm(column_type = "Text")]
    pub links: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
