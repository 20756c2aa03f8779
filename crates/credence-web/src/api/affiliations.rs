//! Affiliations as JSON (an organisation's administrators): the organisations affiliated
//! to it and the systems it is affiliated to; proposing, accepting and ending one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use credence_domain::OrgSlug;
use credence_service::affiliations::{AffiliationView, Affiliations};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use crate::auth::CurrentActor;
use crate::error::record_id;
use crate::{AppState, WebError};

/// A proposal: the organisation asked to affiliate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The organisation's slug.
    pub org: String,
}

/// `GET /api/v1/orgs/{slug}/affiliations` (org admin).
#[utoipa::path(get, path = "/orgs/{slug}/affiliations", tag = "teams",
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 200, description = "`{org, members: [{org, org_name, state, invited_at, answered_at}], systems: [...]}`: the organisations affiliated to this one (or asked to be), and the systems it is affiliated to (or asked by)"),
        (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)
    ))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
) -> Result<Json<Affiliations>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let list = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?
        .affiliations()
        .await?;
    Ok(Json(list))
}

/// `POST /api/v1/orgs/{slug}/affiliations` (org admin): asks `org` to affiliate to this
/// organisation; its administrators are told and decide.
#[utoipa::path(post, path = "/orgs/{slug}/affiliations", tag = "teams",
    params(("slug" = String, Path, description = "The organisation's slug (the system)")),
    request_body = Proposal,
    responses(
        (status = 201, description = "`{org, org_name, state: \"invited\", invited_at, answered_at}`"),
        (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem),
        (status = 404, description = "No such organisation", body = crate::error::Problem),
        (status = 409, description = "Already affiliated either way, or asked to be", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)
    ))]
pub async fn propose(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<Proposal>,
) -> Result<(StatusCode, Json<AffiliationView>), WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let other: OrgSlug = record_id(&body.org, "organisation")?;
    let made = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?
        .propose_affiliation(&other)
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// `POST /api/v1/orgs/{slug}/affiliations/{other}/accept` (org admin): accepts the
/// affiliation the system `other` proposed.
#[utoipa::path(post, path = "/orgs/{slug}/affiliations/{other}/accept", tag = "teams",
    params(("slug" = String, Path, description = "The organisation's slug"), ("other" = String, Path, description = "The system's slug")),
    responses(
        (status = 200, description = "`{org, org_name, state: \"accepted\", invited_at, answered_at}`"),
        (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem),
        (status = 404, description = "No affiliation proposed by `other`", body = crate::error::Problem),
        (status = 409, description = "Already accepted", body = crate::error::Problem)
    ))]
pub async fn accept(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, other)): Path<(String, String)>,
) -> Result<Json<AffiliationView>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let other: OrgSlug = record_id(&other, "organisation")?;
    let done = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?
        .accept_affiliation(&other)
        .await?;
    Ok(Json(done))
}

/// `DELETE /api/v1/orgs/{slug}/affiliations/{other}` (org admin): ends the affiliation
/// with `other` on either side, or declines or withdraws one proposed.
#[utoipa::path(delete, path = "/orgs/{slug}/affiliations/{other}", tag = "teams",
    params(("slug" = String, Path, description = "The organisation's slug"), ("other" = String, Path, description = "The other organisation's slug")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem),
        (status = 404, description = "No affiliation between the two", body = crate::error::Problem)
    ))]
pub async fn end(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, other)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let other: OrgSlug = record_id(&other, "organisation")?;
    state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?
        .end_affiliation(&other)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
