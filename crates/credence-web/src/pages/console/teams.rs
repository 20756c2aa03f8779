//! The console's teams section (administrators): the organisation's teams, each linking to
//! its page, and the form that makes one (a name, the AI product, a product pathway).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_service::teams::{NewTeam, TeamView};
use serde::Deserialize;

use super::{console_for, Console};
use crate::pages::credentials::NoticeQuery;
use crate::pages::holder::Choice;
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    product_name: String,
    #[serde(default)]
    product_pathway: String,
}

#[derive(Template)]
#[template(path = "console_teams.html")]
struct TeamsPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    teams: Vec<TeamView>,
    pathways: Vec<Choice>,
    form: TeamForm,
    errors: Vec<FieldError>,
}

impl TeamsPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn teams_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: TeamForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<TeamsPage, WebError> {
    let registry = &state.services.registry;
    let teams = registry.with_org_admin(c.admin()?).teams().await?;
    let pathways = registry
        .public()
        .framework_choices()
        .await?
        .product_pathways
        .into_iter()
        .map(|(value, label)| Choice { value, label })
        .collect();
    Ok(TeamsPage {
        nav: user.nav,
        title: format!("Teams of {}", c.name),
        notice: notice(notice_code),
        c,
        teams,
        pathways,
        form,
        errors,
    })
}

/// `GET /console/{org}/teams` (admins).
pub async fn teams(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "teams").await?;
    let page = teams_page(
        &state,
        user,
        c,
        TeamForm::default(),
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&page))
}

/// `POST /console/{org}/teams`: makes a team, then shows its page.
pub async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<TeamForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "teams").await?;
    let outcome = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .create_team(NewTeam {
            name: form.name.clone(),
            product_name: form.product_name.clone(),
            product_pathway: form.product_pathway.clone(),
        })
        .await;
    match outcome {
        Ok(team) => Ok(Redirect::to(&format!(
            "/orgs/{}/teams/{}?notice=team-created",
            c.slug, team.id
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = teams_page(&state, user, c, form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}
