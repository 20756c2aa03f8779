//! The `scheduled_notices` table. A scheduled notice that went out (an expiry reminder, an
//! assessor's digest), keyed so that it goes out once: kind, subject (an award or account
//! id) and slot (days before expiry, or the day of a digest).

use credence_domain::registry::NotificationKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scheduled_notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: NotificationKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: String,
    pub sent_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
