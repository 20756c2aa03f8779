//! Achievements (an issuer's pathway badges) and awards (signed `OpenBadgeCredential`s):
//! the completion check over attested evidence, random status indices, signing, and what
//! holders and issuers may read and change.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use credence_domain::framework::Pathway;
use credence_domain::progress::{progress, PathwayProgress};
use credence_domain::registry::{AwardStatus, Email};
use credence_domain::validate::{email_problem, text_problem};
use credence_domain::FormProblems;
use credence_domain::{
    AccountId, AchievementId, AwardId, Framework, LevelCode, PathwayCode, StatementCode,
};
use credence_store::registry::{AccountRow, AchievementRow, AwardRow, EvidenceRow, OrgRow};
use credence_store::Tx;
use credence_vc::canon::{Canonicalizer, PreparedAchievement};
use credence_vc::proof::sign_owned;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::achievements::{issuer_profile, unknown_achievement};
pub use crate::achievements::{AchievementView, NewAchievement, DEFAULT_FRAMEWORK};
use crate::actor::Issuer;
pub use crate::award_access::VisibleAward;
pub(crate) use crate::award_record::award_view;
pub use crate::award_record::{AwardView, STATUS_LIST_ENTRIES};
use crate::desks::IssuerDesk;
use crate::evidence::attainments;
use crate::issuing::check_before_signing;
use crate::metrics::IssuedVia;
use crate::orgs::{optional_text, Signer};
use crate::registry::{audit, Registry};
pub(crate) use crate::status_indices::{free_indices, free_indices_besides, taken_meanwhile};
use crate::ServiceError;
use credence_documents::{
    award_credential, date_time, embedding_types, AchievedLevel, AwardInput, AwardResults,
    EvidenceLink, IssuerProfile, Recipient, StatusIndices,
};

/// The shortest justification accepted for an award without complete evidence.
pub const MIN_JUSTIFICATION_CHARS: usize = 20;
/// How many times an award is retried when a random status index was taken meanwhile.
const MAX_ATTEMPTS: usize = 5;

/// At most this many prepared achievements are kept; the cache empties itself beyond.
const PREPARED_ACHIEVEMENTS: usize = 256;

impl Registry {
    /// The canonicaliser to verify `document` with: with its achievement prepared when it
    /// names one of this installation's achievements (prepared by this process before, or
    /// now from the stored document). It is used only if the document embeds exactly it.
    pub(crate) async fn canonicalizer_for(&self, document: &Value) -> Canonicalizer {
        let Some(id) = document
            .pointer("/credentialSubject/achievement/id")
            .and_then(Value::as_str)
        else {
            return self.config.canonicalizer.clone();
        };
        let cached = self
            .caches
            .prepared
            .lock()
            .ok()
            .and_then(|c| c.get(id).cloned());
        let prepared = match cached {
            Some(prepared) => Some(prepared),
            None => match id.strip_prefix(&self.url("/achievements/")) {
                // Not found, or the database unavailable: the document is read whole.
                Some(own) => match own.parse::<AchievementId>() {
                    Ok(own) => match self.public().achievement_json(&own).await {
                        Ok(stored) => self.prepared_achievement(&stored),
                        Err(_) => None,
                    },
                    Err(_) => None,
                },
                None => None,
            },
        };
        match prepared {
            Some(prepared) => self.config.canonicalizer.clone().with_achievement(prepared),
            None => self.config.canonicalizer.clone(),
        }
    }
}

/// A request to award an achievement to one holder.
#[derive(Debug, Clone, Default)]
pub struct NewAward {
    /// The achievement's uuid or URL, as the request gives it (read by
    /// [`Registry::award_context`], which refuses a malformed one as an unknown one).
    pub achievement: String,
    pub email: String,
    /// The name the credential carries; the achievement's when absent.
    pub name: Option<String>,
    pub override_justification: Option<String>,
    /// An RFC 3339 date-time; now when absent.
    pub valid_from: Option<String>,
    /// The id of an award of the same organisation this one renews.
    pub renews: Option<String>,
    /// The client's idempotency key.
    pub key: Option<String>,
}

