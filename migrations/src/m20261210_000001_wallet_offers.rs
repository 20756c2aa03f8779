//! Offers of credentials to wallets (OpenID4VCI, issue 20). A holder offers one of their
//! awards; the wallet redeems the offer's pre-authorized code (and the transaction code,
//! when the offer has one) for an access token, fetches a nonce, and asks for the
//! credential with a proof of its key. Every secret is kept only as its SHA-256; every row
//! expires, and the state lives here so that several processes can serve one flow. The
//! credential a wallet receives is a new award that names the award it copies
//! (`awards.reissue_of`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WalletOffers {
    Table,
    Id,
    AwardId,
    HolderId,
    CodeHash,
    TxCodeHash,
    FailedTxCodes,
    ExpiresAt,
    CreatedAt,
    RedeemedAt,
    IssuedAwardId,
}

#[derive(DeriveIden)]
enum WalletTokens {
    Table,
    TokenHash,
    OfferId,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum WalletNonces {
    Table,
    NonceHash,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Awards {
    Table,
    ReissueOf,
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
                    .table(WalletOffers::Table)
                    .col(
                        ColumnDef::new(WalletOffers::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WalletOffers::AwardId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WalletOffers::HolderId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WalletOffers::CodeHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(WalletOffers::TxCodeHash)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WalletOffers::FailedTxCodes)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(at(WalletOffers::ExpiresAt))
                    .col(at(WalletOffers::CreatedAt))
                    .col(at_or_null(WalletOffers::RedeemedAt))
                    .col(
                        ColumnDef::new(WalletOffers::IssuedAwardId)
                            .string_len(36)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("wallet_offers_by_award")
                    .table(WalletOffers::Table)
                    .col(WalletOffers::AwardId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WalletTokens::Table)
                    .col(
                        ColumnDef::new(WalletTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WalletTokens::OfferId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(at(WalletTokens::ExpiresAt))
                    .col(at_or_null(WalletTokens::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WalletNonces::Table)
                    .col(
                        ColumnDef::new(WalletNonces::NonceHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(at(WalletNonces::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Awards::Table)
                    .add_column(ColumnDef::new(Awards::ReissueOf).string_len(36).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Awards::Table)
                    .drop_column(Awards::ReissueOf)
                    .to_owned(),
            )
            .await?;
        for table in [
            WalletNonces::Table.into_iden(),
            WalletTokens::Table.into_iden(),
            WalletOffers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
