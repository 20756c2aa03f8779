//! E-mail: the transactional outbox and single-use e-mail links.
//!
//! `outbox`: a message is written in the same transaction as the change that causes it,
//! whole (the exact bytes to send, with its `Message-ID`), and a delivery worker sends it.
//! A worker takes a message by setting `lease_owner` and `lease_until` with a conditional
//! update, so two processes sharing the database never send one message twice; a worker
//! that dies mid-send leaves a lease that runs out, and the message is sent again with the
//! same `Message-ID`.
//!
//! `email_links`: the links sent by e-mail (password reset, and later address confirmation
//! and claims), stored by the SHA-256 of their secret, single-use and expiring.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    MessageId,
    Kind,
    Recipient,
    AccountId,
    Subject,
    Raw,
    State,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum EmailLinks {
    Table,
    TokenHash,
    Purpose,
    AccountId,
    Email,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

fn text(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

fn at(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
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
                    .table(Outbox::Table)
                    .col(
                        ColumnDef::new(Outbox::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(text(Outbox::MessageId))
                    .col(ColumnDef::new(Outbox::Kind).string_len(40).not_null())
                    .col(text(Outbox::Recipient))
                    .col(ColumnDef::new(Outbox::AccountId).string_len(36).null())
                    .col(text(Outbox::Subject))
                    .col(text(Outbox::Raw))
                    .col(ColumnDef::new(Outbox::State).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Outbox::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(at(Outbox::NextAttemptAt))
                    .col(ColumnDef::new(Outbox::LeaseOwner).string_len(64).null())
                    .col(at_or_null(Outbox::LeaseUntil))
                    .col(ColumnDef::new(Outbox::LastError).text().null())
                    .col(at(Outbox::CreatedAt))
                    .col(at_or_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::State)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailLinks::Table)
                    .col(
                        ColumnDef::new(EmailLinks::TokenHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EmailLinks::Purpose)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(EmailLinks::AccountId).string_len(36).null())
                    .col(text(EmailLinks::Email))
                    .col(at(EmailLinks::CreatedAt))
                    .col(at(EmailLinks::ExpiresAt))
                    .col(at_or_null(EmailLinks::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_links_by_account")
                    .table(EmailLinks::Table)
                    .col(EmailLinks::AccountId)
                    .col(EmailLinks::Purpose)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailLinks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}
