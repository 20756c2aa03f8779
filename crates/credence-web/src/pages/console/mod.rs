//! The issuer console of one organisation: a work queue (recent and suspended awards, bulk
//! jobs) and its sections. Issuers publish achievements, award, bulk award, change
//! statuses and accredit; admins manage members, tokens and keys and read the audit trail.
//! Every page checks who may see it, and every action goes through the service, which
//! decides authorisation again with the role's proof type.

pub mod admin;
pub mod affiliations;
mod audit_words;
pub mod award_list;
pub mod awards;
pub mod bulk;
pub mod claims;
pub mod expiry;
pub mod missing;
pub mod products;
pub mod teams;
pub mod workforce;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use credence_domain::registry::{AwardStatus, BulkJobState, OrgKind};
use credence_domain::{OrgId, OrgSlug};
use credence_service::actor::{Issuer, OrgAdmin};
use credence_service::awards::AwardView;
use credence_service::bulk::BulkJobView;
use credence_service::Page;

use crate::error::record_id;
use crate::pages::credentials::NoticeQuery;
use crate::pages::render;
use crate::pages::session::{notice, Nav, SignedIn};
use crate::{AppState, WebError};
pub use audit_words::{audit_lines, AuditLine};

/// How many recent awards and bulk jobs the overview shows.
const OVERVIEW_ROWS: u64 = 10;

/// What every console page knows about its organisation and the viewer's roles there (as
/// the proofs the service asks for); the section navigation shows only the sections the
/// viewer may open.
#[derive(Debug, Clone)]
pub struct Console {
    pub org_id: OrgId,
    pub slug: OrgSlug,
    pub name: String,
    pub is_issuer: bool,
    pub is_admin: bool,
    /// Whether the organisation is an accrediting body (it accredits providers).
    pub is_body: bool,
    /// The section shown, for `aria-current` in the section navigation.
    pub section: &'static str,
    /// The public address, when only this machine can reach it: issuers are warned that
    /// credentials issued now will name it.
    pub local_public_url: Option<String>,
    issuer: Option<Issuer>,
    admin: Option<OrgAdmin>,
}

impl Console {
    /// Whether `section` is the one shown.
    pub fn here(&self, section: &str) -> bool {
        self.section == section
    }

    /// The issuer proof, or a 403 naming the role the page needs.
    pub fn issuer(&self) -> Result<&Issuer, WebError> {
        self.issuer.as_ref().ok_or_else(|| self.refuse("issuer"))
    }

    /// The admin proof, or a 403 naming the role the page needs.
    pub fn admin(&self) -> Result<&OrgAdmin, WebError> {
        self.admin.as_ref().ok_or_else(|| self.refuse("admin"))
    }

    fn refuse(&self, role: &str) -> WebError {
        WebError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "This part of the console of {} needs the {role} role there, which you do not hold.",
                self.name
            ),
        )
    }
}

/// The console of an organisation and the viewer's roles there; a viewer with neither the
/// issuer nor the admin role is refused (403), an unknown organisation is 404.
pub async fn console_for(
    state: &AppState,
    user: &SignedIn,
    slug: &str,
    section: &'static str,
) -> Result<Console, WebError> {
    let slug: OrgSlug = record_id(slug, "organisation")?;
    let org = state.services.registry.public().org(&slug).await?;
    let issuer = user.actor.issuer(&org).ok();
    let admin = user.actor.org_admin(&org).ok();
    if issuer.is_none() && admin.is_none() {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "The console of {} is for its issuers and administrators, and you hold neither role there.",
                org.name
            ),
        ));
    }
    Ok(Console {
        org_id: org.id.clone(),
        slug,
        name: org.name.clone(),
        is_issuer: issuer.is_some(),
        is_admin: admin.is_some(),
        is_body: org.kind == OrgKind::AccreditingBody,
        section,
        local_public_url: {
            let config = state.services.registry.config();
            config
                .public_url_is_local()
                .then(|| config.base_url.clone())
        },
        issuer,
        admin,
    })
}

