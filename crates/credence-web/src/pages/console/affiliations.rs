//! The console's affiliations section (administrators): the organisations affiliated to
//! this one (an integrated care system's members) and the systems it is affiliated to, with
//! the form that proposes an affiliation and the buttons that accept, decline or end one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::OrgSlug;
use credence_service::affiliations::Affiliations;
use credence_service::ServiceError;
use serde::Deserialize;

use super::{console_for, Console};
use crate::pages::credentials::NoticeQuery;
use crate::pages::session::{notice, CsrfForm, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProposeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    org: String,
}

#[derive(Template)]
#[template(path = "console_affiliations.html")]
struct AffiliationsPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    a: Affiliations,
    form: ProposeForm,
    errors: Vec<FieldError>,
}

impl AffiliationsPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: ProposeForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<AffiliationsPage, WebError> {
    let a = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .affiliations()
        .await?;
    Ok(AffiliationsPage {
        nav: user.nav,
        title: format!("Affiliations of {}", c.name),
        notice: notice(notice_code),
        c,
        a,
        form,
        errors,
    })
}

/// The organisation named in a path or form, read at the edge (a malformed slug answers
/// the 404 of a missing organisation).
fn other_slug(text: &str) -> Result<OrgSlug, WebError> {
    OrgSlug::new(text.trim()).map_err(|_| {
        WebError::from(ServiceError::NotFound(format!(
            "organisation '{}'",
            text.trim()
        )))
    })
}

/// `GET /console/{org}/affiliations` (admins).
pub async fn affiliations(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "affiliations").await?;
    let p = page(
        &state,
        user,
        c,
        ProposeForm::default(),
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&p))
}

/// `POST /console/{org}/affiliations`: proposes that another organisation affiliate.
pub async fn propose(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<ProposeForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "affiliations").await?;
    let desk = state.services.registry.with_org_admin(c.admin()?);
    let outcome = match OrgSlug::new(form.org.trim()) {
        Ok(other) => desk.propose_affiliation(&other).await,
        Err(_) => Err(ServiceError::invalid(
            "/org",
            "Give the organisation's short name, as in its address: /orgs/short-name.",
        )),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/affiliations?notice=affiliation-proposed",
            c.slug
        ))
        .into_response()),
        Err(ServiceError::NotFound(_)) => {
            let errors = vec![FieldError {
                field: "org".into(),
                message: "There is no organisation with that short name.".into(),
            }];
            let p = page(&state, user, c, form, errors, None).await?;
            Ok(render_with(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                &p,
            ))
        }
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let p = page(&state, user, c, form, errors, None).await?;
            Ok(render_with(status, &p))
        }
    }
}

/// `POST /console/{org}/affiliations/{other}/accept`: accepts a system's proposal.
pub async fn accept(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, other)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    answer(&state, &user, (&slug, &other), &form, true).await
}

/// `POST /console/{org}/affiliations/{other}/end`: ends, declines or withdraws one.
pub async fn end(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, other)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    answer(&state, &user, (&slug, &other), &form, false).await
}

/// Accepts (or ends) the affiliation with `other`, then shows the list again.
async fn answer(
    state: &AppState,
    user: &SignedIn,
    (slug, other): (&str, &str),
    form: &CsrfForm,
    accept: bool,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(state, user, slug, "affiliations").await?;
    let other = other_slug(other)?;
    let desk = state.services.registry.with_org_admin(c.admin()?);
    let notice = if accept {
        desk.accept_affiliation(&other).await?;
        "affiliation-accepted"
    } else {
        desk.end_affiliation(&other).await?;
        "affiliation-ended"
    };
    Ok(Redirect::to(&format!("/console/{}/affiliations?notice={notice}", c.slug)).into_response())
}
