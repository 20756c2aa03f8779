//! Credentials issued through the VC-API may carry an id chosen by the caller (for example
//! a `urn:uuid:`), so awards record the credential's own id, unique, for status updates
//! by credential id.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Awards {
    Table,
    CredentialId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Awards::Table)
                    .add_column(ColumnDef::new(Awards::CredentialId).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("awards_credential_id")
                    .table(Awards::Table)
                    .col(Awards::CredentialId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("awards_credential_id")
                    .table(Awards::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Awards::Table)
                    .drop_column(Awards::CredentialId)
                    .to_owned(),
            )
            .await
    }
}
