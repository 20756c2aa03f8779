//! Frameworks, stored per version, and their competency statements, which later tables
//! (evidence, achievements) refer to.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Frameworks {
    Table,
    Id,
    Slug,
    Version,
    Title,
    Publisher,
    ContentSha256,
    Document,
    ImportedAt,
}

#[derive(DeriveIden)]
enum FrameworkStatements {
    Table,
    Id,
    FrameworkId,
    Code,
    TableName,
    Pathway,
    Layer,
    Factor,
    Taxonomy,
    Level,
    Text,
    SourceLine,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Frameworks::Table)
                    .col(
                        ColumnDef::new(Frameworks::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Frameworks::Slug).string_len(64).not_null())
                    .col(
                        ColumnDef::new(Frameworks::Version)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Frameworks::Title).text().not_null())
                    .col(ColumnDef::new(Frameworks::Publisher).text().not_null())
                    .col(
                        ColumnDef::new(Frameworks::ContentSha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Frameworks::Document).text().not_null())
                    .col(
                        ColumnDef::new(Frameworks::ImportedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("frameworks_slug_version")
                    .table(Frameworks::Table)
                    .col(Frameworks::Slug)
                    .col(Frameworks::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FrameworkStatements::Table)
                    .col(
                        ColumnDef::new(FrameworkStatements::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(FrameworkStatements::FrameworkId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FrameworkStatements::Code)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FrameworkStatements::TableName)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FrameworkStatements::Pathway)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(FrameworkStatements::Layer).text().not_null())
                    .col(ColumnDef::new(FrameworkStatements::Factor).text().null())
                    .col(
                        ColumnDef::new(FrameworkStatements::Taxonomy)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FrameworkStatements::Level)
                            .string_len(64)
                            .null(),
                    )
                    .col(ColumnDef::new(FrameworkStatements::Text).text().not_null())
                    .col(
                        ColumnDef::new(FrameworkStatements::SourceLine)
                            .integer()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("framework_statements_framework")
                            .from(FrameworkStatements::Table, FrameworkStatements::FrameworkId)
                            .to(Frameworks::Table, Frameworks::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("framework_statements_code")
                    .table(FrameworkStatements::Table)
                    .col(FrameworkStatements::FrameworkId)
                    .col(FrameworkStatements::Code)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FrameworkStatements::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Frameworks::Table).to_owned())
            .await
    }
}
