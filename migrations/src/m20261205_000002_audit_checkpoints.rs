//! Signed checkpoints of the audit chain: the chain's head (sequence number and hash) at a
//! moment, signed with the installation's audit key, which is derived from the master key
//! and so never in the database. A chain rewritten by someone who can only write the
//! database no longer matches the checkpoints made before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditCheckpoints {
    Table,
    Seq,
    Hash,
    At,
    PublicKeyMultibase,
    Signature,
}

fn text(name: AuditCheckpoints) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditCheckpoints::Table)
                    .col(
                        ColumnDef::new(AuditCheckpoints::Seq)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditCheckpoints::Hash)
                            .string_len(64)
                            .not_null(),
                    )
                    // The time as signed (RFC 3339), kept as text so it reads back exactly.
                    .col(text(AuditCheckpoints::At))
                    .col(text(AuditCheckpoints::PublicKeyMultibase))
                    .col(text(AuditCheckpoints::Signature))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditCheckpoints::Table).to_owned())
            .await
    }
}
