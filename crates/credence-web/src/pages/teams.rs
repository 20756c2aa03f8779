//! Teams for the people in them: `/teams` (the signed-in person's invitations, to accept
//! or decline, and teams, to leave) and a team's page `/orgs/{org}/teams/{id}` (its
//! combined coverage, who covers what and its gaps; for its members and the
//! organisation's administrators only, 404 to anyone else), with the administrators'
//! invitation form on it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use credence_domain::registry::TeamMemberState;
use credence_domain::{OrgSlug, TeamId};
use credence_service::teams::{MyTeam, TeamCoverage};
use serde::{Deserialize, Deserializer};

use crate::error::record_id;
use crate::negotiate::Format;
use crate::pages::credentials::NoticeQuery;
use crate::pages::holder::Choice;
use crate::pages::session::{CsrfForm, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

fn team_notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "invited" => "The invitation is sent. The person counts towards the team once they accept.",
        "member" => {
            "You are a member of the team: your attested evidence counts towards its coverage."
        }
        "declined" => "You declined the invitation.",
        "left" => "You left the team.",
        "team-created" => "The team is made. Invite its members from its page.",
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "teams_mine.html")]
struct MyTeamsPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    teams: Vec<MyTeam>,
}

/// `GET /teams`: the signed-in person's invitations and teams (JSON when asked).
pub async fn mine(
    State(state): State<AppState>,
    user: SignedIn,
    format: Format,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let teams = state
        .services
        .registry
        .with_holder(&user.holder)
        .my_teams()
        .await?;
    if format == Format::Json {
        return Ok(Json(serde_json::json!({ "items": teams })).into_response());
    }
    Ok(render(&MyTeamsPage {
        nav: user.nav,
        title: "Your teams",
        notice: team_notice(query.notice.as_deref()),
        teams,
    }))
}

async fn answer(
    state: &AppState,
    user: &SignedIn,
    id: &str,
    csrf: &str,
    to: TeamMemberState,
) -> Result<Response, WebError> {
    user.check_csrf(csrf)?;
    let id: TeamId = record_id(id, "team")?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .answer_team(&id, to)
        .await?;
    Ok(Redirect::to(&format!("/teams?notice={to}")).into_response())
}

/// `POST /teams/{id}/accept`: accepts an invitation.
pub async fn accept(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    answer(&state, &user, &id, &form.csrf, TeamMemberState::Member).await
}

/// `POST /teams/{id}/decline`: declines an invitation.
pub async fn decline(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    answer(&state, &user, &id, &form.csrf, TeamMemberState::Declined).await
}

/// `POST /teams/{id}/leave`: leaves a team.
pub async fn leave(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    answer(&state, &user, &id, &form.csrf, TeamMemberState::Left).await
}

/// The invitation form: an e-mail address and the archetypes ticked (`archetype`, once
/// per box).
#[derive(Debug, Clone, Default)]
pub struct InviteForm {
    pub csrf: String,
    pub email: String,
    pub archetypes: Vec<String>,
}

impl<'de> Deserialize<'de> for InviteForm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        let mut form = InviteForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => form.csrf = v,
                "email" => form.email = v,
                "archetype" => form.archetypes.push(v),
                _ => {}
            }
        }
        Ok(form)
    }
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    t: TeamCoverage,
    archetypes: Vec<Choice>,
    form: InviteForm,
    errors: Vec<FieldError>,
}

impl TeamPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn ticked(&self, code: &str) -> bool {
        self.form.archetypes.iter().any(|a| a == code)
    }
}

async fn team_page(
    state: &AppState,
    user: SignedIn,
    slug: &str,
    id: &str,
    form: InviteForm,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<TeamPage, WebError> {
    let slug: OrgSlug = record_id(slug, "organisation")?;
    let id: TeamId = record_id(id, "team")?;
    let t = state
        .services
        .registry
        .caller(&user.actor)
        .team(&slug, &id)
        .await?;
    let archetypes = state
        .services
        .registry
        .public()
        .framework_choices()
        .await?
        .archetypes
        .into_iter()
        .map(|(value, label)| Choice { value, label })
        .collect();
    Ok(TeamPage {
        nav: user.nav,
        title: t.team.name.clone(),
        notice,
        t,
        archetypes,
        form,
        errors,
    })
}

/// `GET /orgs/{org}/teams/{id}`: the team's page (or its JSON when asked).
pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    format: Format,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    if format == Format::Json {
        let slug: OrgSlug = record_id(&slug, "organisation")?;
        let id: TeamId = record_id(&id, "team")?;
        let t = state
            .services
            .registry
            .caller(&user.actor)
            .team(&slug, &id)
            .await?;
        return Ok(Json(t).into_response());
    }
    let notice = team_notice(query.notice.as_deref());
    let page = team_page(
        &state,
        user,
        &slug,
        &id,
        InviteForm::default(),
        Vec::new(),
        notice,
    )
    .await?;
    Ok(render(&page))
}

/// `POST /orgs/{org}/teams/{id}/invite`: an administrator invites a person.
pub async fn invite(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<InviteForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let org: OrgSlug = record_id(&slug, "organisation")?;
    let team: TeamId = record_id(&id, "team")?;
    let registry = &state.services.registry;
    let outcome = registry
        .org_admin(&user.actor, &org)
        .await?
        .invite_to_team(&team, &form.email, &form.archetypes)
        .await;
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/orgs/{org}/teams/{team}?notice=invited")).into_response())
        }
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = team_page(&state, user, &slug, &id, form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}
