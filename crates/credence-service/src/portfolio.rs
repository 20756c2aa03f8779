//! Portfolios and dashboards: what a holder shows the world (a public page at an address
//! they choose, off by default, item by item), the progress picture of their pathways, and
//! an export of everything they own as one archive.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use credence_domain::registry::{AwardStatus, EvidenceStatus};
use credence_domain::validate::address_problem;
use credence_domain::{AchievementId, EvidenceId, OrgId};
use credence_domain::{
    ArchetypeCode, FormProblems, Framework, LevelCode, PathwayCode, PathwayKind, StatementCode,
};
use credence_store::registry::{AccountRow, AchievementRow, AwardRow, EvidenceRow, OrgRow, Page};
use credence_store::Tx;
use serde::Serialize;
use serde_json::json;

use crate::accounts::{view as account_view, AccountView};
use crate::actor::Holder;
use crate::desks::{HolderDesk, PublicDesk};
use crate::evidence::{attainments, framework_by_slug, LoadedFramework};
use crate::registry::{audit, Registry};
use crate::ServiceError;

mod archive;
mod dashboard;
mod pictures;

pub use dashboard::{ArchetypeChoice, Dashboard, Waiting};
use pictures::pictures;
pub use pictures::{FactorPicture, LayerPicture, PathwayPicture, StatementCell};

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
    /// For a copy of an award in a wallet (OpenID4VCI): the id of the award it copies.
    pub copy_of: Option<String>,
}

/// A piece of evidence as a portfolio lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PortfolioEvidence {
    pub id: EvidenceId,
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

    /// Shows one of the holder's pieces of evidence on their public portfolio, or hides it.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn set_evidence_visibility(
        &self,
        id: &EvidenceId,
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
}

impl Registry {
    /// A portfolio's content; `only_public` keeps just the items the holder published.
    async fn portfolio_of(
        &self,
        tx: &Tx,
        account: &AccountRow,
        only_public: bool,
    ) -> Result<PortfolioView, ServiceError> {
        let credentials = self.portfolio_credentials(tx, account, only_public).await?;
        let rows: Vec<EvidenceRow> = tx
            .evidence_of_holder(&account.id, Page::new(0, Page::MAX_LIMIT))
            .await?
            .into_iter()
            .filter(|e| e.public || !only_public)
            .collect();
        let framework = framework_by_slug(tx, DASHBOARD_FRAMEWORK, None).await?;
        let evidence = rows
            .iter()
            .map(|row| portfolio_evidence(framework.as_ref(), row))
            .collect();
        let show_progress = account.portfolio_show_progress || !only_public;
        let mut progress = Vec::new();
        if show_progress {
            if let Some(loaded) = &framework {
                let attested = tx.attested_evidence_of(&account.id, loaded.id).await?;
                let chosen: Vec<&str> = account.archetypes.split(',').collect();
                let started: BTreeSet<&str> =
                    rows.iter().map(|e| e.statement_code.as_str()).collect();
                progress = pictures(loaded, &chosen, &started, &attested);
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

    /// The credentials of a portfolio, each with its issuer and achievement; `only_public`
    /// keeps just those the holder published.
    async fn portfolio_credentials(
        &self,
        tx: &Tx,
        account: &AccountRow,
        only_public: bool,
    ) -> Result<Vec<PortfolioCredential>, ServiceError> {
        let now = self.now();
        let awards: Vec<AwardRow> = tx
            .award_facts_of_holder(&account.id)
            .await?
            .into_iter()
            .filter(|a| a.public || !only_public)
            .collect();
        let mut achievements: HashMap<AchievementId, Option<AchievementRow>> = HashMap::new();
        let mut orgs: HashMap<OrgId, Option<OrgRow>> = HashMap::new();
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
            credentials.push(self.portfolio_credential(award, achievement, org, now));
        }
        Ok(credentials)
    }

    /// An award as a portfolio lists it, `expired` once past its end at `now`.
    fn portfolio_credential(
        &self,
        award: &AwardRow,
        achievement: Option<&AchievementRow>,
        org: &OrgRow,
        now: DateTime<Utc>,
    ) -> PortfolioCredential {
        let expired = award.valid_until.is_some_and(|u| u < now);
        let state = if award.status == AwardStatus::Active && expired {
            "expired".to_owned()
        } else {
            award.status.to_string()
        };
        PortfolioCredential {
            award_id: award.id.to_string(),
            url: self.url(&format!("/credentials/{}", award.id)),
            achievement_name: achievement.map_or_else(
                || "Credential issued through the VC-API".to_owned(),
                |a| a.name.clone(),
            ),
            achievement_description: achievement
                .map(|a| a.description.clone())
                .unwrap_or_default(),
            image_url: achievement.map(|a| self.url(&format!("/achievements/{}/image.svg", a.id))),
            pathway: achievement.map(|a| a.pathway.clone()).unwrap_or_default(),
            issuer_name: org.name.clone(),
            issuer_slug: org.slug.clone(),
            state,
            status_reason: award.status_reason.clone(),
            valid_from: award.valid_from.format("%-d %B %Y").to_string(),
            valid_until: award.valid_until.map(|u| u.format("%-d %B %Y").to_string()),
            public: award.public,
            copy_of: award.reissue_of.as_ref().map(ToString::to_string),
        }
    }
}

/// A piece of evidence as a portfolio lists it, its statement and levels named from the
/// dashboard framework when the evidence is of that framework.
fn portfolio_evidence(framework: Option<&LoadedFramework>, row: &EvidenceRow) -> PortfolioEvidence {
    let text = match framework {
        Some(f) if f.id == row.framework_id => f
            .framework
            .statement(&row.statement_code)
            .map(|s| s.text.clone()),
        _ => None,
    };
    let level_name = |code: &LevelCode| match framework {
        Some(f) => f
            .framework
            .level(code)
            .map_or_else(|| code.to_string(), |l| l.name.clone()),
        None => code.to_string(),
    };
    PortfolioEvidence {
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
    }
}

async fn own_account(tx: &Tx, holder: &Holder) -> Result<AccountRow, ServiceError> {
    tx.account(&holder.account_id)
        .await?
        .ok_or_else(|| ServiceError::Unauthenticated("Your account no longer exists.".into()))
}
