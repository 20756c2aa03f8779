//! Teams and the workforce view: `teams` (an organisation's team, such as an AI
//! multidisciplinary team, with an optional product-specific pathway it must cover),
//! `team_members` (an account invited to a team with the archetypes it plays there; it
//! counts only once the person accepts) and `workforce_targets` (an organisation's goal,
//! e.g. 80% of its Users through the foundational pathway by 2027-03).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    OrgId,
    Name,
    ProductName,
    ProductPathway,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    AccountId,
    Archetypes,
    State,
    InvitedAt,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum WorkforceTargets {
    Table,
    Id,
    OrgId,
    Archetype,
    Pathway,
    Percent,
    Due,
    CreatedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string_len(36).not_null().to_owned()
}

fn when(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Teams::Table)
                    .col(id(Teams::Id).primary_key())
                    .col(id(Teams::OrgId))
                    .col(ColumnDef::new(Teams::Name).text().not_null())
                    .col(ColumnDef::new(Teams::ProductName).text().null())
                    .col(ColumnDef::new(Teams::ProductPathway).string_len(80).null())
                    .col(when(Teams::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("teams_org")
                    .table(Teams::Table)
                    .col(Teams::OrgId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TeamMembers::Table)
                    .col(id(TeamMembers::TeamId))
                    .col(id(TeamMembers::AccountId))
                    .col(ColumnDef::new(TeamMembers::Archetypes).text().not_null())
                    .col(ColumnDef::new(TeamMembers::State).string_len(20).not_null())
                    .col(when(TeamMembers::InvitedAt))
                    .col(
                        ColumnDef::new(TeamMembers::AnsweredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(TeamMembers::TeamId)
                            .col(TeamMembers::AccountId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("team_members_account")
                    .table(TeamMembers::Table)
                    .col(TeamMembers::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WorkforceTargets::Table)
                    .col(id(WorkforceTargets::Id).primary_key())
                    .col(id(WorkforceTargets::OrgId))
                    .col(
                        ColumnDef::new(WorkforceTargets::Archetype)
                            .string_len(80)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WorkforceTargets::Pathway)
                            .string_len(80)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WorkforceTargets::Percent)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WorkforceTargets::Due)
                            .string_len(7)
                            .not_null(),
                    )
                    .col(when(WorkforceTargets::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("workforce_targets_org")
                    .table(WorkforceTargets::Table)
                    .col(WorkforceTargets::OrgId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WorkforceTargets::Table.into_iden(),
            TeamMembers::Table.into_iden(),
            Teams::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
