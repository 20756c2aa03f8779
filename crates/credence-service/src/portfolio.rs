//! Portfolios and dashboards: what a holder shows the world (a public page at an address
//! they choose, off by default, item by item), the progress picture of their pathways, and
//! an export of everything they own as one archive.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::sync::Arc;

use credence_domain::registry::{AwardStatus, EvidenceStatus};
use credence_domain::validate::address_problem;
use credence_domain::{
    ArchetypeCode, Attainment, FormProblems, Framework, LevelCode, PathwayCode, PathwayKind,
    StatementCode,
};
use credence_store::registry::{AccountRow, AchievementRow, AwardRow, EvidenceRow, OrgRow, Page};
use credence_store::Tx;
use serde::Serialize;
use serde_json::json;

use crate::accounts::{view as account_view, AccountView};
use crate::actor::Holder;
use crate::desks::{HolderDesk, PublicDesk};
use crate::evidence::framework_by_slug;
use crate::registry::{audit, Registry};
use crate::ServiceError;

/// What a holder chooses about their public portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioSettings {
    /// The portfolio's address, `/p/{slug}`; none to have no public address.
    pub slug: Option<String>,
    /// Whether the portfolio is published at all (off by default).
    pub public: bool,
    /// Whether the public portfolio shows progress towards pathways.
    pub show_progress: bool,
}

/// A credential as a portfolio lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PortfolioCredential {
    pub award_id: String,
    /// The credential's URL: its page for people, its JSON for machines.
    pub url: String,
    pub achievement_name: String,
    pub achievement_description: String,
    pub image_url: Option<String>,
    pub pathway: String,
    pub issuer_name: String,
    pub issuer_slug: String,
    /// `active`, `revoked`, `suspended` or `expired`.
    pub state: String,
    pub status_reason: Option<String>,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub public: bool,
}

/// A piece of evidence as a portfolio lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PortfolioEvidence {
    pub id: String,
    pub statement: String,
    pub statement_text: String,
    pub level_claimed: String,
    pub level_confirmed: Option<String>,
    pub kind: String,
    pub narrative: String,
    pub date: String,
    pub provider: Option<String>,
    pub status: String,
    pub public: bool,
}

/// One competency statement of a pathway against the holder's attested level.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StatementCell {
    pub statement: String,
    pub text: String,
    /// The required level's name (e.g. "Familiarity").
    pub required: String,
    /// The required level's code (e.g. `familiarity`).
    pub required_code: String,
    pub required_rank: u8,
    /// The highest attested level's name, if any.
    pub held: Option<String>,
    pub held_rank: Option<u8>,
    /// How many levels the statement's taxonomy has.
    pub ranks: u8,
    pub met: bool,
}

/// The statements of one influencing factor (or of a layer without factors).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactorPicture {
    pub name: String,
    pub met: usize,
    pub cells: Vec<StatementCell>,
}

/// The statements of one layer, by factor.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LayerPicture {
    pub name: String,
    pub factors: Vec<FactorPicture>,
}

/// Progress towards one pathway, shaped for a picture: statements by layer and factor
/// against the levels reached and required.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PathwayPicture {
    pub framework: String,
    pub framework_version: String,
    pub pathway: String,
    pub name: String,
    /// "Foundational", "Advanced" or "Product-specific".
    pub kind: &'static str,
    pub complete: bool,
    pub required: usize,
    pub met: usize,
    /// Prerequisite pathways not yet complete, by name.
    pub prerequisites_missing: Vec<String>,
    pub next_step: Option<String>,
    pub layers: Vec<LayerPicture>,
}

impl PathwayPicture {
    /// Met requirements as a whole percentage (0 when nothing is required).
    pub fn percent(&self) -> usize {
        (self.met * 100).checked_div(self.required).unwrap_or(0)
    }
}

/// A portfolio: the public page's content, or (for its holder) everything with its
/// visibility.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioView {
    pub display_name: String,
    pub slug: Option<String>,
    pub public: bool,
    pub show_progress: bool,
    pub credentials: Vec<PortfolioCredential>,
    pub evidence: Vec<PortfolioEvidence>,
    pub progress: Vec<PathwayPicture>,
}

/// An archetype a holder may follow.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArchetypeChoice {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub chosen: bool,
}

