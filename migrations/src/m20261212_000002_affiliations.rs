//! `affiliations`: an organisation affiliated to another, a system such as an integrated
//! care system, whose administrators then see a workforce view across the organisations
//! affiliated to it. Proposed by the system (`invited`), it counts once the organisation's
//! administrators accept it (`accepted`); either side may end it (the row is deleted).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Affiliations {
    Table,
    ParentOrgId,
    MemberOrgId,
    State,
    InvitedBy,
    InvitedAt,
    AnsweredBy,
    AnsweredAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string_len(36).not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Affiliations::Table)
                    .col(id(Affiliations::ParentOrgId))
                    .col(id(Affiliations::MemberOrgId))
                    .col(
                        ColumnDef::new(Affiliations::State)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Affiliations::InvitedBy).text().not_null())
                    .col(
                        ColumnDef::new(Affiliations::InvitedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Affiliations::AnsweredBy).text().null())
                    .col(
                        ColumnDef::new(Affiliations::AnsweredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Affiliations::ParentOrgId)
                            .col(Affiliations::MemberOrgId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("affiliations_member")
                    .table(Affiliations::Table)
                    .col(Affiliations::MemberOrgId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Affiliations::Table).to_owned())
            .await
    }
}
