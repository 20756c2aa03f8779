//! Organisations: create (operator), list and read, members, API tokens, keys, audit trail.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use credence_domain::registry::{DidMethod, OrgKind, Role};
use credence_domain::{AccountId, OrgSlug, TokenId};
use credence_service::audit_chain::AuditView;
use credence_service::orgs::{KeyView, MemberView, NewOrg, OrgView, TokenView};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiJson, Listing, PageQuery};
use crate::auth::CurrentActor;
use crate::error::{record_id, Problem};
use crate::{AppState, WebError};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrgBody {
    pub slug: String,
    pub name: String,
    #[schema(value_type = credence_service::schemas::OrgKind)]
    pub kind: OrgKind,
    #[schema(value_type = credence_service::schemas::DidMethod)]
    pub did_method: DidMethod,
    pub url: Option<String>,
    pub description: Option<String>,
}

/// `POST /api/v1/orgs` (operator).
#[utoipa::path(post, path = "/orgs", tag = "organisations", request_body = CreateOrgBody, responses((status = 201, body = OrgView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(body): ApiJson<CreateOrgBody>,
) -> Result<(StatusCode, Json<OrgView>), WebError> {
    let operator = current.actor.operator()?;
    let org = state
        .services
        .registry
        .with_operator(&operator)
        .create_org(NewOrg {
            slug: body.slug,
            name: body.name,
            kind: body.kind,
            did_method: body.did_method,
            url: body.url,
            description: body.description,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// `GET /api/v1/orgs`: every organisation (public).
#[utoipa::path(get, path = "/orgs", tag = "organisations", responses((status = 200, description = "`{items: [OrgView]}`")))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    let orgs = state.services.registry.public().orgs().await?;
    Ok(Json(json!({ "items": orgs })))
}

/// `GET /api/v1/orgs/{slug}` (public).
#[utoipa::path(get, path = "/orgs/{slug}", tag = "organisations", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, body = OrgView), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<OrgView>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let org = state.services.registry.public().org(&slug).await?;
    Ok(Json(credence_service::orgs::org_view(&org)))
}

/// `GET /api/v1/orgs/{slug}/members` (org admin).
#[utoipa::path(get, path = "/orgs/{slug}/members", tag = "organisations", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, description = "`{items: [MemberView]}`"), (status = 403, body = Problem)))]
pub async fn members(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    Ok(Json(json!({ "items": admin.members().await? })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberBody {
    pub email: String,
    #[schema(value_type = credence_service::schemas::Role)]
    pub role: Role,
}

/// `POST /api/v1/orgs/{slug}/members` (org admin).
#[utoipa::path(post, path = "/orgs/{slug}/members", tag = "organisations", params(("slug" = String, Path, description = "The organisation's slug")), request_body = AddMemberBody, responses((status = 201, body = MemberView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<AddMemberBody>,
) -> Result<(StatusCode, Json<MemberView>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let member = admin.add_member(&body.email, body.role).await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// `DELETE /api/v1/orgs/{slug}/members/{account_id}/{role}` (org admin).
#[utoipa::path(delete, path = "/orgs/{slug}/members/{account_id}/{role}", tag = "organisations", params(("slug" = String, Path, description = "The organisation's slug"), ("account_id" = String, Path), ("role" = credence_service::schemas::Role, Path)), responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, account_id, role)): Path<(String, String, String)>,
) -> Result<StatusCode, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let role: Role = role
        .parse()
        .map_err(|e: credence_domain::registry::ChoiceError| {
            WebError::bad_request(e.to_string())
        })?;
    let account_id: AccountId = record_id(&account_id, "account")?;
    admin.remove_member(&account_id, role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/orgs/{slug}/tokens` (org admin).
#[utoipa::path(get, path = "/orgs/{slug}/tokens", tag = "tokens", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, description = "`{items: [TokenView]}`"), (status = 403, body = Problem)))]
pub async fn tokens(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let items: Vec<TokenView> = admin.tokens().await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenBody {
    #[schema(value_type = credence_service::schemas::Role)]
    pub role: Role,
    #[serde(default)]
    pub label: String,
    #[serde(default = "default_days")]
    pub days: i64,
}

fn default_days() -> i64 {
    90
}

/// `POST /api/v1/orgs/{slug}/tokens` (org admin): the token's value is in the answer, once.
#[utoipa::path(post, path = "/orgs/{slug}/tokens", tag = "tokens", params(("slug" = String, Path, description = "The organisation's slug")), request_body = CreateTokenBody, responses((status = 201, description = "`{token, details: TokenView}`: the token value is shown this once"), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<CreateTokenBody>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let token = admin
        .create_token(body.role, &body.label, body.days)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token.value, "details": token.view})),
    ))
}

/// `DELETE /api/v1/orgs/{slug}/tokens/{id}` (org admin).
#[utoipa::path(delete, path = "/orgs/{slug}/tokens/{id}", tag = "tokens", params(("slug" = String, Path, description = "The organisation's slug"), ("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((slug, id)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let id: TokenId = record_id(&id, "token")?;
    admin.revoke_token(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/orgs/{slug}/keys` (org admin).
#[utoipa::path(get, path = "/orgs/{slug}/keys", tag = "keys", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, description = "`{items: [KeyView]}`"), (status = 403, body = Problem)))]
pub async fn keys(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let items: Vec<KeyView> = admin.keys().await?;
    Ok(Json(json!({ "items": items })))
}

/// `POST /api/v1/orgs/{slug}/keys/rotate` (org admin).
#[utoipa::path(post, path = "/orgs/{slug}/keys/rotate", tag = "keys", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 201, body = KeyView), (status = 403, body = Problem)))]
pub async fn rotate_key(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
) -> Result<(StatusCode, Json<KeyView>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    Ok((StatusCode::CREATED, Json(admin.rotate_key().await?)))
}

/// The cryptosuite an organisation signs with by default.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CryptosuiteBody {
    /// `eddsa-rdfc-2022` (the default) or `eddsa-jcs-2022`.
    pub cryptosuite: String,
}

/// `PUT /api/v1/orgs/{slug}/cryptosuite` (org admin): the suite its credentials, status
/// lists and accreditations are signed with unless a request names one.
#[utoipa::path(put, path = "/orgs/{slug}/cryptosuite", tag = "keys", params(("slug" = String, Path, description = "The organisation's slug")), request_body = CryptosuiteBody, responses((status = 200, body = OrgView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_cryptosuite(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<CryptosuiteBody>,
) -> Result<Json<OrgView>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    Ok(Json(admin.set_cryptosuite(&body.cryptosuite).await?))
}

/// `GET /api/v1/orgs/{slug}/audit` (org admin): the organisation's audit trail.
#[utoipa::path(get, path = "/orgs/{slug}/audit", tag = "audit", params(("slug" = String, Path, description = "The organisation's slug"), PageQuery), responses((status = 200, description = "`{items: [AuditView], offset, limit}`"), (status = 403, body = Problem)))]
pub async fn audit(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Listing<AuditView>>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let admin = registry.org_admin(&current.actor, &slug).await?;
    let page = page.page();
    Ok(Json(Listing::new(admin.org_audit(page).await?, page)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustBody {
    pub trusted: bool,
}

/// `PUT /api/v1/trusted-bodies/{slug}` (operator): trust or distrust an accrediting body.
#[utoipa::path(put, path = "/trusted-bodies/{slug}", tag = "organisations", params(("slug" = String, Path)), request_body = TrustBody, responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn trust(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<TrustBody>,
) -> Result<StatusCode, WebError> {
    let operator = current.actor.operator()?;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    state
        .services
        .registry
        .with_operator(&operator)
        .trust_body(&slug, body.trusted)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /orgs/{slug}/did.json`: the organisation's `did:web` document (public).
pub async fn did_document(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    Ok(Json(
        state.services.registry.public().did_document(&slug).await?,
    ))
}

/// `GET /orgs/{slug}` as JSON-LD: the organisation's OB 3.0 `Profile` (public).
pub async fn profile(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    Ok(Json(
        state.services.registry.public().org_profile(&slug).await?,
    ))
}