/// A holder's dashboard: their pathways' progress (foundational first, then the
/// archetypes they follow, then product-specific pathways) and their archetype choices.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub account: AccountView,
    pub pathways: Vec<PathwayPicture>,
    pub archetypes: Vec<ArchetypeChoice>,
    pub evidence_by_status: Vec<(String, usize)>,
    pub credentials: usize,
    /// What waits for the account in the organisations where it holds a role, first on the
    /// page: assessors see the evidence waiting, issuers and admins their console.
    pub waiting: Vec<Waiting>,
}

/// Work waiting for the account in one organisation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Waiting {
    /// What waits, in a sentence: "3 pieces of evidence wait for an assessor".
    pub text: String,
    /// Where to do it.
    pub link: String,
    /// The link's words.
    pub action: String,
}

/// The framework whose pathways dashboards show.
const DASHBOARD_FRAMEWORK: &str = "nhs-ai-confidence-2022";

impl HolderDesk<'_> {
    /// Changes the holder's portfolio address and visibility. A public portfolio needs an
    /// address; an address taken by someone else is a conflict.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn update_portfolio(
        &self,
        settings: PortfolioSettings,
    ) -> Result<AccountView, ServiceError> {
        let holder = &self.holder;
        let slug = match settings.slug.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(s.to_owned()),
        };
        let mut problems = FormProblems::new();
        match &slug {
            Some(s) => problems.check("/slug", address_problem(s, "your portfolio's address")),
            None if settings.public => problems.add(
                "/slug",
                "Choose an address for your portfolio before publishing it.",
            ),
            None => {}
        }
        problems.finish().map_err(ServiceError::Invalid)?;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut row = own_account(&tx, holder).await?;
        if let Some(slug) = &slug {
            if let Some(other) = tx.account_by_portfolio(slug).await? {
                if other.id != row.id {
                    return Err(ServiceError::Conflict(format!(
                        "The portfolio address {slug} is taken by someone else; choose another."
                    )));
                }
            }
        }
        row.portfolio_slug = slug.clone();
        row.portfolio_public = settings.public;
        row.portfolio_show_progress = settings.show_progress;
        tx.update_account(row.clone()).await?;
        audit(
            &tx,
            now,
            &holder.label,
            "portfolio.settings",
            None,
            &format!("account:{}", row.id),
            json!({"slug": slug, "public": settings.public, "show_progress": settings.show_progress}),
        )
        .await?;
        let roles = crate::accounts::roles_of(&tx, &row.id).await?;
        tx.commit().await?;
        Ok(account_view(&row, roles))
    }

    /// Chooses the workforce archetypes the holder follows (codes of the dashboard
    /// framework's archetypes).
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn set_archetypes(&self, codes: &[String]) -> Result<AccountView, ServiceError> {
        let holder = &self.holder;
        let framework = self.dashboard_framework().await?;
        let mut chosen = BTreeSet::new();
        let mut problems = FormProblems::new();
        for (i, code) in codes.iter().enumerate() {
            let known = ArchetypeCode::new(code.trim())
                .ok()
                .filter(|c| framework.archetype(c).is_some());
            match known {
                Some(c) => {
                    chosen.insert(c.as_str().to_owned());
                }
                // One message says it for every unknown code.
                None if problems.is_empty() => problems.add(
                    &format!("/archetypes/{i}"),
                    "Choose your roles from the list of archetypes shown.",
                ),
                None => {}
            }
        }
        problems.finish().map_err(ServiceError::Invalid)?;
        let tx = self.store.write().await?;
        let mut row = own_account(&tx, holder).await?;
        row.archetypes = chosen.into_iter().collect::<Vec<_>>().join(",");
        tx.update_account(row.clone()).await?;
        let roles = crate::accounts::roles_of(&tx, &row.id).await?;
        tx.commit().await?;
        Ok(account_view(&row, roles))
    }

    /// Shows one of the holder's pieces of evidence on their public portfolio, or hides it.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn set_evidence_visibility(
        &self,
        id: &str,
        public: bool,
    ) -> Result<(), ServiceError> {
        let holder = &self.holder;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut row = tx
            .evidence(id)
            .await?
            .filter(|e| e.holder_id == holder.account_id)
            .ok_or_else(|| ServiceError::NotFound(format!("evidence '{id}'")))?;
        if row.public != public {
            row.public = public;
            row.updated_at = now;
            tx.update_evidence(row).await?;
            audit(
                &tx,
                now,
                &holder.label,
                "evidence.visibility",
                None,
                &format!("evidence:{id}"),
                json!({"public": public}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl PublicDesk<'_> {
    /// A published portfolio by its address: only the items its holder made public.
    /// An unpublished or unknown address is not found.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn public_portfolio(&self, slug: &str) -> Result<PortfolioView, ServiceError> {
        let not_found = || ServiceError::NotFound(format!("portfolio '{slug}'"));
        let tx = self.store.read().await?;
        let account = tx
            .account_by_portfolio(slug)
            .await?
            .filter(|a| a.portfolio_public)
            .ok_or_else(not_found)?;
        self.portfolio_of(&tx, &account, true).await
    }
}

impl HolderDesk<'_> {
    /// The holder's whole portfolio, each item with its visibility.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn own_portfolio(&self) -> Result<PortfolioView, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let account = own_account(&tx, holder).await?;
        self.portfolio_of(&tx, &account, false).await
    }

    /// The holder's dashboard.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn dashboard(&self) -> Result<Dashboard, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let account = own_account(&tx, holder).await?;
        let roles = crate::accounts::roles_of(&tx, &account.id).await?;
        let evidence = tx
            .evidence_of_holder(&account.id, Page::new(0, Page::MAX_LIMIT))
            .await?;
        let awards = tx.award_facts_of_holder(&account.id).await?;
        let framework = framework_by_slug(&tx, DASHBOARD_FRAMEWORK, None).await?;
        let mut pathways = Vec::new();
        let mut archetypes = Vec::new();
        if let Some(loaded) = framework {
            let attested = tx
                .attested_evidence_of(&account.id, loaded.id)
                .await?
                .into_iter()
                .collect::<Vec<_>>();
            let chosen: Vec<&str> = account.archetypes.split(',').collect();
            let started: BTreeSet<&str> = evidence
                .iter()
                .filter(|e| e.framework_id == loaded.id)
                .map(|e| e.statement_code.as_str())
                .collect();
            pathways = dashboard_pathways(&loaded.framework, &chosen, &started)
                .into_iter()
                .filter_map(|code| {
                    picture(
                        &loaded.framework,
                        &loaded.slug,
                        &loaded.version,
                        &code,
                        &attested,
                    )
                })
                .collect();
            archetypes = loaded
                .framework
                .document()
                .archetypes
                .iter()
                .map(|a| ArchetypeChoice {
                    code: a.code.as_str().to_owned(),
                    name: a.name.clone(),
                    summary: a.summary.clone(),
                    chosen: chosen.contains(&a.code.as_str()),
                })
                .collect();
        }
        let mut waiting = Vec::new();
        for role in &roles {
            let Some(org) = tx.org_by_slug(&role.org).await? else {
                continue;
            };
            match role.role {
                credence_domain::registry::Role::Assessor => {
                    let n = tx.count_evidence_queue(&org.id).await?;
                    waiting.push(Waiting {
                        text: match n {
                            0 => format!("No evidence waits for an assessor at {}.", org.name),
                            1 => format!(
                                "1 piece of evidence waits for an assessor at {}.",
                                org.name
                            ),
                            n => format!(
                                "{n} pieces of evidence wait for an assessor at {}.",
                                org.name
                            ),
                        },
                        link: "/assess".into(),
                        action: "Assess evidence".into(),
                    });
                }
                credence_domain::registry::Role::Issuer
                | credence_domain::registry::Role::Admin => {
                    let link = format!("/console/{}", org.slug);
                    if waiting.iter().any(|w: &Waiting| w.link == link) {
                        continue;
                    }
                    waiting.push(Waiting {
                        text: format!(
                            "You {} for {}: awards, achievements and what waits for a decision are in its console.",
                            if role.role == credence_domain::registry::Role::Issuer { "issue credentials" } else { "administer the organisation" },
                            org.name
                        ),
                        link,
                        action: format!("Open the console of {}", org.name),
                    });
                }
            }
        }
        let mut by_status: Vec<(String, usize)> = Vec::new();
        for status in EvidenceStatus::ALL {
            let n = evidence.iter().filter(|e| e.status == *status).count();
            by_status.push((status.to_string(), n));
        }
        Ok(Dashboard {
            account: account_view(&account, roles),
            pathways,
            archetypes,
            evidence_by_status: by_status,
            credentials: awards.len(),
            waiting,
        })
    }

    /// Everything the holder owns as one zip archive: each credential exactly as signed,
    /// each piece of evidence with its history and attachments, and an index.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn portfolio_archive(&self) -> Result<Vec<u8>, ServiceError> {
        let holder = &self.holder;
        let portfolio = self.own_portfolio().await?;
        let tx = self.store.read().await?;
        let awards = tx.awards_of_holder(&holder.account_id).await?;
        let evidence = tx
            .evidence_of_holder(&holder.account_id, Page::new(0, Page::MAX_LIMIT))
            .await?;
        let zip_error = |e: zip::result::ZipError| {
            ServiceError::internal_from("writing a portfolio archive", e)
        };
        let io_error =
            |e: std::io::Error| ServiceError::internal_from("writing a portfolio archive", e);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let put = |zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
                   name: &str,
                   bytes: &[u8]|
         -> Result<(), ServiceError> {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(bytes).map_err(io_error)
        };
        put(
            &mut zip,
            "README.txt",
            format!(
                "Everything {} holds in Credence ({}), exported on {}.\n\n\
                 credentials/  each credential exactly as its issuer signed it (Open Badges 3.0,\n\
                 \x20             W3C Verifiable Credentials); verify any of them at {}/verify\n\
                 evidence/     each piece of evidence: evidence.json (content and history) and\n\
                 \x20             its attachments\n\
                 portfolio.json  an index of the above\n",
                portfolio.display_name,
                self.config.base_url,
                self.now().format("%Y-%m-%d"),
                self.config.base_url,
            )
            .as_bytes(),
        )?;
        let index = serde_json::to_vec_pretty(&portfolio)
            .map_err(ServiceError::wrap("writing a portfolio index"))?;
        put(&mut zip, "portfolio.json", &index)?;
        for award in &awards {
            put(
                &mut zip,
                &format!("credentials/{}.json", award.id),
                award.credential.as_bytes(),
            )?;
        }
        for row in &evidence {
            let detail = self.evidence_detail(&row.id).await?;
            let json = serde_json::to_vec_pretty(&detail).map_err(ServiceError::wrap(
                "writing evidence into a portfolio archive",
            ))?;
            put(
                &mut zip,
                &format!("evidence/{}/evidence.json", row.id),
                &json,
            )?;
            for meta in tx.attachments_of(&row.id).await? {
                if let Some(file) = tx.attachment(&meta.id).await? {
                    let name = safe_file_name(&file.file_name);
                    put(
                        &mut zip,
                        &format!(
                            "evidence/{}/{}-{name}",
                            row.id,
                            &meta.id[..8.min(meta.id.len())]
                        ),
                        &file.content,
                    )?;
                }
            }
        }
        let cursor = zip.finish().map_err(zip_error)?;
        Ok(cursor.into_inner())
    }
}

