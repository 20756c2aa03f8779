//! Claims: an award made to an e-mail address that no confirmed account holds yet. The
//! credential is signed at once (`awards.holder_id` empty); the claim keeps the single-use
//! link sent to the address (by the SHA-256 of its secret), the message that carried it
//! (its delivery state is the outbox's), and when the link was opened and the award
//! claimed. One claim an award; an address correction makes a new award and a new claim.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Claims {
    Table,
    AwardId,
    OrgId,
    Email,
    TokenHash,
    ExpiresAt,
    OutboxId,
    Sends,
    CreatedAt,
    SentAt,
    OpenedAt,
    ClaimedAt,
    ClaimedBy,
}

fn at_or_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Claims::Table)
                    .col(
                        ColumnDef::new(Claims::AwardId)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Claims::OrgId).string_len(36).not_null())
                    .col(ColumnDef::new(Claims::Email).text().not_null())
                    .col(
                        ColumnDef::new(Claims::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Claims::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Claims::OutboxId).string_len(36).null())
                    .col(
                        ColumnDef::new(Claims::Sends)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .col(
                        ColumnDef::new(Claims::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(at_or_null(Claims::SentAt))
                    .col(at_or_null(Claims::OpenedAt))
                    .col(at_or_null(Claims::ClaimedAt))
                    .col(ColumnDef::new(Claims::ClaimedBy).string_len(36).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("claims_by_email")
                    .table(Claims::Table)
                    .col(Claims::Email)
                    .col(Claims::ClaimedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Claims::Table).to_owned())
            .await
    }
}
