//! An achievement may make its awards public at once (`awards_public`): the issuer's choice
//! for credentials that are meant to be seen, such as a course's completion certificates.
//! Otherwise an award is private to its holder and issuer until the holder publishes it
//! (and one waiting for a claim until it is claimed). Achievements made before this
//! migration keep their awards private.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Achievements {
    Table,
    AwardsPublic,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Achievements::Table)
                    .add_column(
                        ColumnDef::new(Achievements::AwardsPublic)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Achievements::Table)
                    .drop_column(Achievements::AwardsPublic)
                    .to_owned(),
            )
            .await
    }
}
