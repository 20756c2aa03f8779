//! A bulk job's lease: the process working on a job keeps `lease_until` a little ahead of
//! now, so a job whose process died (killed, or the machine lost) is seen as interrupted
//! rather than running forever.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BulkJobs {
    Table,
    LeaseUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BulkJobs::Table)
                    .add_column(
                        ColumnDef::new(BulkJobs::LeaseUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BulkJobs::Table)
                    .drop_column(BulkJobs::LeaseUntil)
                    .to_owned(),
            )
            .await
    }
}