/// The result of an award request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AwardOutcome {
    pub award: AwardView,
    /// The signed credential, exactly as stored.
    #[schema(value_type = Object)]
    pub credential: Value,
    /// False when the idempotency key named an existing award.
    #[serde(skip)]
    pub created: bool,
}

/// The checks before signing ([`check_before_signing`]) of an award of `ctx`'s achievement.
/// The achievement is most of an award (37 KB of a foundational one, its 60 alignments: each statement's page and CASE item) and
/// the same in every award of it: the first award is checked whole, and once it passed,
/// later ones with the embedded achievement swapped for a minimal valid one while they are
/// checked. That is exact, because neither the data model's rules nor the 1EdTech schema
/// relate `credentialSubject.achievement` to anything outside it, and it takes the schema
/// validation from about 59 µs to a few per award (`cargo bench -p credence-vc --bench
/// proofs -- award`).
fn check_award(ctx: &AwardContext, credential: &mut Value) -> Result<(), ServiceError> {
    if ctx.achievement_checked.get().is_none() {
        check_before_signing(credential, "")?;
        let _ = ctx.achievement_checked.set(());
        return Ok(());
    }
    let Some(slot) = credential.pointer_mut("/credentialSubject/achievement") else {
        return check_before_signing(credential, "");
    };
    let stand_in = json!({
        "id": ctx.document.get("id").cloned().unwrap_or_else(|| json!("urn:x:achievement")),
        "type": ["Achievement"],
        "name": "stand-in",
        "criteria": {"narrative": "stand-in"},
        "description": "stand-in",
    });
    let real = std::mem::replace(slot, stand_in);
    let checked = check_before_signing(credential, "");
    if let Some(slot) = credential.pointer_mut("/credentialSubject/achievement") {
        *slot = real;
    }
    checked
}

/// Everything that stays the same for every award of one achievement.
pub(crate) struct AwardContext {
    pub org: OrgRow,
    pub achievement: AchievementRow,
    pub document: Value,
    pub framework: Arc<Framework>,
    pub pathway_code: PathwayCode,
    pub signer: Signer,
    pub profile: IssuerProfile,
    /// The canonicaliser that signs this achievement's credentials: with the achievement
    /// prepared when that could be done (see [`Registry::prepared_achievement`]).
    pub canonicalizer: Canonicalizer,
    /// Set once a credential embedding this achievement passed the checks before signing;
    /// later ones are checked with a small stand-in for it (see [`check_award`]).
    pub achievement_checked: std::sync::OnceLock<()>,
    /// The product version the achievement is bound to: only evidence for it counts.
    pub product_version: Option<crate::products::VersionBinding>,
}

impl AwardContext {
    pub(crate) fn pathway(&self) -> Result<&Pathway, ServiceError> {
        self.framework.pathway(&self.pathway_code).ok_or_else(|| {
            ServiceError::internal(format!("pathway {} vanished", self.pathway_code))
        })
    }
}

/// One award, checked and ready to sign.
pub(crate) struct Prepared {
    pub row: AwardRow,
    pub credential: Value,
}

/// The completion check and the award's documents, for one holder. `Err(message)` is a
/// refusal to show the issuer.
pub(crate) struct AwardPlan<'a> {
    pub recipient: PlanRecipient<'a>,
    pub evidence: Vec<&'a EvidenceRow>,
    pub name: Option<&'a str>,
    pub override_justification: Option<&'a str>,
    pub valid_from: DateTime<Utc>,
    pub renews: Option<(AwardId, String)>,
    pub key: Option<&'a str>,
}

