//! Scheduled notices sent once: `scheduled_notices` holds a row per notice that went out
//! (an expiry reminder: award and days before; an assessor's digest: account and day),
//! written in the transaction that writes the notice's outbox message, so of two processes
//! scanning at once the second's insert meets the primary key and sends nothing. Indexes
//! on `awards.valid_until` and `awards.replaces_award_id` serve the scan for credentials
//! about to expire and not renewed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ScheduledNotices {
    Table,
    Kind,
    Subject,
    Slot,
    SentAt,
}

#[derive(DeriveIden)]
enum Awards {
    Table,
    ValidUntil,
    ReplacesAwardId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScheduledNotices::Table)
                    .col(
                        ColumnDef::new(ScheduledNotices::Kind)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScheduledNotices::Subject)
                            .string_len(80)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScheduledNotices::Slot)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ScheduledNotices::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ScheduledNotices::Kind)
                            .col(ScheduledNotices::Subject)
                            .col(ScheduledNotices::Slot),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("awards_by_valid_until")
                    .table(Awards::Table)
                    .col(Awards::ValidUntil)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("awards_by_replaces")
                    .table(Awards::Table)
                    .col(Awards::ReplacesAwardId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("awards_by_replaces")
                    .table(Awards::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("awards_by_valid_until")
                    .table(Awards::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ScheduledNotices::Table).to_owned())
            .await
    }
}
