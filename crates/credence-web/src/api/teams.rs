//! Teams and the workforce view as JSON: a team's combined coverage (its members and the
//! organisation's administrators only; 404 for anyone else) and an organisation's
//! workforce view (its administrators).

use axum::extract::{Path, Query, State};
use axum::Json;
use credence_domain::{OrgSlug, TeamId};
use credence_service::teams::TeamCoverage;
use credence_service::workforce::{Scope, WorkforceView};
use credence_service::ServiceError;
use serde::Deserialize;

use crate::auth::CurrentActor;
use crate::error::record_id;
use crate::{AppState, WebError};

/// `GET /api/v1/orgs/{slug}/teams/{id}`: a team's members (accepted, and invitations not
/// counted), for each pathway it covers (the advanced pathway of each archetype its members
/// play, then its product-specific pathway) every requirement with who covers it at which
/// level, the gaps, and the pathway that would close the most gaps (`best`).
#[utoipa::path(get, path = "/orgs/{slug}/teams/{id}", tag = "teams",
    params(("slug" = String, Path, description = "The organisation's slug"), ("id" = String, Path, description = "The team's id")),
    responses(
        (status = 200, description = "`{team, framework, framework_version, quote, quote_line, members: [{account_id, display_name, archetypes, archetype_names, state}], not_counted: [...], pathways: [{pathway, name, kind, required, covered, gaps, requirements: [{statement, text, layer, factor, level, level_name, covered_by: [{display_name, level}]}]}], gap_count, best: {pathway, name, closes, statements}, others: [...], can_manage}`"),
        (status = 401, body = crate::error::Problem),
        (status = 404, description = "No such team, or the caller is neither one of its members nor an administrator of its organisation", body = crate::error::Problem)
    ))]
pub async fn team(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<TeamCoverage>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let id: TeamId = record_id(&id, "team")?;
    let team = state
        .services
        .registry
        .caller(&current.actor)
        .team(&slug, &id)
        .await?;
    Ok(Json(team))
}

/// `GET /api/v1/orgs/{slug}/workforce` (org admin): the organisation's workforce view,
/// every count after small-number suppression, as `{"shown": "exact", "value": 12}`,
/// `{"shown": "fewer-than", "value": 5}` or `{"shown": "withheld"}`.
#[utoipa::path(get, path = "/orgs/{slug}/workforce", tag = "teams",
    params(("slug" = String, Path, description = "The organisation's slug"),
        ("scope" = Option<String>, Query, description = "`organisation` (the default): its own people; `system`: its people and those of the organisations affiliated to it")),
    responses(
        (status = 200, description = "`{org, org_name, scope, covers: [{slug, name}], affiliates, framework, framework_version, suppress_below, people, archetypes: [{archetype, name, people, advanced_complete}], heatmaps: [{population, population_name, pathway, pathway_name, people, complete, levels: [{code, name}], rows: [{layer, factor, cells: [{level, people, percent} | null]}]}], awards_held: [{pathway, name, people}], targets: [{id, archetype, population_name, pathway, pathway_name, percent, due, people, complete, percent_now, still_needed}], months: [{month, attestations, awards}], expiring, expiring_days}`"),
        (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)
    ))]
pub async fn workforce(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    Query(query): Query<ScopeQuery>,
) -> Result<Json<WorkforceView>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let scope = query.scope()?;
    let view = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?
        .workforce_in(scope)
        .await?;
    Ok(Json(view))
}

/// `?scope=` of the workforce view.
#[derive(Debug, Default, Deserialize)]
pub struct ScopeQuery {
    #[serde(default)]
    pub scope: Option<String>,
}

impl ScopeQuery {
    /// The scope asked for; anything but `organisation` or `system` is refused (400).
    pub fn scope(&self) -> Result<Scope, WebError> {
        match self.scope.as_deref() {
            None | Some("" | "organisation") => Ok(Scope::Organisation),
            Some("system") => Ok(Scope::System),
            Some(_) => Err(WebError::from(ServiceError::invalid(
                "/scope",
                "The scope is 'organisation' or 'system'.",
            ))),
        }
    }
}