/// Whom an award names: the holder's account when its address is proven (it becomes the
/// award's holder), otherwise just the address, with a salt of the award's own and no DID
/// (the award then waits for a claim; see [`crate::claims`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlanRecipient<'a> {
    pub email: &'a str,
    pub salt: &'a str,
    pub did: Option<&'a str>,
    /// The holder, when the award goes straight to an account.
    pub holder_id: Option<&'a AccountId>,
}

impl<'a> PlanRecipient<'a> {
    /// The holder `account` itself.
    pub(crate) fn account(account: &'a AccountRow) -> Self {
        Self {
            email: &account.email,
            salt: &account.email_salt,
            did: account.did.as_deref(),
            holder_id: Some(&account.id),
        }
    }

    /// An address alone, with the award's own `salt`: the award waits for a claim.
    pub(crate) fn address(email: &'a str, salt: &'a str) -> Self {
        Self {
            email,
            salt,
            did: None,
            holder_id: None,
        }
    }
}

/// Checks a justification; `Ok(None)` when none is given.
pub(crate) fn check_justification(text: Option<&str>) -> Result<Option<String>, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if t.chars().count() < MIN_JUSTIFICATION_CHARS => Err(format!(
            "Give a reason of at least {MIN_JUSTIFICATION_CHARS} characters for awarding without all the evidence; this one has {}.",
            t.chars().count()
        )),
        Some(t) if t.chars().count() > 2000 => Err(format!(
            "Shorten the reason for awarding without all the evidence to at most 2000 characters; it has {}.",
            t.chars().count()
        )),
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// What is missing, one sentence per gap.
pub(crate) fn missing(framework: &Framework, progress: &PathwayProgress) -> Vec<String> {
    let mut out = Vec::new();
    for p in progress.prerequisites.iter().filter(|p| !p.complete) {
        out.push(format!(
            "The prerequisite pathway {} is not complete.",
            p.pathway
        ));
    }
    for gap in &progress.gaps {
        let level = framework
            .level(&gap.level)
            .map_or(gap.level.as_str(), |l| l.name.as_str());
        let codes: Vec<&str> = gap.statements.iter().map(StatementCode::as_str).collect();
        out.push(format!(
            "{} at {level} in {}: {}",
            if codes.len() == 1 {
                "1 statement".to_owned()
            } else {
                format!("{} statements", codes.len())
            },
            gap.factor.as_deref().unwrap_or(&gap.layer),
            codes.join(", ")
        ));
    }
    out
}

impl Registry {
    /// A framework version by id, parsed once per process (stored versions are immutable).
    pub(crate) async fn framework_by_id(
        &self,
        tx: &Tx,
        id: i64,
    ) -> Result<Arc<Framework>, ServiceError> {
        if let Some(hit) = self
            .caches
            .frameworks
            .read()
            .ok()
            .and_then(|c| c.get(&id).cloned())
        {
            return Ok(hit);
        }
        let (slug, _, document) = tx
            .framework_by_id(id)
            .await?
            .ok_or_else(|| ServiceError::internal(format!("framework {id} is missing")))?;
        let framework = Arc::new(Framework::from_json(document.as_bytes()).map_err(|p| {
            ServiceError::internal(format!("stored framework {slug} no longer validates: {p}"))
        })?);
        if let Ok(mut cache) = self.caches.frameworks.write() {
            cache.insert(id, framework.clone());
        }
        Ok(framework)
    }
}

