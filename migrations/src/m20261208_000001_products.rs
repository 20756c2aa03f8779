//! AI products and their versions (issue 19): an organisation registers a product
//! (`products`), its versions (`product_versions`) and the sites where it is deployed
//! (`product_sites`: another organisation of the registry, or a named site of its own);
//! the report's question sets are answered per version (`product_answers`, append-only:
//! the latest row of a version, question and answering organisation is the answer, the
//! earlier ones its history). Evidence and achievements may name the product version they
//! are bound to (`product_version_id`), which product-specific awards require.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    OrgId,
    Name,
    Manufacturer,
    IntendedUse,
    RegulatoryClass,
    Marking,
    Public,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProductVersions {
    Table,
    Id,
    ProductId,
    Version,
    ReleasedOn,
    DeployedFrom,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProductSites {
    Table,
    Id,
    ProductId,
    OrgId,
    Name,
    Procures,
    Deploys,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProductAnswers {
    Table,
    Id,
    VersionId,
    QuestionCode,
    OrgId,
    AnsweredBy,
    AnsweredAt,
    Answer,
    Links,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    ProductVersionId,
}

#[derive(DeriveIden)]
enum Achievements {
    Table,
    ProductVersionId,
}

fn id(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .string_len(36)
        .not_null()
        .primary_key()
        .to_owned()
}

fn uuid(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).string_len(36).not_null().to_owned()
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

async fn create_products(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Products::Table)
                .col(id(Products::Id))
                .col(uuid(Products::OrgId))
                .col(text(Products::Name))
                .col(text(Products::Manufacturer))
                .col(text(Products::IntendedUse))
                .col(ColumnDef::new(Products::RegulatoryClass).text().null())
                .col(ColumnDef::new(Products::Marking).text().null())
                .col(
                    ColumnDef::new(Products::Public)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(at(Products::CreatedAt))
                .col(at(Products::UpdatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("products_org_name")
                .table(Products::Table)
                .col(Products::OrgId)
                .col(Products::Name)
                .unique()
                .to_owned(),
        )
        .await
}

async fn create_versions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ProductVersions::Table)
                .col(id(ProductVersions::Id))
                .col(uuid(ProductVersions::ProductId))
                .col(text(ProductVersions::Version))
                .col(ColumnDef::new(ProductVersions::ReleasedOn).date().null())
                .col(ColumnDef::new(ProductVersions::DeployedFrom).date().null())
                .col(at(ProductVersions::CreatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("product_versions_product_version")
                .table(ProductVersions::Table)
                .col(ProductVersions::ProductId)
                .col(ProductVersions::Version)
                .unique()
                .to_owned(),
        )
        .await
}

async fn create_sites(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ProductSites::Table)
                .col(id(ProductSites::Id))
                .col(uuid(ProductSites::ProductId))
                .col(ColumnDef::new(ProductSites::OrgId).string_len(36).null())
                .col(ColumnDef::new(ProductSites::Name).text().null())
                .col(ColumnDef::new(ProductSites::Procures).boolean().not_null())
                .col(ColumnDef::new(ProductSites::Deploys).boolean().not_null())
                .col(at(ProductSites::CreatedAt))
                .to_owned(),
        )
        .await?;
    for (name, column) in [
        ("product_sites_product", ProductSites::ProductId),
        ("product_sites_org", ProductSites::OrgId),
    ] {
        manager
            .create_index(
                Index::create()
                    .name(name)
                    .table(ProductSites::Table)
                    .col(column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn create_answers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ProductAnswers::Table)
                .col(id(ProductAnswers::Id))
                .col(uuid(ProductAnswers::VersionId))
                .col(
                    ColumnDef::new(ProductAnswers::QuestionCode)
                        .string_len(32)
                        .not_null(),
                )
                .col(uuid(ProductAnswers::OrgId))
                .col(ColumnDef::new(ProductAnswers::AnsweredBy).text().not_null())
                .col(at(ProductAnswers::AnsweredAt))
                .col(text(ProductAnswers::Answer))
                .col(text(ProductAnswers::Links))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("product_answers_version")
                .table(ProductAnswers::Table)
                .col(ProductAnswers::VersionId)
                .col(ProductAnswers::QuestionCode)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_products(manager).await?;
        create_versions(manager).await?;
        create_sites(manager).await?;
        create_answers(manager).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Evidence::Table)
                    .add_column(
                        ColumnDef::new(Evidence::ProductVersionId)
                            .string_len(36)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Achievements::Table)
                    .add_column(
                        ColumnDef::new(Achievements::ProductVersionId)
                            .string_len(36)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Achievements::Table)
                    .drop_column(Achievements::ProductVersionId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Evidence::Table)
                    .drop_column(Evidence::ProductVersionId)
                    .to_owned(),
            )
            .await?;
        for table in [
            ProductAnswers::Table.into_iden(),
            ProductSites::Table.into_iden(),
            ProductVersions::Table.into_iden(),
            Products::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