impl Registry {
    async fn dashboard_framework(&self) -> Result<Arc<Framework>, ServiceError> {
        let tx = self.store.read().await?;
        framework_by_slug(&tx, DASHBOARD_FRAMEWORK, None)
            .await?
            .map(|f| f.framework)
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DASHBOARD_FRAMEWORK}'")))
    }

    /// A portfolio's content; `only_public` keeps just the items the holder published.
    async fn portfolio_of(
        &self,
        tx: &Tx,
        account: &AccountRow,
        only_public: bool,
    ) -> Result<PortfolioView, ServiceError> {
        let now = self.now();
        let awards: Vec<AwardRow> = tx
            .award_facts_of_holder(&account.id)
            .await?
            .into_iter()
            .filter(|a| a.public || !only_public)
            .collect();
        let mut achievements: HashMap<String, Option<AchievementRow>> = HashMap::new();
        let mut orgs: HashMap<String, Option<OrgRow>> = HashMap::new();
        let mut credentials = Vec::with_capacity(awards.len());
        for award in &awards {
            if !orgs.contains_key(&award.org_id) {
                orgs.insert(award.org_id.clone(), tx.org(&award.org_id).await?);
            }
            let achievement = match &award.achievement_id {
                Some(id) => {
                    if !achievements.contains_key(id) {
                        achievements.insert(id.clone(), tx.achievement(id).await?);
                    }
                    achievements.get(id).and_then(Option::as_ref)
                }
                None => None,
            };
            let Some(org) = orgs.get(&award.org_id).and_then(Option::as_ref) else {
                continue;
            };
            let expired = award.valid_until.is_some_and(|u| u < now);
            let state = if award.status == AwardStatus::Active && expired {
                "expired".to_owned()
            } else {
                award.status.to_string()
            };
            credentials.push(PortfolioCredential {
                award_id: award.id.to_string(),
                url: self.url(&format!("/credentials/{}", award.id)),
                achievement_name: achievement.map_or_else(
                    || "Credential issued through the VC-API".to_owned(),
                    |a| a.name.clone(),
                ),
                achievement_description: achievement
                    .map(|a| a.description.clone())
                    .unwrap_or_default(),
                image_url: achievement
                    .map(|a| self.url(&format!("/achievements/{}/image.svg", a.id))),
                pathway: achievement.map(|a| a.pathway.clone()).unwrap_or_default(),
                issuer_name: org.name.clone(),
                issuer_slug: org.slug.clone(),
                state,
                status_reason: award.status_reason.clone(),
                valid_from: award.valid_from.format("%-d %B %Y").to_string(),
                valid_until: award.valid_until.map(|u| u.format("%-d %B %Y").to_string()),
                public: award.public,
            });
        }
        let rows: Vec<EvidenceRow> = tx
            .evidence_of_holder(&account.id, Page::new(0, Page::MAX_LIMIT))
            .await?
            .into_iter()
            .filter(|e| e.public || !only_public)
            .collect();
        let framework = framework_by_slug(tx, DASHBOARD_FRAMEWORK, None).await?;
        let mut evidence = Vec::with_capacity(rows.len());
        for row in &rows {
            let text = match &framework {
                Some(f) if f.id == row.framework_id => f
                    .framework
                    .statement(&row.statement_code)
                    .map(|s| s.text.clone()),
                _ => None,
            };
            let level_name = |code: &LevelCode| match &framework {
                Some(f) => f
                    .framework
                    .level(code)
                    .map_or_else(|| code.to_string(), |l| l.name.clone()),
                None => code.to_string(),
            };
            evidence.push(PortfolioEvidence {
                id: row.id.clone(),
                statement: row.statement_code.to_string(),
                statement_text: text.unwrap_or_default(),
                level_claimed: level_name(&row.level_claimed),
                level_confirmed: row.level_confirmed.as_ref().map(level_name),
                kind: row.kind.to_string(),
                narrative: row.narrative.clone(),
                date: row.occurred_on.format("%-d %B %Y").to_string(),
                provider: row.provider.clone(),
                status: row.status.to_string(),
                public: row.public,
            });
        }
        let show_progress = account.portfolio_show_progress || !only_public;
        let mut progress = Vec::new();
        if show_progress {
            if let Some(loaded) = &framework {
                let attested = tx.attested_evidence_of(&account.id, loaded.id).await?;
                let chosen: Vec<&str> = account.archetypes.split(',').collect();
                let started: BTreeSet<&str> =
                    rows.iter().map(|e| e.statement_code.as_str()).collect();
                progress = dashboard_pathways(&loaded.framework, &chosen, &started)
                    .into_iter()
                    .filter_map(|code| {
                        picture(
                            &loaded.framework,
                            &loaded.slug,
                            &loaded.version,
                            &code,
                            &attested,
                        )
                    })
                    .collect();
            }
        }
        Ok(PortfolioView {
            display_name: account.display_name.clone(),
            slug: account.portfolio_slug.clone(),
            public: account.portfolio_public,
            show_progress: account.portfolio_show_progress,
            credentials,
            evidence,
            progress,
        })
    }
}

