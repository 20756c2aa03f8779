//! Evidence: a holder records it against a competency statement at a claimed level,
//! attaches files, and submits it to an organisation, whose assessors attest it (at the
//! claimed level or a lower one) or reject it. Every step is kept as history. Providers'
//! issuers import completion records as attested evidence. Progress towards a pathway is
//! computed from attested evidence only.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::NaiveDate;
use credence_domain::registry::{Email, EvidenceKind, EvidenceStatus, OrgKind};
use credence_domain::{
    AccountId, AttachmentId, Attainment, EvidenceId, FormProblems, Framework, FrameworkSlug,
    LevelCode, OrgId, OrgSlug, PathwayCode, PathwayKind, PathwayProgress, ProductVersionId,
    StatementCode,
};
use credence_store::registry::{
    AttachmentMeta, AttachmentRow, DecisionRow, EvidenceRow, NewDecision, OrgRow, Page,
};
use credence_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::actor::Holder;
use crate::desks::{AssessorDesk, CallerDesk, HolderDesk, IssuerDesk, OperatorDesk, PublicDesk};
use crate::registry::{audit, Registry};
use crate::ServiceError;
use credence_documents::csv_input::parse_completion_records;

mod assessment;
mod attachments;
mod completions;
mod progress;

pub(crate) use progress::attainments;

/// The longest narrative, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 10_000;
/// The largest attachment, in bytes (5 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// The most attachments one piece of evidence may have.
pub const MAX_ATTACHMENTS: u64 = 10;
/// The media types an attachment may have.
pub const ATTACHMENT_TYPES: [&str; 4] =
    ["application/pdf", "image/png", "image/jpeg", "text/plain"];
const MAX_PROVIDER_CHARS: usize = 500;
const MAX_COMMENT_CHARS: usize = 5_000;
const MAX_FILE_NAME_CHARS: usize = 200;

/// A holder's evidence as written in a request (a new record or a full replacement).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceInput {
    pub kind: String,
    pub narrative: String,
    /// `YYYY-MM-DD`, not in the future.
    pub date: String,
    #[serde(default)]
    pub provider: Option<String>,
    /// The framework's slug.
    pub framework: String,
    /// The framework version; the latest stored version when absent.
    #[serde(default)]
    pub framework_version: Option<String>,
    pub statement: String,
    pub level: String,
    /// The id of the AI product version the evidence was gained on: for a statement of the
    /// product-specific pathway, whose awards need evidence for their product version.
    #[serde(default)]
    pub product_version: Option<String>,
}

/// An assessor's decision as written in a request.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `attest` or `reject`.
    pub decision: String,
    /// The confirmed level (attest only).
    #[serde(default)]
    pub level: Option<String>,
    /// Optional for attest, required for reject.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A piece of evidence as its holder (or an assessor) sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct EvidenceView {
    #[schema(value_type = String)]
    pub id: EvidenceId,
    pub framework: String,
    pub framework_version: String,
    pub statement: String,
    pub level_claimed: String,
    #[schema(value_type = String)]
    pub kind: EvidenceKind,
    pub narrative: String,
    pub date: String,
    pub provider: Option<String>,
    /// The slug of the organisation it was submitted to (or imported from).
    pub org: Option<String>,
    #[schema(value_type = String)]
    pub status: EvidenceStatus,
    pub level_confirmed: Option<String>,
    pub source: String,
    pub external_ref: Option<String>,
    /// Whether the holder shows it on their public portfolio.
    pub public: bool,
    /// The AI product version it was gained on (product-specific evidence).
    #[schema(value_type = Option<String>)]
    pub product_version: Option<ProductVersionId>,
    pub created_at: String,
    pub updated_at: String,
}

/// An attachment's metadata.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AttachmentView {
    #[schema(value_type = String)]
    pub id: AttachmentId,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