impl Registry {
    /// What every award of the achievement `id` shares, read inside `tx`.
    pub(crate) async fn award_context_of(
        &self,
        tx: &Tx,
        issuer: &Issuer,
        id: &AchievementId,
        pointer: &str,
    ) -> Result<AwardContext, ServiceError> {
        let org = issuer.0.org.clone();
        let achievement = match self.achievement_row(tx, id).await {
            Ok(a) if a.org_id == org.id => a,
            Ok(_) | Err(ServiceError::NotFound(_)) => {
                return Err(unknown_achievement(&org, pointer))
            }
            Err(e) => return Err(e),
        };
        let document: Value = serde_json::from_str(&achievement.document)
            .map_err(ServiceError::wrap("reading a stored achievement"))?;
        let framework = self.framework_by_id(tx, achievement.framework_id).await?;
        let pathway_code = PathwayCode::new(&achievement.pathway)
            .map_err(ServiceError::wrap("reading an achievement pathway"))?;
        let signer = self.active_signer(tx, &org).await?;
        let profile = issuer_profile(self, &org);
        let canonicalizer = match self.prepared_achievement(&document) {
            Some(prepared) => self.config.canonicalizer.clone().with_achievement(prepared),
            None => self.config.canonicalizer.clone(),
        };
        let product_version = crate::products::binding_of(tx, &achievement).await?;
        Ok(AwardContext {
            org,
            achievement,
            document,
            framework,
            pathway_code,
            signer,
            profile,
            canonicalizer,
            achievement_checked: std::sync::OnceLock::new(),
            product_version,
        })
    }

    /// The achievement document read into RDF once for the credentials that embed it, from
    /// the cache or prepared now (a few milliseconds, once per achievement version and
    /// process). `None`, logged, if it cannot be prepared: its credentials are then read
    /// whole, as correct and slower.
    pub(crate) fn prepared_achievement(
        &self,
        document: &Value,
    ) -> Option<Arc<PreparedAchievement>> {
        let id = document.get("id").and_then(Value::as_str)?;
        let cached = self.caches.prepared.lock().ok();
        if let Some(found) = cached.as_ref().and_then(|c| c.get(id)) {
            if found.achievement() == document {
                return Some(Arc::clone(found));
            }
        }
        drop(cached);
        let (context, credential_types, subject_types) = embedding_types();
        match self.config.canonicalizer.prepare_achievement(
            &context,
            &credential_types,
            &subject_types,
            document,
        ) {
            Ok(prepared) => {
                if let Ok(mut cache) = self.caches.prepared.lock() {
                    if cache.len() >= PREPARED_ACHIEVEMENTS {
                        cache.clear();
                    }
                    cache.insert(id.to_owned(), Arc::clone(&prepared));
                }
                Some(prepared)
            }
            Err(e) => {
                tracing::warn!(error = %e, "an achievement could not be prepared for signing; its credentials are read whole");
                None
            }
        }
    }