async fn own_account(tx: &Tx, holder: &Holder) -> Result<AccountRow, ServiceError> {
    tx.account(&holder.account_id)
        .await?
        .ok_or_else(|| ServiceError::Unauthenticated("Your account no longer exists.".into()))
}

/// The pathways a dashboard shows, in order: the foundational ones, the advanced pathways
/// of the archetypes the holder follows, then any other pathway with a statement the
/// holder has recorded evidence against (product-specific ones among them).
fn dashboard_pathways(
    framework: &Framework,
    chosen_archetypes: &[&str],
    started_statements: &BTreeSet<&str>,
) -> Vec<PathwayCode> {
    let pathways = &framework.document().pathways;
    let mut out: Vec<PathwayCode> = pathways
        .iter()
        .filter(|p| p.kind == PathwayKind::Foundational)
        .map(|p| p.code.clone())
        .collect();
    out.extend(
        pathways
            .iter()
            .filter(|p| {
                p.kind == PathwayKind::Advanced
                    && p.archetype
                        .as_ref()
                        .is_some_and(|a| chosen_archetypes.contains(&a.as_str()))
            })
            .map(|p| p.code.clone()),
    );
    let started_pathways: BTreeSet<&PathwayCode> = framework
        .document()
        .statements
        .iter()
        .filter(|s| started_statements.contains(s.code.as_str()))
        .map(|s| &s.pathway)
        .collect();
    for p in pathways {
        if started_pathways.contains(&p.code) && !out.contains(&p.code) {
            out.push(p.code.clone());
        }
    }
    out
}