/// One step of a piece of evidence's history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct DecisionView {
    pub decision: String,
    pub level: Option<String>,
    pub comment: Option<String>,
    /// The account that took the step (none for an API token).
    #[schema(value_type = Option<String>)]
    pub actor: Option<AccountId>,
    pub at: String,
}

/// A piece of evidence with its attachments and full history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct EvidenceDetail {
    #[serde(flatten)]
    pub evidence: EvidenceView,
    pub attachments: Vec<AttachmentView>,
    pub history: Vec<DecisionView>,
}

/// A piece of evidence awaiting an assessor's decision.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct QueueItem {
    #[serde(flatten)]
    pub evidence: EvidenceView,
    pub holder_name: String,
    pub holder_email: String,
    /// The competency statement's text.
    pub statement_text: String,
    pub attachments: Vec<AttachmentView>,
}

/// An attachment's content, to download.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// A holder's progress towards a pathway, for people and programs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgressView {
    pub framework: String,
    pub framework_version: String,
    pub pathway: String,
    pub complete: bool,
    pub required: usize,
    pub met: usize,
    #[schema(value_type = Vec<Object>)]
    pub met_statements: Vec<credence_domain::progress::RequirementStatus>,
    #[schema(value_type = Vec<Object>)]
    pub missing_statements: Vec<credence_domain::progress::RequirementStatus>,
    #[schema(value_type = Vec<Object>)]
    pub gaps: Vec<credence_domain::progress::Gap>,
    #[schema(value_type = Vec<Object>)]
    pub prerequisites: Vec<credence_domain::progress::PrerequisiteStatus>,
    #[schema(value_type = Vec<String>)]
    pub not_assessable: Vec<StatementCode>,
    /// A sentence suggesting the next step; none when the pathway is complete.
    pub next_step: Option<String>,
}

/// What became of one row of a completion-record file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ImportRowReport {
    pub row: usize,
    /// `imported`, `duplicate` or `refused`.
    #[schema(value_type = String)]
    pub outcome: &'static str,
    pub messages: Vec<String>,
    #[schema(value_type = Option<String>)]
    pub evidence_id: Option<EvidenceId>,
}

/// The report of a completion-record import.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct CompletionImportReport {
    pub framework: String,
    pub framework_version: String,
    pub imported: usize,
    pub duplicates: usize,
    pub refused: usize,
    pub rows: Vec<ImportRowReport>,
}

/// Parsed framework versions by content digest (stored versions are immutable).
fn framework_cache() -> &'static RwLock<HashMap<String, Arc<Framework>>> {
    static CACHE: OnceLock<RwLock<HashMap<String, Arc<Framework>>>> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(HashMap::new()))
}

/// A framework version loaded for a use case.
pub(crate) struct LoadedFramework {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) version: String,
    pub(crate) framework: Arc<Framework>,
}

async fn parsed_framework(tx: &Tx, id: i64, digest: &str) -> Result<Arc<Framework>, ServiceError> {
    if let Some(hit) = framework_cache()
        .read()
        .ok()
        .and_then(|c| c.get(digest).cloned())
    {
        return Ok(hit);
    }
    let text = tx
        .framework_text(id)
        .await?
        .ok_or_else(|| ServiceError::internal(format!("framework row {id} vanished")))?;
    let framework = Arc::new(Framework::from_json(text.as_bytes()).map_err(|p| {
        ServiceError::internal(format!("stored framework {id} no longer validates: {p}"))
    })?);
    if let Ok(mut cache) = framework_cache().write() {
        cache.insert(digest.to_owned(), framework.clone());
    }
    Ok(framework)
}

pub(crate) async fn framework_by_slug(
    tx: &Tx,
    slug: &str,
    version: Option<&str>,
) -> Result<Option<LoadedFramework>, ServiceError> {
    let Ok(slug) = FrameworkSlug::new(slug) else {
        return Ok(None);
    };
    let Some((id, version, digest)) = tx.framework_key(slug.as_str(), version).await? else {
        return Ok(None);
    };
    Ok(Some(LoadedFramework {
        id,
        slug: slug.as_str().to_owned(),
        version,
        framework: parsed_framework(tx, id, &digest).await?,
    }))
}

