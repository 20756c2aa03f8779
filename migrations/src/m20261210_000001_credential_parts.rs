//! An award in a few kilobytes (issue 22): the embedded achievement, identical in every
//! credential of one achievement version (~23 KB of a 24 to 60 KB credential), is stored
//! once in `credential_parts` (its id the SHA-256 of its text); the award keeps the rest of
//! the signed text compressed in `credential_packed` (zstd, with the part as dictionary),
//! `credential_part` naming the part and `credential_part_at` the byte offset it goes back
//! in at, and `credential` empty. `credential_sha256` is the SHA-256 of the whole signed
//! text, checked on every read (`credence-store/src/credential_layout.rs`).
//!
//! Rows written before this migration have no `credential_sha256`: they are read as they
//! are, and `Store::migrate` rewrites them into the new layout in batches once the schema is
//! migrated (the split and compression are the store's Rust, not SQL). `down` cannot
//! decompress in SQL: it refuses while any row is packed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CredentialParts {
    Table,
    Id,
    Text,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Awards {
    Table,
    CredentialPacked,
    CredentialPart,
    CredentialPartAt,
    CredentialSha256,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CredentialParts::Table)
                    .col(
                        ColumnDef::new(CredentialParts::Id)
                            .blob()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CredentialParts::Text).text().not_null())
                    .col(
                        ColumnDef::new(CredentialParts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Awards::CredentialPacked)
                .blob()
                .null()
                .to_owned(),
            ColumnDef::new(Awards::CredentialPart)
                .blob()
                .null()
                .to_owned(),
            ColumnDef::new(Awards::CredentialPartAt)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Awards::CredentialSha256)
                .blob()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Awards::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A packed credential cannot be made whole in SQL: refuse rather than lose it.
        let packed = manager
            .get_connection()
            .query_one(sea_orm::Statement::from_string(
                manager.get_database_backend(),
                "SELECT count(*) FROM awards WHERE credential_packed IS NOT NULL",
            ))
            .await?
            .map(|row| row.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or_default();
        if packed > 0 {
            return Err(DbErr::Migration(format!(
                "{packed} awards are stored packed; restore a backup from before the upgrade"
            )));
        }
        for column in [
            Awards::CredentialSha256,
            Awards::CredentialPartAt,
            Awards::CredentialPart,
            Awards::CredentialPacked,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Awards::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(CredentialParts::Table).to_owned())
            .await
    }
}
