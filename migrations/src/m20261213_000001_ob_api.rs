//! `oauth_clients` and `oauth_grants`: the Open Badges 3.0 API's OAuth 2.0 clients
//! (registered dynamically, RFC 7591; the secret kept as its SHA-256 hash) and what a
//! holder granted them: authorization codes (single use, minutes), access tokens and
//! refresh tokens, each row keyed by the SHA-256 hash of its value, never the value.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OauthClients {
    Table,
    Id,
    SecretHash,
    Name,
    RedirectUris,
    Scope,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OauthGrants {
    Table,
    Hash,
    Kind,
    ClientId,
    AccountId,
    Scope,
    RedirectUri,
    CodeChallenge,
    ExpiresAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OauthClients::Table)
                    .col(
                        ColumnDef::new(OauthClients::Id)
                            .string_len(36)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(OauthClients::SecretHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OauthClients::Name).text().not_null())
                    .col(ColumnDef::new(OauthClients::RedirectUris).text().not_null())
                    .col(ColumnDef::new(OauthClients::Scope).text().not_null())
                    .col(
                        ColumnDef::new(OauthClients::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OauthGrants::Table)
                    .col(
                        ColumnDef::new(OauthGrants::Hash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OauthGrants::Kind).string_len(16).not_null())
                    .col(
                        ColumnDef::new(OauthGrants::ClientId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OauthGrants::AccountId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(OauthGrants::Scope).text().not_null())
                    .col(ColumnDef::new(OauthGrants::RedirectUri).text().null())
                    .col(ColumnDef::new(OauthGrants::CodeChallenge).text().null())
                    .col(
                        ColumnDef::new(OauthGrants::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OauthGrants::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("oauth_grants_account_client")
                    .table(OauthGrants::Table)
                    .col(OauthGrants::AccountId)
                    .col(OauthGrants::ClientId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OauthGrants::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OauthClients::Table).to_owned())
            .await
    }
}
