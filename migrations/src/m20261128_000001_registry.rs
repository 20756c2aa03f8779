//! The registry: accounts and sessions, organisations with their members, signing keys and
//! API tokens; evidence with its decisions and attachments; achievements, awards, status
//! lists, bulk jobs, accreditations, trusted bodies; and the hash-chained audit log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A text id column (UUIDs are stored as their 36-character text form on both engines).
fn id(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name)
        .string_len(36)
        .not_null()
        .primary_key()
        .to_owned()
}

fn text(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

fn text_null(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

fn key(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).string_len(36).not_null().to_owned()
}

fn key_null(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).string_len(36).null().to_owned()
}

fn short(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).string_len(64).not_null().to_owned()
}

fn time(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn time_null(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn int(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}

fn int_null(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}

fn flag(name: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(false)
        .to_owned()
}

fn fk(
    from_table: impl IntoIden + 'static,
    from: impl IntoIden + 'static,
    to_table: impl IntoIden + 'static,
    to: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from)
        .to(to_table, to)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    IsOperator,
    Did,
    EmailSalt,
    PortfolioSlug,
    PortfolioPublic,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    AccountId,
    CsrfToken,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    DidMethod,
    Did,
    Url,
    Description,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    OrgId,
    AccountId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    TokenHash,
    OrgId,
    Role,
    Label,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Id,
    OrgId,
    Fragment,
    PublicKeyMultibase,
    SealedPrivateKey,
    Active,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    Id,
    HolderId,
    FrameworkId,
    StatementCode,
    LevelClaimed,
    Kind,
    Narrative,
    OccurredOn,
    Provider,
    OrgId,
    Status,
    LevelConfirmed,
    Source,
    ExternalRef,
    Public,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EvidenceDecisions {
    Table,
    Id,
    EvidenceId,
    ActorId,
    Decision,
    Level,
    Comment,
    DecidedAt,
}

#[derive(DeriveIden)]
enum EvidenceAttachments {
    Table,
    Id,
    EvidenceId,
    FileName,
    MediaType,
    Size,
    Sha256,
    Content,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Achievements {
    Table,
    Id,
    OrgId,
    FrameworkId,
    Pathway,
    Name,
    Description,
    ValidityDays,
    Document,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Awards {
    Table,
    Id,
    OrgId,
    AchievementId,
    HolderId,
    RecipientEmail,
    Credential,
    RevocationIndex,
    SuspensionIndex,
    Status,
    StatusReason,
    ValidFrom,
    ValidUntil,
    IdempotencyKey,
    OverrideJustification,
    ReplacesAwardId,
    Public,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StatusLists {
    Table,
    OrgId,
    Purpose,
    Version,
    Credential,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BulkJobs {
    Table,
    Id,
    OrgId,
    AchievementId,
    CreatedBy,
    Total,
    Done,
    Refused,
    State,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum BulkRows {
    Table,
    JobId,
    RowNo,
    IdempotencyKey,
    Outcome,
    AwardId,
    Message,
}

#[derive(DeriveIden)]
enum Accreditations {
    Table,
    Id,
    BodyOrgId,
    ProviderOrgId,
    Pathways,
    Credential,
    RevocationIndex,
    Status,
    Reason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrustedBodies {
    Table,
    OrgId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    Actor,
    Action,
    OrgId,
    Subject,
    Detail,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum Frameworks {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table(Accounts::Table)
                .col(id(Accounts::Id))
                .col(ColumnDef::new(Accounts::Email).string_len(320).not_null())
                .col(text(Accounts::DisplayName))
                .col(text_null(Accounts::PasswordHash))
                .col(flag(Accounts::IsOperator))
                .col(text_null(Accounts::Did))
                .col(short(Accounts::EmailSalt))
                .col(
                    ColumnDef::new(Accounts::PortfolioSlug)
                        .string_len(64)
                        .null(),
                )
                .col(flag(Accounts::PortfolioPublic))
                .col(time(Accounts::CreatedAt))
                .to_owned(),
            Table::create()
                .table(Sessions::Table)
                .col(
                    ColumnDef::new(Sessions::TokenHash)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(key(Sessions::AccountId))
                .col(short(Sessions::CsrfToken))
                .col(time(Sessions::CreatedAt))
                .col(time(Sessions::ExpiresAt))
                .foreign_key(&mut fk(
                    Sessions::Table,
                    Sessions::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .to_owned(),
            Table::create()
                .table(Organisations::Table)
                .col(id(Organisations::Id))
                .col(short(Organisations::Slug))
                .col(text(Organisations::Name))
                .col(short(Organisations::Kind))
                .col(
                    ColumnDef::new(Organisations::DidMethod)
                        .string_len(8)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Organisations::Did)
                        .string_len(512)
                        .not_null(),
                )
                .col(text_null(Organisations::Url))
                .col(text_null(Organisations::Description))
                .col(time(Organisations::CreatedAt))
                .to_owned(),
            Table::create()
                .table(Memberships::Table)
                .col(key(Memberships::OrgId))
                .col(key(Memberships::AccountId))
                .col(ColumnDef::new(Memberships::Role).string_len(16).not_null())
                .col(time(Memberships::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(Memberships::OrgId)
                        .col(Memberships::AccountId)
                        .col(Memberships::Role),
                )
                .foreign_key(&mut fk(
                    Memberships::Table,
                    Memberships::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .foreign_key(&mut fk(
                    Memberships::Table,
                    Memberships::AccountId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .to_owned(),
            Table::create()
                .table(ApiTokens::Table)
                .col(id(ApiTokens::Id))
                .col(short(ApiTokens::TokenHash))
                .col(key(ApiTokens::OrgId))
                .col(ColumnDef::new(ApiTokens::Role).string_len(16).not_null())
                .col(text(ApiTokens::Label))
                .col(key_null(ApiTokens::CreatedBy))
                .col(time(ApiTokens::CreatedAt))
                .col(time(ApiTokens::ExpiresAt))
                .col(time_null(ApiTokens::RevokedAt))
                .foreign_key(&mut fk(
                    ApiTokens::Table,
                    ApiTokens::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(SigningKeys::Table)
                .col(id(SigningKeys::Id))
                .col(key(SigningKeys::OrgId))
                .col(short(SigningKeys::Fragment))
                .col(text(SigningKeys::PublicKeyMultibase))
                .col(
                    ColumnDef::new(SigningKeys::SealedPrivateKey)
                        .blob()
                        .not_null(),
                )
                .col(flag(SigningKeys::Active))
                .col(time(SigningKeys::CreatedAt))
                .col(time_null(SigningKeys::RetiredAt))
                .foreign_key(&mut fk(
                    SigningKeys::Table,
                    SigningKeys::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(Evidence::Table)
                .col(id(Evidence::Id))
                .col(key(Evidence::HolderId))
                .col(int(Evidence::FrameworkId))
                .col(short(Evidence::StatementCode))
                .col(
                    ColumnDef::new(Evidence::LevelClaimed)
                        .string_len(32)
                        .not_null(),
                )
                .col(short(Evidence::Kind))
                .col(text(Evidence::Narrative))
                .col(ColumnDef::new(Evidence::OccurredOn).date().not_null())
                .col(text_null(Evidence::Provider))
                .col(key_null(Evidence::OrgId))
                .col(ColumnDef::new(Evidence::Status).string_len(16).not_null())
                .col(
                    ColumnDef::new(Evidence::LevelConfirmed)
                        .string_len(32)
                        .null(),
                )
                .col(ColumnDef::new(Evidence::Source).string_len(16).not_null())
                .col(text_null(Evidence::ExternalRef))
                .col(flag(Evidence::Public))
                .col(time(Evidence::CreatedAt))
                .col(time(Evidence::UpdatedAt))
                .foreign_key(&mut fk(
                    Evidence::Table,
                    Evidence::HolderId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .foreign_key(&mut fk(
                    Evidence::Table,
                    Evidence::FrameworkId,
                    Frameworks::Table,
                    Frameworks::Id,
                ))
                .foreign_key(&mut fk(
                    Evidence::Table,
                    Evidence::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(EvidenceDecisions::Table)
                .col(
                    ColumnDef::new(EvidenceDecisions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(key(EvidenceDecisions::EvidenceId))
                .col(key_null(EvidenceDecisions::ActorId))
                .col(
                    ColumnDef::new(EvidenceDecisions::Decision)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EvidenceDecisions::Level)
                        .string_len(32)
                        .null(),
                )
                .col(text_null(EvidenceDecisions::Comment))
                .col(time(EvidenceDecisions::DecidedAt))
                .foreign_key(&mut fk(
                    EvidenceDecisions::Table,
                    EvidenceDecisions::EvidenceId,
                    Evidence::Table,
                    Evidence::Id,
                ))
                .to_owned(),
            Table::create()
                .table(EvidenceAttachments::Table)
                .col(id(EvidenceAttachments::Id))
                .col(key(EvidenceAttachments::EvidenceId))
                .col(text(EvidenceAttachments::FileName))
                .col(short(EvidenceAttachments::MediaType))
                .col(int(EvidenceAttachments::Size))
                .col(short(EvidenceAttachments::Sha256))
                .col(
                    ColumnDef::new(EvidenceAttachments::Content)
                        .blob()
                        .not_null(),
                )
                .col(time(EvidenceAttachments::CreatedAt))
                .foreign_key(&mut fk(
                    EvidenceAttachments::Table,
                    EvidenceAttachments::EvidenceId,
                    Evidence::Table,
                    Evidence::Id,
                ))
                .to_owned(),
            Table::create()
                .table(Achievements::Table)
                .col(id(Achievements::Id))
                .col(key(Achievements::OrgId))
                .col(int(Achievements::FrameworkId))
                .col(short(Achievements::Pathway))
                .col(text(Achievements::Name))
                .col(text(Achievements::Description))
                .col(int_null(Achievements::ValidityDays))
                .col(text(Achievements::Document))
                .col(time(Achievements::CreatedAt))
                .foreign_key(&mut fk(
                    Achievements::Table,
                    Achievements::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .foreign_key(&mut fk(
                    Achievements::Table,
                    Achievements::FrameworkId,
                    Frameworks::Table,
                    Frameworks::Id,
                ))
                .to_owned(),
            Table::create()
                .table(Awards::Table)
                .col(id(Awards::Id))
                .col(key(Awards::OrgId))
                .col(key_null(Awards::AchievementId))
                .col(key_null(Awards::HolderId))
                .col(text_null(Awards::RecipientEmail))
                .col(text(Awards::Credential))
                .col(int(Awards::RevocationIndex))
                .col(int(Awards::SuspensionIndex))
                .col(ColumnDef::new(Awards::Status).string_len(16).not_null())
                .col(text_null(Awards::StatusReason))
                .col(time(Awards::ValidFrom))
                .col(time_null(Awards::ValidUntil))
                .col(
                    ColumnDef::new(Awards::IdempotencyKey)
                        .string_len(200)
                        .null(),
                )
                .col(text_null(Awards::OverrideJustification))
                .col(key_null(Awards::ReplacesAwardId))
                .col(flag(Awards::Public))
                .col(text(Awards::CreatedBy))
                .col(time(Awards::CreatedAt))
                .col(time(Awards::UpdatedAt))
                .foreign_key(&mut fk(
                    Awards::Table,
                    Awards::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .foreign_key(&mut fk(
                    Awards::Table,
                    Awards::AchievementId,
                    Achievements::Table,
                    Achievements::Id,
                ))
                .foreign_key(&mut fk(
                    Awards::Table,
                    Awards::HolderId,
                    Accounts::Table,
                    Accounts::Id,
                ))
                .to_owned(),
            Table::create()
                .table(StatusLists::Table)
                .col(key(StatusLists::OrgId))
                .col(
                    ColumnDef::new(StatusLists::Purpose)
                        .string_len(16)
                        .not_null(),
                )
                .col(int(StatusLists::Version))
                .col(text(StatusLists::Credential))
                .col(time(StatusLists::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(StatusLists::OrgId)
                        .col(StatusLists::Purpose),
                )
                .foreign_key(&mut fk(
                    StatusLists::Table,
                    StatusLists::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(BulkJobs::Table)
                .col(id(BulkJobs::Id))
                .col(key(BulkJobs::OrgId))
                .col(key(BulkJobs::AchievementId))
                .col(text(BulkJobs::CreatedBy))
                .col(int(BulkJobs::Total))
                .col(int(BulkJobs::Done))
                .col(int(BulkJobs::Refused))
                .col(ColumnDef::new(BulkJobs::State).string_len(16).not_null())
                .col(time(BulkJobs::CreatedAt))
                .col(time_null(BulkJobs::FinishedAt))
                .foreign_key(&mut fk(
                    BulkJobs::Table,
                    BulkJobs::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(BulkRows::Table)
                .col(key(BulkRows::JobId))
                .col(int(BulkRows::RowNo))
                .col(
                    ColumnDef::new(BulkRows::IdempotencyKey)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(BulkRows::Outcome).string_len(16).not_null())
                .col(key_null(BulkRows::AwardId))
                .col(text_null(BulkRows::Message))
                .primary_key(Index::create().col(BulkRows::JobId).col(BulkRows::RowNo))
                .foreign_key(&mut fk(
                    BulkRows::Table,
                    BulkRows::JobId,
                    BulkJobs::Table,
                    BulkJobs::Id,
                ))
                .to_owned(),
            Table::create()
                .table(Accreditations::Table)
                .col(id(Accreditations::Id))
                .col(key(Accreditations::BodyOrgId))
                .col(key(Accreditations::ProviderOrgId))
                .col(text(Accreditations::Pathways))
                .col(text(Accreditations::Credential))
                .col(int(Accreditations::RevocationIndex))
                .col(
                    ColumnDef::new(Accreditations::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(text_null(Accreditations::Reason))
                .col(time(Accreditations::CreatedAt))
                .col(time(Accreditations::UpdatedAt))
                .foreign_key(&mut fk(
                    Accreditations::Table,
                    Accreditations::BodyOrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .foreign_key(&mut fk(
                    Accreditations::Table,
                    Accreditations::ProviderOrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(TrustedBodies::Table)
                .col(id(TrustedBodies::OrgId))
                .col(time(TrustedBodies::CreatedAt))
                .foreign_key(&mut fk(
                    TrustedBodies::Table,
                    TrustedBodies::OrgId,
                    Organisations::Table,
                    Organisations::Id,
                ))
                .to_owned(),
            Table::create()
                .table(AuditLog::Table)
                .col(
                    ColumnDef::new(AuditLog::Seq)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(time(AuditLog::At))
                .col(text(AuditLog::Actor))
                .col(short(AuditLog::Action))
                .col(key_null(AuditLog::OrgId))
                .col(text(AuditLog::Subject))
                .col(text(AuditLog::Detail))
                .col(short(AuditLog::PrevHash))
                .col(short(AuditLog::Hash))
                .to_owned(),
            Table::create()
                .table(AuditHead::Table)
                .col(
                    ColumnDef::new(AuditHead::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(int(AuditHead::Seq))
                .col(short(AuditHead::Hash))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }

        let indexes = [
            unique(
                "accounts_email",
                Accounts::Table,
                &[Accounts::Email.into_iden()],
            ),
            unique(
                "accounts_portfolio_slug",
                Accounts::Table,
                &[Accounts::PortfolioSlug.into_iden()],
            ),
            unique(
                "organisations_slug",
                Organisations::Table,
                &[Organisations::Slug.into_iden()],
            ),
            unique(
                "organisations_did",
                Organisations::Table,
                &[Organisations::Did.into_iden()],
            ),
            unique(
                "api_tokens_hash",
                ApiTokens::Table,
                &[ApiTokens::TokenHash.into_iden()],
            ),
            unique(
                "signing_keys_fragment",
                SigningKeys::Table,
                &[
                    SigningKeys::OrgId.into_iden(),
                    SigningKeys::Fragment.into_iden(),
                ],
            ),
            plain(
                "evidence_holder",
                Evidence::Table,
                &[Evidence::HolderId.into_iden()],
            ),
            plain(
                "evidence_queue",
                Evidence::Table,
                &[Evidence::OrgId.into_iden(), Evidence::Status.into_iden()],
            ),
            plain(
                "evidence_decisions_evidence",
                EvidenceDecisions::Table,
                &[EvidenceDecisions::EvidenceId.into_iden()],
            ),
            plain(
                "evidence_attachments_evidence",
                EvidenceAttachments::Table,
                &[EvidenceAttachments::EvidenceId.into_iden()],
            ),
            plain(
                "achievements_org",
                Achievements::Table,
                &[Achievements::OrgId.into_iden()],
            ),
            unique(
                "awards_revocation_index",
                Awards::Table,
                &[
                    Awards::OrgId.into_iden(),
                    Awards::RevocationIndex.into_iden(),
                ],
            ),
            unique(
                "awards_suspension_index",
                Awards::Table,
                &[
                    Awards::OrgId.into_iden(),
                    Awards::SuspensionIndex.into_iden(),
                ],
            ),
            unique(
                "awards_idempotency",
                Awards::Table,
                &[
                    Awards::OrgId.into_iden(),
                    Awards::IdempotencyKey.into_iden(),
                ],
            ),
            plain(
                "awards_holder",
                Awards::Table,
                &[Awards::HolderId.into_iden()],
            ),
            plain(
                "awards_org_status",
                Awards::Table,
                &[Awards::OrgId.into_iden(), Awards::Status.into_iden()],
            ),
            plain(
                "accreditations_provider",
                Accreditations::Table,
                &[Accreditations::ProviderOrgId.into_iden()],
            ),
            plain(
                "audit_log_org",
                AuditLog::Table,
                &[AuditLog::OrgId.into_iden()],
            ),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        // The audit chain's head: one row, updated in every transaction that appends, so
        // that appends are serialised even across several processes.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                    .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditHead::Table.into_iden(),
            AuditLog::Table.into_iden(),
            TrustedBodies::Table.into_iden(),
            Accreditations::Table.into_iden(),
            BulkRows::Table.into_iden(),
            BulkJobs::Table.into_iden(),
            StatusLists::Table.into_iden(),
            Awards::Table.into_iden(),
            Achievements::Table.into_iden(),
            EvidenceAttachments::Table.into_iden(),
            EvidenceDecisions::Table.into_iden(),
            Evidence::Table.into_iden(),
            SigningKeys::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Memberships::Table.into_iden(),
            Organisations::Table.into_iden(),
            Sessions::Table.into_iden(),
            Accounts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn unique(name: &str, table: impl IntoIden + 'static, cols: &[DynIden]) -> IndexCreateStatement {
    let mut index = plain(name, table, cols);
    index.unique();
    index
}

fn plain(name: &str, table: impl IntoIden + 'static, cols: &[DynIden]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col.clone());
    }
    index.to_owned()
}
