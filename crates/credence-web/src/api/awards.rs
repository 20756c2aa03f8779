//! Achievements, awards, status lists, public credentials, verification and bulk awards.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_documents::{BulkFormat, Product};
use credence_domain::registry::StatusAction;
use credence_domain::{AwardId, BulkJobId, OrgSlug};
use credence_service::awards::{
    AchievementView, AwardOutcome, AwardView, NewAchievement, NewAward,
};
use credence_service::bulk::{BulkJobView, BulkRowView};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiJson, Listing, PageQuery};
use crate::auth::CurrentActor;
use crate::error::{record_id, Problem};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

const JSON_LD: &str = "application/ld+json";

/// The largest bulk award file accepted, in bytes: larger than any other body.
pub const BULK_BODY_LIMIT: usize = 16 * 1024 * 1024;

fn json_ld(text: String, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAchievementBody {
    pub pathway: String,
    pub framework: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub validity_days: Option<i64>,
    pub product: Option<ProductBody>,
    /// Whether its awards can be suspended. They then carry a suspension entry beside the
    /// revocation entry, which the Open Badges 3.0 schema does not allow: strict OB 3.0
    /// validators refuse them. Default false.
    #[serde(default)]
    pub suspendable: bool,
    /// Whether its awards are public at once (anyone with the link sees them) rather than
    /// private until their holder publishes them. Default false.
    #[serde(default)]
    pub awards_public: bool,
    /// The id of the AI product version a product-specific achievement is for: its awards
    /// then need evidence gained on that version.
    #[serde(default)]
    pub product_version: Option<String>,
}

/// `POST /api/v1/orgs/{slug}/achievements` (issuer).
#[utoipa::path(post, path = "/orgs/{slug}/achievements", tag = "awards", params(("slug" = String, Path, description = "The organisation's slug")), request_body = CreateAchievementBody, responses((status = 201, body = AchievementView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_achievement(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<CreateAchievementBody>,
) -> Result<(StatusCode, Json<AchievementView>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let issuer = registry.issuer(&current.actor, &slug).await?;
    let new = NewAchievement {
        pathway: body.pathway,
        framework: body.framework,
        name: body.name,
        description: body.description,
        validity_days: body.validity_days,
        product: body.product.map(|p| Product {
            name: p.name,
            version: p.version,
        }),
        suspendable: body.suspendable,
        awards_public: body.awards_public,
        product_version: body.product_version,
    };
    let view = issuer.create_achievement(new).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `GET /api/v1/orgs/{slug}/achievements` (public).
#[utoipa::path(get, path = "/orgs/{slug}/achievements", tag = "awards", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, description = "`{items: [AchievementView]}`"), (status = 404, body = Problem)))]
pub async fn achievements(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let items = state.services.registry.public().achievements(&slug).await?;
    Ok(Json(json!({ "items": items })))
}

/// `GET /achievements/{id}`: the OB 3.0 Achievement (public).
pub async fn achievement(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let document = state
        .services
        .registry
        .public()
        .achievement_json(&record_id(&id, "achievement")?)
        .await?;
    Ok(json_ld(document.to_string(), JSON_LD))
}

/// `GET /achievements/{id}/image.svg` (public).
pub async fn achievement_image(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let svg = state
        .services
        .registry
        .public()
        .achievement_image(&record_id(&id, "achievement")?)
        .await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardBody {
    pub achievement: String,
    pub email: String,
    pub name: Option<String>,
    pub override_justification: Option<String>,
    pub valid_from: Option<String>,
    pub renews: Option<String>,
    pub key: Option<String>,
}

/// `POST /api/v1/orgs/{slug}/awards` (issuer): 201 when made, 200 when the key named an
/// existing award.
#[utoipa::path(post, path = "/orgs/{slug}/awards", tag = "awards", params(("slug" = String, Path, description = "The organisation's slug")), request_body = AwardBody, responses((status = 201, body = AwardOutcome, description = "Awarded"), (status = 200, body = AwardOutcome, description = "The idempotency key named an existing award"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn award(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<AwardBody>,
) -> Result<(StatusCode, Json<AwardOutcome>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let issuer = registry.issuer(&current.actor, &slug).await?;
    let new = NewAward {
        achievement: body.achievement,
        email: body.email,
        name: body.name,
        override_justification: body.override_justification,
        valid_from: body.valid_from,
        renews: body.renews,
        key: body.key,
    };
    let outcome = issuer.award(new).await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome)))
}

/// `GET /api/v1/orgs/{slug}/awards` (issuer), paginated.
#[utoipa::path(get, path = "/orgs/{slug}/awards", tag = "awards", params(("slug" = String, Path, description = "The organisation's slug"), PageQuery), responses((status = 200, description = "`{items: [AwardView], offset, limit}`"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn org_awards(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Listing<AwardView>>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let issuer = registry.issuer(&current.actor, &slug).await?;
    let page = page.page();
    let items = issuer.org_awards(page).await?;
    Ok(Json(Listing::new(items, page)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    #[schema(value_type = credence_service::schemas::StatusAction)]
    pub action: StatusAction,
    pub reason: String,
}

/// `POST /api/v1/awards/{id}/status` (issuer of the award's organisation).
#[utoipa::path(post, path = "/awards/{id}/status", tag = "awards", params(("id" = String, Path, description = "The award's id")), request_body = StatusBody, responses((status = 200, body = AwardView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change_status(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<AwardView>, WebError> {
    let registry = &state.services.registry;
    let id: AwardId = record_id(&id, "award")?;
    let issuer = registry.award_issuer(&current.actor, &id).await?;
    let view = issuer
        .change_award_status(&id, body.action, &body.reason)
        .await?;
    Ok(Json(view))
}

