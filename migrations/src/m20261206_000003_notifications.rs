//! What people are told: `notifications`, the in-app list (kept whatever the person chose
//! for e-mail), and `notification_prefs`, a row per account and kind whose e-mail the
//! person turned off or on again (no row: e-mail on).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    Kind,
    Title,
    Body,
    Link,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum NotificationPrefs {
    Table,
    AccountId,
    Kind,
    Email,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(
                        ColumnDef::new(Notifications::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Notifications::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::Kind)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Notifications::Title).text().not_null())
                    .col(ColumnDef::new(Notifications::Body).text().not_null())
                    .col(ColumnDef::new(Notifications::Link).text().not_null())
                    .col(
                        ColumnDef::new(Notifications::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Notifications::ReadAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_of_account")
                    .table(Notifications::Table)
                    .col(Notifications::AccountId)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPrefs::Table)
                    .col(
                        ColumnDef::new(NotificationPrefs::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(NotificationPrefs::Kind)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(NotificationPrefs::Email)
                            .boolean()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(NotificationPrefs::AccountId)
                            .col(NotificationPrefs::Kind),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NotificationPrefs::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}
