//! AI products (issue 19): an organisation's administrators register products, versions and
//! sites; buying and deploying sites answer the report's question sets per version; the
//! dossier reads a version's answers, pathway and coverage (public or organisation-only);
//! a holder reads which product credentials need a refresher.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use credence_domain::{OrgSlug, ProductId, ProductVersionId};
use credence_service::products::{
    AnswerInput, AnswerView, DossierView, ProductInput, ProductView, VersionInput,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::ApiJson;
use crate::auth::CurrentActor;
use crate::error::{record_id, Problem};
use crate::{AppState, WebError};

/// An answer, for the organisation `org` (a buying or deploying site it administers).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The answering organisation's slug.
    pub org: String,
    /// The question's code, such as `A3-01`.
    pub question: String,
    pub answer: String,
    #[serde(default)]
    pub links: Vec<String>,
}

/// Which version of a product's dossier to read.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DossierQuery {
    /// A version's id; the current version when absent.
    pub version: Option<String>,
}

/// The version a dossier query names, if any (a malformed one is not found).
pub fn version_of(query: &DossierQuery) -> Result<Option<ProductVersionId>, WebError> {
    query
        .version
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| record_id(v, "product version"))
        .transpose()
}

/// `GET /api/v1/orgs/{slug}/products`: the organisation's products the caller may read.
#[utoipa::path(get, path = "/orgs/{slug}/products", tag = "products", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, description = "`{items: [ProductView]}`"), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let items = state
        .services
        .registry
        .caller(&current.actor)
        .products_of(&slug)
        .await?;
    Ok(Json(json!({ "items": items })))
}

/// `POST /api/v1/orgs/{slug}/products` (organisation admin): registers a product.
#[utoipa::path(post, path = "/orgs/{slug}/products", tag = "products", params(("slug" = String, Path, description = "The organisation's slug")), request_body = ProductInput, responses((status = 201, body = ProductView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ProductInput>,
) -> Result<(StatusCode, Json<ProductView>), WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let desk = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(desk.register_product(body).await?),
    ))
}

/// `PUT /api/v1/orgs/{slug}/products/{id}` (organisation admin): replaces a product's
/// details and sites.
#[utoipa::path(put, path = "/orgs/{slug}/products/{id}", tag = "products", params(("slug" = String, Path, description = "The organisation's slug"), ("id" = String, Path, description = "The product's id")), request_body = ProductInput, responses((status = 200, body = ProductView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ProductInput>,
) -> Result<Json<ProductView>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let id: ProductId = record_id(&id, "product")?;
    let desk = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?;
    Ok(Json(desk.edit_product(&id, body).await?))
}

/// `POST /api/v1/orgs/{slug}/products/{id}/versions` (organisation admin): registers a new
/// version, which becomes the current one (holders of earlier versions' credentials then
/// need a refresher).
#[utoipa::path(post, path = "/orgs/{slug}/products/{id}/versions", tag = "products", params(("slug" = String, Path, description = "The organisation's slug"), ("id" = String, Path, description = "The product's id")), request_body = VersionInput, responses((status = 201, body = ProductView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<VersionInput>,
) -> Result<(StatusCode, Json<ProductView>), WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let id: ProductId = record_id(&id, "product")?;
    let desk = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(desk.add_product_version(&id, body).await?),
    ))
}

/// `POST /api/v1/products/{id}/versions/{version}/answers` (an admin of `org`, a buying
/// site for Table A3's questions, a deploying site for Table A6's): answers a question;
/// answering again keeps the earlier answers as history.
#[utoipa::path(post, path = "/products/{id}/versions/{version}/answers", tag = "products", params(("id" = String, Path, description = "The product's id"), ("version" = String, Path, description = "The version's id")), request_body = AnswerBody, responses((status = 201, body = AnswerView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((id, version)): Path<(String, String)>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<(StatusCode, Json<AnswerView>), WebError> {
    let id: ProductId = record_id(&id, "product")?;
    let version: ProductVersionId = record_id(&version, "product version")?;
    let slug: OrgSlug = OrgSlug::new(body.org.trim()).map_err(|_| {
        WebError::from(credence_service::ServiceError::invalid(
            "/org",
            "Give the slug of the organisation you answer for.",
        ))
    })?;
    let desk = state
        .services
        .registry
        .org_admin(&current.actor, &slug)
        .await?;
    let input = AnswerInput {
        question: body.question,
        answer: body.answer,
        links: body.links,
    };
    Ok((
        StatusCode::CREATED,
        Json(desk.answer_question(&id, &version, input).await?),
    ))
}

/// `GET /api/v1/products/{id}`: a product version's dossier (public products: anyone;
/// otherwise the members of its organisation and of its sites, and 404 for others).
#[utoipa::path(get, path = "/products/{id}", tag = "products", params(("id" = String, Path, description = "The product's id"), DossierQuery), responses((status = 200, body = DossierView), (status = 404, body = Problem)))]
pub async fn dossier(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    Query(query): Query<DossierQuery>,
) -> Result<Json<DossierView>, WebError> {
    let id: ProductId = record_id(&id, "product")?;
    let version = version_of(&query)?;
    let view = state
        .services
        .registry
        .caller(&current.actor)
        .product_dossier(&id, version.as_ref())
        .await?;
    Ok(Json(view))
}

/// `GET /api/v1/me/refreshers` (signed in): the caller's product credentials for a version
/// that is no longer current, while the caller is not covered for the current one.
#[utoipa::path(get, path = "/me/refreshers", tag = "products", responses((status = 200, description = "`{items: [RefresherNotice]}`"), (status = 401, body = Problem)))]
pub async fn refreshers(
    State(state): State<AppState>,
    current: CurrentActor,
) -> Result<Json<Value>, WebError> {
    let items = state
        .services
        .registry
        .holder(&current.actor)?
        .refreshers_needed()
        .await?;
    Ok(Json(json!({ "items": items })))
}