    /// Checks completion, builds and signs one award. `Err(Ok(message))` is a refusal of
    /// this award (the completion check, a justification), `Err(Err(e))` a fault.
    pub(crate) fn prepare_award(
        &self,
        ctx: &AwardContext,
        plan: &AwardPlan<'_>,
        indices: (i64, i64),
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Prepared, Result<Vec<(String, String)>, ServiceError>> {
        let justification = check_justification(plan.override_justification)
            .map_err(|m| Ok(vec![("/override_justification".to_owned(), m)]))?;
        let progress = award_progress(ctx, plan, justification.is_some())?;
        let results = self.award_results(ctx, &progress).map_err(Err)?;
        let evidence = evidence_links(ctx, &ctx.counted(&plan.evidence)).map_err(Err)?;
        let uuid = Uuid::new_v4();
        let valid_until = ctx
            .achievement
            .validity_days
            .map(|d| plan.valid_from + Duration::days(d));
        let credential = award_credential(&AwardInput {
            credential_uuid: uuid,
            base_url: &self.config.base_url,
            issuer: &ctx.profile,
            org_slug: &ctx.org.slug,
            achievement: &ctx.document,
            name: plan.name,
            valid_from: plan.valid_from,
            valid_until,
            recipient: Recipient {
                email: plan.recipient.email,
                salt: plan.recipient.salt,
                did: plan.recipient.did,
            },
            results: &results,
            evidence: &evidence,
            status: StatusIndices {
                revocation: usize::try_from(indices.0).unwrap_or_default(),
                suspension: ctx
                    .achievement
                    .suspendable
                    .then(|| usize::try_from(indices.1).unwrap_or_default()),
            },
            renews: plan.renews.as_ref().map(|(_, url)| url.as_str()),
        });
        let mut credential = credential;
        check_award(ctx, &mut credential).map_err(|e| match e {
            ServiceError::Invalid(problems) => Ok(problems
                .0
                .into_iter()
                .map(|p| (p.pointer, p.message))
                .collect()),
            other => Err(other),
        })?;
        let mut options = self.proof_options(&ctx.org, &ctx.signer, &date_time(now), None);
        options.canonicalizer = ctx.canonicalizer.clone();
        let signed = sign_owned(credential, &ctx.signer.key, &options)
            .map_err(|e| Err(ServiceError::internal_from("signing an award", e)))?;
        let row = AwardRow {
            id: AwardId::from(uuid),
            org_id: ctx.org.id.clone(),
            achievement_id: Some(ctx.achievement.id.clone()),
            holder_id: plan.recipient.holder_id.cloned(),
            recipient_email: Some(plan.recipient.email.to_owned()),
            credential: signed.to_string(),
            revocation_index: indices.0,
            suspension_index: indices.1,
            status: AwardStatus::Active,
            status_reason: None,
            valid_from: plan.valid_from,
            valid_until,
            idempotency_key: plan.key.map(str::to_owned),
            override_justification: justification,
            replaces_award_id: plan.renews.as_ref().map(|(id, _)| id.clone()),
            // Private to its holder and issuer until the holder publishes it, unless the
            // achievement makes its awards public at once (a claim changes neither).
            public: ctx.achievement.awards_public,
            created_by: created_by.to_owned(),
            created_at: now,
            updated_at: now,
            credential_id: signed.get("id").and_then(Value::as_str).map(str::to_owned),
            suspendable: ctx.achievement.suspendable,
            reissue_of: None,
        };
        Ok(Prepared {
            credential: signed,
            row,
        })
    }
}

/// The holder's progress towards the award's pathway from the evidence of the plan;
/// `Err(Ok(problems))` when it is incomplete and no justification is given, naming what
/// is missing.
fn award_progress(
    ctx: &AwardContext,
    plan: &AwardPlan<'_>,
    justified: bool,
) -> Result<PathwayProgress, Result<Vec<(String, String)>, ServiceError>> {
    let framework = &ctx.framework;
    let pathway = ctx.pathway().map_err(Err)?;
    let attained = attainments(ctx.counted(&plan.evidence));
    let progress = progress(framework, &ctx.pathway_code, &attained).map_err(|e| {
        Err(ServiceError::internal_from(
            "measuring progress for an award",
            e,
        ))
    })?;
    if !progress.complete && !justified {
        let mut problems = vec![(
            "/override_justification".to_owned(),
            format!(
                "{} has not completed the pathway {}: {} of {} requirements are met by attested evidence. Give a reason of at least {MIN_JUSTIFICATION_CHARS} characters for awarding without all the evidence, or award once the rest is attested.",
                plan.recipient.email, pathway.name, progress.met(), progress.required()
            ),
        )];
        problems.extend(ctx.left_out(&plan.evidence));
        problems.extend(
            missing(framework, &progress)
                .into_iter()
                .map(|m| ("/missing".to_owned(), m)),
        );
        return Err(Ok(problems));
    }
    Ok(progress)
}

impl Registry {
    /// The results an award states: one per requirement held, at the best level that
    /// counts for it.
    fn award_results(
        &self,
        ctx: &AwardContext,
        progress: &PathwayProgress,
    ) -> Result<AwardResults, ServiceError> {
        let achieved: Vec<AchievedLevel> = progress
            .requirements
            .iter()
            .filter_map(|r| {
                // Met through another taxonomy, the award states the required level.
                Some(AchievedLevel {
                    statement: r.statement.clone(),
                    level: r.credited()?,
                })
            })
            .collect();
        Ok(AwardResults::new(
            &ctx.framework,
            ctx.pathway()?,
            &self.config.base_url,
            ctx.document
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            &achieved,
        )
        .unwrap_or_else(|_| AwardResults::none()))
    }
}

/// The evidence an award links to: the holder's attested evidence for statements of the
/// award's pathway.
fn evidence_links(
    ctx: &AwardContext,
    evidence: &[&EvidenceRow],
) -> Result<Vec<EvidenceLink>, ServiceError> {
    let pathway_statements: HashSet<&str> = ctx
        .framework
        .pathway_statements(&ctx.pathway_code)
        .map(|s| s.code.as_str())
        .collect();
    evidence
        .iter()
        .filter(|e| pathway_statements.contains(e.statement_code.as_str()))
        .map(|e| {
            Ok(EvidenceLink {
                uuid: Uuid::parse_str(e.id.as_str())
                    .map_err(ServiceError::wrap("reading a stored evidence id"))?,
                name: format!(
                    "{} for {} at {}",
                    e.kind,
                    e.statement_code,
                    e.level_confirmed.as_ref().map_or("", LevelCode::as_str)
                ),
                narrative: Some(e.narrative.clone()).filter(|n| !n.is_empty()),
                genre: Some(e.kind.to_string()),
            })
        })
        .collect()
}

impl IssuerDesk<'_> {
    /// Awards an achievement to a holder (by e-mail). With a key, the same request again
    /// returns the award already made.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn award(&self, new: NewAward) -> Result<AwardOutcome, ServiceError> {
        let issuer = &self.issuer;
        // Every field is checked before anything is refused.
        let (problems, valid_from) = award_fields(&new);
        problems.finish().map_err(ServiceError::Invalid)?;
        let email =
            Email::new(&new.email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let name = optional_text(new.name.clone(), "/name", 200)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self
                .award_once(issuer, &new, &email, name.as_deref(), valid_from)
                .await
            {
                Err(ServiceError::Conflict(_)) if attempt < MAX_ATTEMPTS => continue,
                other => return other,
            }
        }
    }
}

