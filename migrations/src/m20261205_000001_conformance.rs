//! Open Badges 3.0 conformance: an achievement opts in to suspension (its awards then carry a
//! second status entry), an award records whether its credential can be suspended, and an
//! organisation chooses the cryptosuite it signs with by default.
//!
//! Awards made before this migration carry both status entries, so they stay suspendable;
//! achievements made before it do not opt in, so new awards carry the revocation entry only.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Achievements {
    Table,
    Suspendable,
}

#[derive(DeriveIden)]
enum Awards {
    Table,
    Suspendable,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Cryptosuite,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Achievements::Table)
                    .add_column(
                        ColumnDef::new(Achievements::Suspendable)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Awards::Table)
                    .add_column(
                        ColumnDef::new(Awards::Suspendable)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(ColumnDef::new(Organisations::Cryptosuite).string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .drop_column(Organisations::Cryptosuite)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Awards::Table)
                    .drop_column(Awards::Suspendable)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Achievements::Table)
                    .drop_column(Achievements::Suspendable)
                    .to_owned(),
            )
            .await
    }
}