/// A pathway's progress picture from the holder's attested evidence.
fn picture(
    framework: &Framework,
    slug: &str,
    version: &str,
    code: &PathwayCode,
    attested: &[EvidenceRow],
) -> Option<PathwayPicture> {
    let pathway = framework.pathway(code)?;
    let attained: Vec<Attainment> = attested
        .iter()
        .filter_map(|row| {
            Some(Attainment {
                statement: row.statement_code.clone(),
                level: row.level_confirmed.clone()?,
            })
        })
        .collect();
    let progress = credence_domain::progress(framework, code, &attained).ok()?;
    let status: HashMap<&StatementCode, _> = progress
        .requirements
        .iter()
        .map(|r| (&r.statement, r))
        .collect();
    let mut layers: Vec<LayerPicture> = Vec::new();
    for statement in framework.pathway_statements(code) {
        let Some(requirement) = status.get(&statement.code) else {
            continue;
        };
        let level_of = |c: &LevelCode| framework.level(c);
        let required = level_of(&requirement.required);
        let held = requirement.held.as_ref().and_then(level_of);
        let ranks = framework
            .taxonomy_of(&requirement.required)
            .map_or(0, |t| t.levels.len() as u8);
        let cell = StatementCell {
            statement: statement.code.as_str().to_owned(),
            text: statement.text.clone(),
            required: required.map_or_else(|| requirement.required.to_string(), |l| l.name.clone()),
            required_code: requirement.required.as_str().to_owned(),
            required_rank: required.map_or(0, |l| l.rank),
            held: held.map(|l| l.name.clone()),
            held_rank: held.map(|l| l.rank),
            ranks,
            met: requirement.met,
        };
        let factor_name = statement
            .factor
            .clone()
            .unwrap_or_else(|| statement.layer.clone());
        let layer = match layers.iter_mut().position(|l| l.name == statement.layer) {
            Some(i) => &mut layers[i],
            None => {
                layers.push(LayerPicture {
                    name: statement.layer.clone(),
                    factors: Vec::new(),
                });
                layers.last_mut()?
            }
        };
        let factor = match layer.factors.iter_mut().position(|f| f.name == factor_name) {
            Some(i) => &mut layer.factors[i],
            None => {
                layer.factors.push(FactorPicture {
                    name: factor_name,
                    met: 0,
                    cells: Vec::new(),
                });
                layer.factors.last_mut()?
            }
        };
        factor.met += usize::from(cell.met);
        factor.cells.push(cell);
    }
    let prerequisites_missing = progress
        .prerequisites
        .iter()
        .filter(|p| !p.complete)
        .map(|p| {
            framework
                .pathway(&p.pathway)
                .map_or_else(|| p.pathway.to_string(), |x| x.name.clone())
        })
        .collect();
    Some(PathwayPicture {
        framework: slug.to_owned(),
        framework_version: version.to_owned(),
        pathway: code.as_str().to_owned(),
        name: pathway.name.clone(),
        kind: pathway.kind.label(),
        complete: progress.complete,
        required: progress.required(),
        met: progress.met(),
        prerequisites_missing,
        next_step: progress.next_step(framework),
        layers,
    })
}

/// A file name safe inside an archive: no directories, no control characters.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed.to_owned()
    }
}