async fn framework_by_id(tx: &Tx, id: i64) -> Result<LoadedFramework, ServiceError> {
    let (slug, version, digest) = tx
        .framework_key_by_id(id)
        .await?
        .ok_or_else(|| ServiceError::internal(format!("evidence names framework row {id}")))?;
    Ok(LoadedFramework {
        id,
        slug,
        version,
        framework: parsed_framework(tx, id, &digest).await?,
    })
}

/// The checked content of an [`EvidenceInput`].
struct CheckedInput {
    framework: LoadedFramework,
    kind: EvidenceKind,
    narrative: String,
    date: NaiveDate,
    provider: Option<String>,
    statement: StatementCode,
    level: LevelCode,
    product_version: Option<ProductVersionId>,
}

fn optional_text(
    value: Option<&str>,
    pointer: &str,
    max: usize,
) -> Result<Option<String>, ServiceError> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    match value {
        Some(v) if v.chars().count() > max => Err(ServiceError::invalid(
            pointer,
            format!("At most {max} characters."),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// Whether `level` belongs to the taxonomy of `statement` in `framework`.
fn check_level(
    framework: &Framework,
    statement: &StatementCode,
    level: &str,
    pointer: &str,
) -> Result<LevelCode, ServiceError> {
    crate::forms::level_of(framework, statement, level)
        .map_err(|message| ServiceError::invalid(pointer, message))
}

fn evidence_view(
    row: &EvidenceRow,
    framework: &LoadedFramework,
    org: Option<&OrgRow>,
) -> EvidenceView {
    EvidenceView {
        id: row.id.clone(),
        framework: framework.slug.clone(),
        framework_version: framework.version.clone(),
        statement: row.statement_code.to_string(),
        level_claimed: row.level_claimed.to_string(),
        kind: row.kind,
        narrative: row.narrative.clone(),
        date: row.occurred_on.to_string(),
        provider: row.provider.clone(),
        org: org.map(|o| o.slug.clone()),
        status: row.status,
        level_confirmed: row.level_confirmed.as_ref().map(LevelCode::to_string),
        source: row.source.clone(),
        external_ref: row.external_ref.clone(),
        public: row.public,
        product_version: row.product_version_id.clone(),
        created_at: row.created_at.to_rfc3339(),
        updated_at: row.updated_at.to_rfc3339(),
    }
}

/// Bytes in words: "3.2 MiB", "512 KiB", "900 bytes".
fn human_bytes(n: i64) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if f >= KIB * KIB {
        format!("{:.1} MiB", f / (KIB * KIB))
    } else if f >= KIB {
        format!("{:.0} KiB", f / KIB)
    } else {
        format!("{n} bytes")
    }
}

fn attachment_view(a: &AttachmentMeta) -> AttachmentView {
    AttachmentView {
        id: a.id.clone(),
        file_name: a.file_name.clone(),
        media_type: a.media_type.clone(),
        size: a.size,
        sha256: a.sha256.clone(),
        created_at: a.created_at.to_rfc3339(),
    }
}

fn decision_view(d: &DecisionRow) -> DecisionView {
    DecisionView {
        decision: d.decision.clone(),
        level: d.level.clone(),
        comment: d.comment.clone(),
        actor: d.actor_id.clone(),
        at: d.decided_at.to_rfc3339(),
    }
}

fn not_found(id: &EvidenceId) -> ServiceError {
    ServiceError::NotFound(format!("evidence '{}'", id))
}

fn require_draft(row: &EvidenceRow, what: &str) -> Result<(), ServiceError> {
    if row.status == EvidenceStatus::Draft {
        Ok(())
    } else {
        Err(ServiceError::Conflict(format!(
            "Only draft evidence can be {what}; this evidence is {}.",
            row.status
        )))
    }
}

/// A file name safe to store and to show: trimmed, without path separators or control
/// characters.
fn check_file_name(name: &str) -> Result<String, ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(ServiceError::invalid(
            "/name",
            format!("Give the file a name (?name=) of 1 to {MAX_FILE_NAME_CHARS} characters."),
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() || c == '/' || c == '\\')
        || name == "."
        || name == ".."
    {
        return Err(ServiceError::invalid(
            "/name",
            "The file name may not contain slashes or control characters.",
        ));
    }
    Ok(name.to_owned())
}

impl Registry {
    async fn check_input(
        &self,
        tx: &Tx,
        input: &EvidenceInput,
    ) -> Result<CheckedInput, ServiceError> {
        // Every field is checked before anything is refused, so that all the problems
        // are reported together, in the order the form shows the fields.
        let mut p = FormProblems::new();
        let version =
            match optional_text(input.framework_version.as_deref(), "/framework_version", 64) {
                Ok(v) => v,
                Err(ServiceError::Invalid(problems)) => {
                    for problem in problems.0 {
                        p.add(&problem.pointer, problem.message);
                    }
                    None
                }
                Err(e) => return Err(e),
            };
        let framework = framework_by_slug(tx, input.framework.trim(), version.as_deref()).await?;
        let target = match &framework {
            Some(f) => crate::forms::statement_and_level(
                &mut p,
                &f.framework,
                &input.statement,
                &input.level,
            ),
            None => {
                p.add(
                    if version.is_some() {
                        "/framework_version"
                    } else {
                        "/framework"
                    },
                    "No such framework (version) is stored on this Credence.",
                );
                None
            }
        };
        let fields = crate::forms::evidence_fields(
            &mut p,
            crate::forms::EvidenceText {
                kind: &input.kind,
                narrative: &input.narrative,
                date: &input.date,
                provider: input.provider.as_deref(),
            },
            self.now().date_naive(),
            crate::forms::EvidenceLimits {
                narrative: MAX_NARRATIVE_CHARS,
                provider: MAX_PROVIDER_CHARS,
            },
        );
        let product_version = self
            .check_product_version(tx, &mut p, input, framework.as_ref(), target.as_ref())
            .await?;
        p.finish().map_err(ServiceError::Invalid)?;
        let missing = || ServiceError::internal("a checked evidence field is missing");
        let (statement, level) = target.ok_or_else(missing)?;
        Ok(CheckedInput {
            framework: framework.ok_or_else(missing)?,
            kind: fields.kind.ok_or_else(missing)?,
            narrative: fields.narrative,
            date: fields.date.ok_or_else(missing)?,
            provider: fields.provider,
            statement,
            level,
            product_version,
        })
    }

    /// The product version an evidence input names, if any: a registered version, and only
    /// for a statement of a product-specific pathway.
    async fn check_product_version(
        &self,
        tx: &Tx,
        p: &mut FormProblems,
        input: &EvidenceInput,
        framework: Option<&LoadedFramework>,
        target: Option<&(StatementCode, LevelCode)>,
    ) -> Result<Option<ProductVersionId>, ServiceError> {
        let Some(text) = input
            .product_version
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Ok(None);
        };
        let version = match ProductVersionId::new(text) {
            Ok(id) => tx.product_version(&id).await?.map(|v| v.id),
            Err(_) => None,
        };
        if version.is_none() {
            p.add(
                "/product_version",
                "No AI product version with this identifier is registered here.",
            );
        }
        if let (Some(f), Some((statement, _))) = (framework, target) {
            let product_specific = f
                .framework
                .statement(statement)
                .and_then(|s| f.framework.pathway(&s.pathway))
                .is_some_and(|pw| pw.kind == PathwayKind::ProductTemplate);
            if !product_specific {
                p.add(
                    "/product_version",
                    "Only evidence for a statement of the product-specific pathway names a product version.",
                );
            }
        }
        Ok(version)
    }

    /// The evidence with this id if `holder` owns it; otherwise not found (other holders'
    /// evidence is never revealed to exist).
    async fn own_evidence(
        &self,
        tx: &Tx,
        holder: &Holder,
        id: &EvidenceId,
    ) -> Result<EvidenceRow, ServiceError> {
        match tx.evidence(id).await? {
            Some(row) if row.holder_id == holder.account_id => Ok(row),
            _ => Err(not_found(id)),
        }
    }

    async fn detail(&self, tx: &Tx, row: &EvidenceRow) -> Result<EvidenceDetail, ServiceError> {
        let framework = framework_by_id(tx, row.framework_id).await?;
        let org = match &row.org_id {
            Some(id) => tx.org(id).await?,
            None => None,
        };
        Ok(EvidenceDetail {
            evidence: evidence_view(row, &framework, org.as_ref()),
            attachments: tx
                .attachments_of(&row.id)
                .await?
                .iter()
                .map(attachment_view)
                .collect(),
            history: tx
                .decisions_of(&row.id)
                .await?
                .iter()
                .map(decision_view)
                .collect(),
        })
    }
}

impl OperatorDesk<'_> {
    /// What the accounts storing the most store (operators only), against their quotas.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn storage_usage(
        &self,
        top: u64,
    ) -> Result<Vec<credence_store::registry::AccountUsage>, ServiceError> {
        let tx = self.store.read().await?;
        Ok(tx.top_usage(top.clamp(1, 10_000)).await?)
    }
}

