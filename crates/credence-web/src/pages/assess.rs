//! The assessor's queue: evidence submitted to the organisations where the signed-in
//! person assesses, oldest first, each with its attachments and a decision form (attest at
//! the claimed level or a lower one, or reject with a comment).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::{EvidenceId, FrameworkSlug, OrgSlug};
use credence_service::evidence::{DecisionInput, QueueItem};
use credence_service::Page;
use serde::Deserialize;

use crate::error::record_id;
use crate::pages::credentials::NoticeQuery;
use crate::pages::holder::Choice;
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{form_errors, joined, render, render_with};
use crate::{AppState, WebError};

/// A queue item with the levels an assessor may confirm (the claimed one and those below).
pub struct QueueEntry {
    pub item: QueueItem,
    pub levels: Vec<Choice>,
    pub claimed_label: String,
}

/// One organisation's queue.
pub struct OrgQueue {
    pub org: String,
    pub org_name: String,
    pub entries: Vec<QueueEntry>,
}

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    error: Option<String>,
    queues: Vec<OrgQueue>,
}

async fn queues(state: &AppState, user: &SignedIn) -> Result<Vec<OrgQueue>, WebError> {
    let registry = &state.services.registry;
    let mut out = Vec::new();
    let orgs = user
        .nav
        .user
        .as_ref()
        .map(|u| u.assessor_orgs.clone())
        .unwrap_or_default();
    for slug in orgs {
        let slug: OrgSlug = record_id(&slug, "organisation")?;
        let assessor = registry.assessor(&user.actor, &slug).await?;
        let items = assessor
            .evidence_queue(Page::new(0, Page::MAX_LIMIT))
            .await?;
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            let (levels, claimed_label) = levels_up_to(state, &item).await?;
            entries.push(QueueEntry {
                item,
                levels,
                claimed_label,
            });
        }
        let org = assessor.organisation();
        out.push(OrgQueue {
            org: org.slug.clone(),
            org_name: org.name.clone(),
            entries,
        });
    }
    Ok(out)
}

/// The levels of the claimed level's taxonomy up to the claimed one, highest first.
async fn levels_up_to(
    state: &AppState,
    item: &QueueItem,
) -> Result<(Vec<Choice>, String), WebError> {
    let slug = FrameworkSlug::new(&item.evidence.framework).map_err(
        credence_service::ServiceError::wrap("reading an evidence framework slug"),
    )?;
    let fw = state
        .services
        .frameworks
        .get(&slug, Some(&item.evidence.framework_version))
        .await?;
    let claimed = credence_domain::LevelCode::new(&item.evidence.level_claimed).ok();
    let Some((taxonomy, level)) = claimed
        .as_ref()
        .and_then(|c| Some((fw.taxonomy_of(c)?, fw.level(c)?)))
    else {
        return Ok((Vec::new(), item.evidence.level_claimed.clone()));
    };
    let mut levels: Vec<Choice> = taxonomy
        .levels
        .iter()
        .filter(|l| l.rank <= level.rank)
        .map(|l| Choice {
            value: l.code.as_str().to_owned(),
            label: l.name.clone(),
        })
        .collect();
    levels.reverse();
    Ok((levels, level.name.clone()))
}

/// `GET /assess`.
pub async fn queue(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let queues = queues(&state, &user).await?;
    Ok(render(&AssessPage {
        nav: user.nav,
        title: "Evidence to assess",
        notice: notice(query.notice.as_deref()),
        error: None,
        queues,
    }))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    comment: Option<String>,
}

/// `POST /assess/{evidence_id}`: records a decision.
pub async fn decide(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    let input = DecisionInput {
        decision: form.decision,
        level: form.level.filter(|l| !l.is_empty()),
        comment: form.comment.filter(|c| !c.trim().is_empty()),
    };
    match state
        .services
        .registry
        .caller(&user.actor)
        .decide_evidence(&id, input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/assess?notice=decided").into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let message = joined(&errors);
            let queues = queues(&state, &user).await?;
            Ok(render_with(
                status,
                &AssessPage {
                    nav: user.nav,
                    title: "Evidence to assess",
                    notice: None,
                    error: Some(message),
                    queues,
                },
            ))
        }
    }
}
