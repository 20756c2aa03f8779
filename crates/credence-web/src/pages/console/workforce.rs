//! The console's workforce view (administrators): people by archetype, heat maps of
//! factor by level (a real table whose cells carry their numbers in words, colour only
//! repeating them), credentials held, targets with the form that sets one, attestations
//! and awards by month, credentials expiring; as a page, JSON, or CSV. Every count is as
//! the service published it, after small-number suppression.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use credence_domain::disclosure::Shown;
use credence_domain::TargetId;
use credence_service::workforce::{HeatCell, NewTarget, Scope, WorkforceView};
use serde::Deserialize;

use super::{console_for, Console};
use crate::api::teams::ScopeQuery;
use crate::error::record_id;
use crate::negotiate::Format;
use crate::pages::holder::Choice;
use crate::pages::session::{notice, CsrfForm, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    archetype: String,
    #[serde(default)]
    pathway: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    due: String,
}

#[derive(Template)]
#[template(path = "console_workforce.html")]
struct WorkforcePage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    w: WorkforceView,
    archetypes: Vec<Choice>,
    pathways: Vec<Choice>,
    form: TargetForm,
    errors: Vec<FieldError>,
}

impl WorkforcePage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    /// Whether this is the system's view (across affiliated organisations).
    fn system(&self) -> bool {
        self.w.scope == Scope::System
    }

    /// A count as published, in words.
    fn shown(s: &Shown) -> String {
        s.words()
    }

    /// A heat-map cell's text: "12 (60%)", "fewer than 5", "withheld".
    fn cell_text(c: &HeatCell) -> String {
        match c.percent {
            Some(p) => format!("{} ({p}%)", c.people.words()),
            None => c.people.words(),
        }
    }

    /// A heat-map cell's shade: one of five bands of the share, or none when withheld.
    fn cell_class(c: &HeatCell) -> &'static str {
        match c.percent {
            None => "heat-na",
            Some(p) if p >= 80 => "heat-4",
            Some(p) if p >= 60 => "heat-3",
            Some(p) if p >= 40 => "heat-2",
            Some(p) if p >= 20 => "heat-1",
            Some(_) => "heat-0",
        }
    }
}

/// `?notice=` and `?scope=` of the page.
#[derive(Debug, Default, Deserialize)]
pub struct WorkforceQuery {
    #[serde(default)]
    notice: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

impl WorkforceQuery {
    fn scope(&self) -> Result<Scope, WebError> {
        ScopeQuery {
            scope: self.scope.clone(),
        }
        .scope()
    }
}

async fn workforce_page(
    state: &AppState,
    user: SignedIn,
    (c, scope): (Console, Scope),
    form: TargetForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<WorkforcePage, WebError> {
    let registry = &state.services.registry;
    let w = registry
        .with_org_admin(c.admin()?)
        .workforce_in(scope)
        .await?;
    let choices = registry.public().framework_choices().await?;
    let to_choices = |list: Vec<(String, String)>| {
        list.into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect()
    };
    Ok(WorkforcePage {
        nav: user.nav,
        title: format!("Workforce of {}", c.name),
        notice: notice(notice_code),
        c,
        w,
        archetypes: to_choices(choices.archetypes),
        pathways: to_choices(choices.target_pathways),
        form,
        errors,
    })
}

/// `GET /console/{org}/workforce` (admins): the page, or the view as JSON when asked.
pub async fn workforce(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<WorkforceQuery>,
    format: Format,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "workforce").await?;
    let scope = query.scope()?;
    if format == Format::Json {
        let w = state
            .services
            .registry
            .with_org_admin(c.admin()?)
            .workforce_in(scope)
            .await?;
        return Ok(Json(w).into_response());
    }
    let form = TargetForm {
        percent: "80".into(),
        ..TargetForm::default()
    };
    let page = workforce_page(
        &state,
        user,
        (c, scope),
        form,
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&page))
}

/// `GET /console/{org}/workforce.csv` (admins): the published figures as CSV.
pub async fn csv(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<ScopeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "workforce").await?;
    let scope = query.scope()?;
    let w = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .workforce_in(scope)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"workforce-{}{}.csv\"",
                    c.slug,
                    if scope == Scope::System {
                        "-system"
                    } else {
                        ""
                    }
                ),
            ),
        ],
        w.csv(),
    )
        .into_response())
}

/// `POST /console/{org}/workforce/targets`: sets a target.
pub async fn add_target(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<TargetForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "workforce").await?;
    let outcome = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .add_target(NewTarget {
            archetype: form.archetype.clone(),
            pathway: form.pathway.clone(),
            percent: form.percent.clone(),
            due: form.due.clone(),
        })
        .await;
    match outcome {
        Ok(()) => Ok(
            Redirect::to(&format!("/console/{}/workforce?notice=target-set", c.slug))
                .into_response(),
        ),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page =
                workforce_page(&state, user, (c, Scope::Organisation), form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}

/// `POST /console/{org}/workforce/targets/{id}/remove`: removes a target.
pub async fn remove_target(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "workforce").await?;
    let id: TargetId = record_id(&id, "target")?;
    state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .remove_target(&id)
        .await?;
    Ok(Redirect::to(&format!(
        "/console/{}/workforce?notice=target-removed",
        c.slug
    ))
    .into_response())
}