impl HolderDesk<'_> {
    /// Records a new piece of evidence, as a draft.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn record_evidence(
        &self,
        input: EvidenceInput,
    ) -> Result<EvidenceDetail, ServiceError> {
        let holder = &self.holder;
        let now = self.now();
        let tx = self.store.write().await?;
        let checked = self.check_input(&tx, &input).await?;
        let quota = self.config.quotas.evidence_records;
        if quota > 0 && tx.usage_of_holder(&holder.account_id).await?.evidence >= quota {
            return Err(ServiceError::QuotaExceeded(format!(
                "You have recorded {quota} pieces of evidence, as many as one account may keep here. Delete drafts you no longer need, or ask the operator of this Credence for more room."
            )));
        }
        let row = EvidenceRow {
            id: EvidenceId::random(),
            holder_id: holder.account_id.clone(),
            framework_id: checked.framework.id,
            statement_code: checked.statement.clone(),
            level_claimed: checked.level.clone(),
            kind: checked.kind,
            narrative: checked.narrative,
            occurred_on: checked.date,
            provider: checked.provider,
            org_id: None,
            status: EvidenceStatus::Draft,
            level_confirmed: None,
            source: "holder".into(),
            external_ref: None,
            public: false,
            created_at: now,
            updated_at: now,
            product_version_id: checked.product_version,
        };
        tx.insert_evidence(row.clone()).await?;
        audit(
            &tx,
            now,
            &holder.label,
            "evidence.record",
            None,
            &format!("evidence:{}", row.id),
            json!({"statement": row.statement_code, "level": row.level_claimed, "kind": row.kind}),
        )
        .await?;
        let detail = self.detail(&tx, &row).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// The holder's evidence, newest first.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn holder_evidence(&self, page: Page) -> Result<Vec<EvidenceView>, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let rows = tx.evidence_of_holder(&holder.account_id, page).await?;
        let mut frameworks: HashMap<i64, LoadedFramework> = HashMap::new();
        let mut orgs: HashMap<OrgId, Option<OrgRow>> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Entry::Vacant(slot) = frameworks.entry(row.framework_id) {
                slot.insert(framework_by_id(&tx, row.framework_id).await?);
            }
            let org = match &row.org_id {
                Some(id) => {
                    if let Entry::Vacant(slot) = orgs.entry(id.clone()) {
                        slot.insert(tx.org(id).await?);
                    }
                    orgs.get(id).and_then(Option::as_ref)
                }
                None => None,
            };
            if let Some(f) = frameworks.get(&row.framework_id) {
                out.push(evidence_view(row, f, org));
            }
        }
        Ok(out)
    }

    /// One of the holder's own pieces of evidence, with attachments and history.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn evidence_detail(&self, id: &EvidenceId) -> Result<EvidenceDetail, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let row = self.own_evidence(&tx, holder, id).await?;
        self.detail(&tx, &row).await
    }

    /// Replaces a draft's content.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn edit_evidence(
        &self,
        id: &EvidenceId,
        input: EvidenceInput,
    ) -> Result<EvidenceDetail, ServiceError> {
        let holder = &self.holder;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut row = self.own_evidence(&tx, holder, id).await?;
        require_draft(&row, "edited")?;
        let checked = self.check_input(&tx, &input).await?;
        row.framework_id = checked.framework.id;
        row.statement_code = checked.statement.clone();
        row.level_claimed = checked.level.clone();
        row.kind = checked.kind;
        row.narrative = checked.narrative;
        row.occurred_on = checked.date;
        row.provider = checked.provider;
        row.product_version_id = checked.product_version;
        row.updated_at = now;
        tx.update_evidence(row.clone()).await?;
        audit(
            &tx,
            now,
            &holder.label,
            "evidence.edit",
            None,
            &format!("evidence:{}", row.id),
            json!({"statement": row.statement_code, "level": row.level_claimed, "kind": row.kind}),
        )
        .await?;
        let detail = self.detail(&tx, &row).await?;
        tx.commit().await?;
        Ok(detail)
    }

    /// Deletes a draft with its attachments.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn delete_evidence(&self, id: &EvidenceId) -> Result<(), ServiceError> {
        let holder = &self.holder;
        let now = self.now();
        let tx = self.store.write().await?;
        let row = self.own_evidence(&tx, holder, id).await?;
        require_draft(&row, "deleted")?;
        tx.delete_evidence(&row.id).await?;
        audit(
            &tx,
            now,
            &holder.label,
            "evidence.delete",
            None,
            &format!("evidence:{}", row.id),
            json!({"statement": row.statement_code}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Submits a draft to an organisation for assessment.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id, org_slug = %org_slug))]
    pub async fn submit_evidence(
        &self,
        id: &EvidenceId,
        org_slug: &str,
    ) -> Result<EvidenceDetail, ServiceError> {
        let holder = &self.holder;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut row = self.own_evidence(&tx, holder, id).await?;
        self.require_confirmed(&tx, &holder.account_id, "submit evidence")
            .await?;
        let org = match OrgSlug::new(org_slug.trim()) {
            Ok(slug) => tx.org_by_slug(slug.as_str()).await?,
            Err(_) => None,
        }
        .ok_or_else(|| ServiceError::invalid("/org", "Choose an organisation from the list."))?;
        require_draft(&row, "submitted")?;
        // One piece of evidence waits per statement and level: a second would ask an
        // assessor to decide the same thing twice.
        if let Some(waiting) = tx.waiting_twin(&row).await? {
            return Err(ServiceError::Conflict(format!(
                "Evidence for {} at this level is already waiting for an assessor (submitted {}). Attach this file to that one, or wait for its decision.",
                row.statement_code,
                waiting.updated_at.format("%-d %B %Y")
            )));
        }
        row.status = EvidenceStatus::Submitted;
        row.org_id = Some(org.id.clone());
        row.updated_at = now;
        tx.update_evidence(row.clone()).await?;
        tx.insert_decision(NewDecision {
            evidence_id: row.id.clone(),
            actor_id: Some(holder.account_id.clone()),
            decision: "submitted".into(),
            level: Some(row.level_claimed.to_string()),
            comment: None,
            decided_at: now,
        })
        .await?;
        audit(
            &tx,
            now,
            &holder.label,
            "evidence.submit",
            Some(&org.id),
            &format!("evidence:{}", row.id),
            json!({"org": org.slug, "level": row.level_claimed}),
        )
        .await?;
        let detail = self.detail(&tx, &row).await?;
        tx.commit().await?;
        Ok(detail)
    }
}