/// `GET /api/v1/awards`: the holder's own awards.
#[utoipa::path(get, path = "/awards", tag = "awards", responses((status = 200, description = "`{items: [AwardView]}`"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn my_awards(
    State(state): State<AppState>,
    current: CurrentActor,
) -> Result<Json<Value>, WebError> {
    let holder = current.actor.holder()?;
    let items = state
        .services
        .registry
        .with_holder(&holder)
        .my_awards()
        .await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisibilityBody {
    pub public: bool,
}

/// `PATCH /api/v1/awards/{id}/visibility` (holder).
#[utoipa::path(patch, path = "/awards/{id}/visibility", tag = "awards", params(("id" = String, Path, description = "The award's id")), request_body = VisibilityBody, responses((status = 200, body = AwardView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn visibility(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VisibilityBody>,
) -> Result<Json<AwardView>, WebError> {
    let holder = current.actor.holder()?;
    let id: AwardId = record_id(&id, "award")?;
    let view = state
        .services
        .registry
        .with_holder(&holder)
        .set_award_visibility(&id, body.public)
        .await?;
    Ok(Json(view))
}

/// `GET /orgs/{slug}/status/{purpose}`: the signed status list, with an `ETag`.
pub async fn status_list(
    State(state): State<AppState>,
    Path((slug, purpose)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let list = state
        .services
        .registry
        .public()
        .status_list(&slug, &purpose)
        .await?;
    let etag = format!("\"v{}\"", list.version);
    let etag_value = HeaderValue::from_str(&etag).map_err(credence_service::ServiceError::wrap(
        "making a status list ETag",
    ))?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/vc+ld+json"),
            ),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        list.json.as_str().to_owned(),
    )
        .into_response())
}

/// `POST /api/v1/verify` (public): the verification report of the credential in the body.
#[utoipa::path(post, path = "/verify", tag = "verification", request_body(content = Object, description = "A credential (JSON object)"), responses((status = 200, description = "The verification report: the checks made and their outcomes"), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn verify(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, WebError> {
    state.throttles.spend(Budget::Verify, client)?;
    let report = state
        .services
        .registry
        .public()
        .verify_credential_json(&body)
        .await?;
    Ok(Json(json!(report)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulkQuery {
    /// The achievement to award.
    pub achievement: String,
    /// `csv` (the default) or `json`.
    #[serde(default)]
    pub format: Option<String>,
}

/// `POST /api/v1/orgs/{slug}/awards/bulk?achievement=&format=csv|json` (issuer): starts a
/// background job (202).
#[utoipa::path(post, path = "/orgs/{slug}/awards/bulk", tag = "awards", params(("slug" = String, Path, description = "The organisation's slug"), BulkQuery), request_body(description = "The award rows (at most 16 MiB), as CSV (`format=csv`) or JSON (`format=json`)", content((String = "text/csv"), (Object = "application/json"))), responses((status = 202, body = BulkJobView), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn bulk(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    Query(query): Query<BulkQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<BulkJobView>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let issuer = registry.issuer(&current.actor, &slug).await?;
    let format = match query.format.as_deref() {
        None | Some("csv") => BulkFormat::Csv,
        Some("json") => BulkFormat::Json,
        Some(other) => {
            return Err(WebError::bad_request(format!(
                "The format must be csv or json, not {other:?}."
            )))
        }
    };
    let text = std::str::from_utf8(&body)
        .map_err(|_| WebError::bad_request("The file is not UTF-8 text."))?;
    let job = issuer
        .start_bulk_awards(&query.achievement, text, format)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// `GET /api/v1/bulk/{id}` (issuer): a job's progress.
#[utoipa::path(get, path = "/bulk/{id}", tag = "awards", params(("id" = String, Path, description = "The bulk job's id")), responses((status = 200, body = BulkJobView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn bulk_job(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<BulkJobView>, WebError> {
    let id: BulkJobId = record_id(&id, "bulk job")?;
    Ok(Json(
        state
            .services
            .registry
            .caller(&current.actor)
            .bulk_job(&id)
            .await?,
    ))
}

/// `GET /api/v1/bulk/{id}/rows?offset=&limit=` (issuer): the per-row report.
#[utoipa::path(get, path = "/bulk/{id}/rows", tag = "awards", params(("id" = String, Path, description = "The bulk job's id"), PageQuery), responses((status = 200, description = "`{items: [BulkRowView], offset, limit}`"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn bulk_rows(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Listing<BulkRowView>>, WebError> {
    let page = page.page();
    let id: BulkJobId = record_id(&id, "bulk job")?;
    let items = state
        .services
        .registry
        .caller(&current.actor)
        .bulk_rows(&id, page)
        .await?;
    Ok(Json(Listing::new(items, page)))
}