/// An RFC 3339 time as people read it: `2026-11-28 09:30 UTC`.
pub fn when(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%-d %B %Y, %H:%M UTC")
            .to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// An award as a console list shows it.
#[derive(Debug, Clone)]
pub struct AwardLine {
    pub id: String,
    pub achievement: String,
    pub status: AwardStatus,
    pub reason: Option<String>,
    pub issued: String,
    pub overridden: bool,
}

/// Lines for awards, naming each award's achievement.
pub fn award_lines(
    awards: Vec<AwardView>,
    achievements: &[credence_service::awards::AchievementView],
) -> Vec<AwardLine> {
    awards
        .into_iter()
        .map(|a| {
            let achievement = a
                .achievement_id
                .as_ref()
                .and_then(|id| achievements.iter().find(|x| x.uuid == *id))
                .map_or_else(
                    || "Accreditation or VC-API credential".to_owned(),
                    |x| x.name.clone(),
                );
            AwardLine {
                issued: when(&a.created_at),
                overridden: a.override_justification.is_some(),
                id: a.id.into_string(),
                achievement,
                status: a.status,
                reason: a.status_reason,
            }
        })
        .collect()
}

/// A bulk job as a console list shows it.
#[derive(Debug, Clone)]
pub struct JobLine {
    pub id: String,
    pub achievement: String,
    pub state: BulkJobState,
    pub total: i64,
    pub done: i64,
    pub refused: i64,
    pub created: String,
}

/// Lines for bulk jobs, naming each job's achievement.
pub fn job_lines(
    jobs: Vec<BulkJobView>,
    achievements: &[credence_service::awards::AchievementView],
) -> Vec<JobLine> {
    jobs.into_iter()
        .map(|j| JobLine {
            achievement: achievements
                .iter()
                .find(|x| x.uuid == j.achievement_id)
                .map_or_else(|| j.achievement_id.to_string(), |x| x.name.clone()),
            created: when(&j.created_at),
            id: j.id.into_string(),
            state: j.state,
            total: j.total,
            done: j.done,
            refused: j.refused,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "console_overview.html")]
struct OverviewPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    achievements: usize,
    recent: Vec<AwardLine>,
    suspended: Vec<AwardLine>,
    jobs: Vec<JobLine>,
    trail: Vec<AuditLine>,
}

/// `GET /console/{org}`: what needs attention now, and the way to every section.
pub async fn overview(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "overview").await?;
    let registry = &state.services.registry;
    let achievements = registry.public().achievements(&c.slug).await?;
    let (mut recent, mut suspended, mut jobs, mut trail) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    if let Ok(issuer) = c.issuer() {
        // Suspended awards wait for a decision (reinstate or revoke): they are looked for
        // among the latest awards the service lists in one page.
        let latest = registry
            .with_issuer(issuer)
            .org_awards(Page::new(0, Page::MAX_LIMIT))
            .await?;
        suspended = award_lines(
            latest
                .iter()
                .filter(|a| a.status == AwardStatus::Suspended)
                .cloned()
                .collect(),
            &achievements,
        );
        recent = award_lines(
            latest.into_iter().take(OVERVIEW_ROWS as usize).collect(),
            &achievements,
        );
        jobs = job_lines(
            registry
                .with_issuer(issuer)
                .org_bulk_jobs(Page::new(0, OVERVIEW_ROWS))
                .await?,
            &achievements,
        );
    }
    if let Ok(admin) = c.admin() {
        trail = audit_lines(
            c.slug.as_str(),
            registry
                .with_org_admin(admin)
                .org_audit(Page::new(0, OVERVIEW_ROWS))
                .await?,
        );
    }
    Ok(render(&OverviewPage {
        nav: user.nav,
        title: format!("{} console", c.name),
        notice: notice(query.notice.as_deref()),
        achievements: achievements.len(),
        c,
        recent,
        suspended,
        jobs,
        trail,
    }))
}