impl Registry {
    async fn award_once(
        &self,
        issuer: &Issuer,
        new: &NewAward,
        email: &Email,
        name: Option<&str>,
        valid_from: Option<DateTime<Utc>>,
    ) -> Result<AwardOutcome, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let outcome = self
            .award_in(&tx, issuer, new, email, name, valid_from, now)
            .await?;
        if outcome.created {
            tx.commit().await?;
            self.metrics.awards_issued(IssuedVia::Award, 1);
        }
        Ok(outcome)
    }

    /// Makes one award inside `tx` (the caller commits): to the account of `email` when
    /// its address is proven, otherwise to the address, with a claim link sent to it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn award_in(
        &self,
        tx: &Tx,
        issuer: &Issuer,
        new: &NewAward,
        email: &Email,
        name: Option<&str>,
        valid_from: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<AwardOutcome, ServiceError> {
        let org = &issuer.0.org;
        if let Some(key) = &new.key {
            if let Some(existing) = tx.award_by_key(&org.id, key).await? {
                return Ok(AwardOutcome {
                    award: award_view(self, &existing),
                    credential: serde_json::from_str(&existing.credential)
                        .map_err(ServiceError::wrap("reading a stored credential"))?,
                    created: false,
                });
            }
        }
        let ctx = self
            .award_context(tx, issuer, &new.achievement, "/achievement")
            .await?;
        let account = tx
            .account_by_email(email.as_str())
            .await?
            .filter(|a| self.address_proven(a));
        let renews = self.renewed_award(tx, org, new.renews.as_deref()).await?;
        let evidence = match &account {
            Some(account) => {
                tx.attested_evidence_of(&account.id, ctx.achievement.framework_id)
                    .await?
            }
            None => Vec::new(),
        };
        let salt = crate::accounts::random_salt()?;
        let indices = free_indices(tx, &org.id, 1).await?[0];
        let plan = AwardPlan {
            recipient: match &account {
                Some(account) => PlanRecipient::account(account),
                None => PlanRecipient::address(email.as_str(), &salt),
            },
            evidence: evidence.iter().collect(),
            name,
            override_justification: new.override_justification.as_deref(),
            valid_from: valid_from.unwrap_or(now),
            renews,
            key: new.key.as_deref(),
        };
        let prepared = match crate::registry::cpu_bound(|| {
            self.prepare_award(&ctx, &plan, indices, &issuer.0.label, now)
        }) {
            Ok(p) => p,
            Err(Ok(problems)) => {
                return Err(ServiceError::Invalid(credence_domain::Problems(
                    problems
                        .into_iter()
                        .map(|(pointer, message)| credence_domain::Problem { pointer, message })
                        .collect(),
                )))
            }
            Err(Err(e)) => return Err(e),
        };
        tx.insert_award(prepared.row.clone())
            .await
            .map_err(taken_meanwhile)?;
        audit(
            tx,
            now,
            &issuer.0.label,
            "award.issue",
            Some(&org.id),
            &format!("award:{}", prepared.row.id),
            json!({
                "achievement": ctx.achievement.id,
                "holder": prepared.row.holder_id,
                "recipient": prepared.row.holder_id.is_none().then_some(email.as_str()),
                "override_justification": prepared.row.override_justification,
                "key": prepared.row.idempotency_key,
                "renews": prepared.row.replaces_award_id,
            }),
        )
        .await?;
        if prepared.row.holder_id.is_some() {
            self.notify_awarded(tx, &prepared.row, &ctx.achievement.name, &org.name, now)
                .await?;
        } else {
            self.open_claims(tx, &[&prepared.row], &ctx.achievement.name, &org.name, now)
                .await?;
        }
        Ok(AwardOutcome {
            award: award_view(self, &prepared.row),
            credential: prepared.credential,
            created: true,
        })
    }

    /// The award of `org` that an award renews, by id, with its credential's address.
    async fn renewed_award(
        &self,
        tx: &Tx,
        org: &OrgRow,
        renews: Option<&str>,
    ) -> Result<Option<(AwardId, String)>, ServiceError> {
        let Some(id) = renews else {
            return Ok(None);
        };
        let found = match AwardId::new(id) {
            Ok(id) => tx.award(&id).await?.filter(|a| a.org_id == org.id),
            Err(_) => None,
        };
        let found = found.ok_or_else(|| {
            ServiceError::invalid("/renews", format!("{} has no award '{id}'.", org.slug))
        })?;
        Ok(Some((
            found.id.clone(),
            self.url(&format!("/credentials/{}", found.id)),
        )))
    }
}

/// Checks the fields of an award, every one; with the start of validity when one is given
/// and valid.
pub(crate) fn award_fields(new: &NewAward) -> (FormProblems, Option<DateTime<Utc>>) {
    let mut problems = FormProblems::new();
    if new.achievement.trim().is_empty() {
        problems.add("/achievement", "Choose the achievement to award.");
    }
    problems.check(
        "/email",
        email_problem(&new.email, "Enter the recipient's e-mail address."),
    );
    if let Some(key) = &new.key {
        if key.trim().is_empty() || key.chars().count() > 200 {
            problems.add(
                "/key",
                "An idempotency key has between 1 and 200 characters.",
            );
        }
    }
    problems.check(
        "/name",
        text_problem(
            new.name.as_deref().unwrap_or_default(),
            "the credential's name",
            "",
            0,
            200,
        ),
    );
    if let Err(message) = check_justification(new.override_justification.as_deref()) {
        problems.add("/override_justification", message);
    }
    let valid_from = match new.valid_from.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => problems.take(
            "/valid_from",
            DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)),
            |_| "Give a date-time with a time zone, such as 2026-11-28T09:30:00Z.".into(),
        ),
    };
    (problems, valid_from)
}
