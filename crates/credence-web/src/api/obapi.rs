//! The Open Badges 3.0 API (1EdTech) at `/ims/ob/v3p0/`, and its OAuth 2.0 endpoints at
//! `/oauth/`: service discovery, dynamic client registration (RFC 7591), the token
//! endpoint (RFC 6749, PKCE required at the authorization step), the holder's credentials
//! and profile. The resource endpoints answer errors as the specification's
//! `Imsx_StatusInfo`, the OAuth endpoints as RFC 6749 / RFC 7591 error JSON; the holder's
//! consent page is in `pages/oauth.rs`.

use axum::extract::{Query, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use credence_service::oauth::{OAuthError, Registration, RevocationRequest, TokenRequest, SCOPES};
use credence_service::ServiceError;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

/// An error of the resource endpoints as an `Imsx_StatusInfo` document.
pub struct Imsx(WebError);

impl From<ServiceError> for Imsx {
    fn from(e: ServiceError) -> Self {
        Self(e.into())
    }
}

impl From<WebError> for Imsx {
    fn from(e: WebError) -> Self {
        Self(e)
    }
}

impl IntoResponse for Imsx {
    fn into_response(self) -> Response {
        let status = match self.0.status {
            // The specification answers invalid input with 400.
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            s => s,
        };
        let minor = match status {
            StatusCode::BAD_REQUEST => "invalid_data",
            StatusCode::UNAUTHORIZED => "unauthorizedrequest",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "unknownobject",
            StatusCode::TOO_MANY_REQUESTS => "server_busy",
            s if s.is_server_error() => "internal_server_error",
            _ => "invalid_data",
        };
        let detail = if status.is_server_error() {
            "The request could not be handled.".to_owned()
        } else {
            self.0.detail
        };
        let body = json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": detail,
            "imsx_codeMinor": {"imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": minor}
            ]},
        });
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ob-v3p0\""),
            );
        }
        response
    }
}

/// An OAuth 2.0 error answer (`{"error", "error_description"}`).
pub struct OAuthFailure(OAuthError);

impl From<OAuthError> for OAuthFailure {
    fn from(e: OAuthError) -> Self {
        Self(e)
    }
}

impl IntoResponse for OAuthFailure {
    fn into_response(self) -> Response {
        match self.0 {
            OAuthError::Protocol { error, description } => {
                let status = if error == "invalid_client" {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::BAD_REQUEST
                };
                let mut response = (
                    status,
                    Json(json!({ "error": error, "error_description": description })),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
                response
            }
            OAuthError::Service(e) => WebError::from(e).into_response(),
        }
    }
}

/// The bearer token of a resource request (401 as `Imsx_StatusInfo` without one).
fn bearer(headers: &HeaderMap) -> Result<&str, Imsx> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Imsx::from(ServiceError::Unauthenticated(
                "Send an access token: Authorization: Bearer ...".into(),
            ))
        })
}

/// The desk of the request's access token; unknown tokens spend the guessing budget.
async fn ob_desk<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    client: ClientAddr,
) -> Result<credence_service::desks::ObApiDesk<'a>, Imsx> {
    match state.services.registry.ob_api(bearer(headers)?).await {
        Ok(desk) => Ok(desk),
        Err(e @ ServiceError::Unauthenticated(_)) => {
            state.throttles.spend(Budget::BadToken, client)?;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /ims/ob/v3p0/discovery`: the Service Description Document (an OpenAPI 3.0
/// document naming the OAuth 2.0 endpoints and scopes).
#[utoipa::path(get, path = "/ims/ob/v3p0/discovery", operation_id = "ob_discovery", tag = "ob-api", security(()), responses((status = 200, description = "The ServiceDescriptionDocument: `{openapi, info: {title, version, x-imssf-privacyPolicyUrl, x-imssf-image}, servers, paths, components: {securitySchemes: {OAuth2ACG: {type: oauth2, x-imssf-registrationUrl, flows: {authorizationCode: {authorizationUrl, tokenUrl, refreshUrl, scopes}}}}}}`")))]
pub async fn discovery(State(state): State<AppState>) -> Json<Value> {
    let r = &state.services.registry;
    let scopes: serde_json::Map<String, Value> = SCOPES
        .iter()
        .map(|(s, w)| ((*s).to_owned(), Value::String(format!("Permission to {w}"))))
        .collect();
    let secured = |summary: &str, scope: &str| json!({ "summary": summary, "security": [{ "OAuth2ACG": [scope] }], "responses": {} });
    let read = SCOPES[0].0;
    Json(json!({
        "openapi": "3.0.1",
        "info": {
            "title": "Credence: Open Badges 3.0 API",
            "version": "3.0",
            "termsOfService": r.url("/"),
            "x-imssf-privacyPolicyUrl": r.url("/"),
            "x-imssf-image": r.url("/static/favicon.svg"),
        },
        "servers": [{ "url": r.url("/ims/ob/v3p0") }],
        "tags": [{ "name": "OpenBadgeCredentials" }, { "name": "Discovery" }],
        "paths": {
            "/credentials": {
                "get": secured("getCredentials", read),
                "post": secured("upsertCredential", SCOPES[1].0),
            },
            "/profile": {
                "get": secured("getProfile", SCOPES[2].0),
                "put": secured("putProfile", SCOPES[3].0),
            },
            "/discovery": { "get": { "summary": "getServiceDescription", "responses": {} } },
        },
        "components": { "securitySchemes": { "OAuth2ACG": {
            "type": "oauth2",
            "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
            "x-imssf-registrationUrl": r.url("/oauth/register"),
            "flows": { "authorizationCode": {
                "authorizationUrl": r.url("/oauth/authorize"),
                "tokenUrl": r.url("/oauth/token"),
                "refreshUrl": r.url("/oauth/token"),
                "scopes": scopes,
            }},
        }}},
    }))
}

/// `?limit=&offset=` of the credential list.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// `GET /ims/ob/v3p0/credentials` (scope `credential.readonly`): the holder's
/// credentials as stored, newest first, with `X-Total-Count` and `Link` headers.
#[utoipa::path(get, path = "/ims/ob/v3p0/credentials", operation_id = "ob_get_credentials", tag = "ob-api", security(("bearer" = [])),
    params(("limit" = Option<usize>, Query, description = "1 to 100 (default 20)"), ("offset" = Option<usize>, Query, description = "How many to skip")),
    responses((status = 200, description = "`{credential: [...], compactJwsString: [...]}` (GetOpenBadgeCredentialsResponse)"), (status = 400, description = "Imsx_StatusInfo"), (status = 401, description = "Imsx_StatusInfo"), (status = 403, description = "Imsx_StatusInfo: the token lacks the scope")))]
pub async fn credentials(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: ClientAddr,
    query: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Imsx> {
    let desk = ob_desk(&state, &headers, client).await?;
    let Query(query) = query.map_err(|e| {
        Imsx::from(ServiceError::invalid(
            "/limit",
            format!("limit and offset are numbers: {e}"),
        ))
    })?;
    let limit = query.limit.unwrap_or(20);
    let offset = query.offset.unwrap_or(0);
    let page = desk.credentials(limit, offset).await?;
    let base = state.services.registry.url("/ims/ob/v3p0/credentials");
    let link =
        |rel: &str, offset: usize| format!("<{base}?limit={limit}&offset={offset}>; rel=\"{rel}\"");
    let mut links = vec![link("first", 0)];
    let last = page.total.saturating_sub(1) / limit * limit;
    if offset.saturating_add(limit) < page.total {
        links.push(link("next", offset.saturating_add(limit)));
    }
    if offset > 0 {
        links.push(link("prev", offset.saturating_sub(limit)));
    }
    links.push(link("last", last));
    let mut response = Json(page.body()).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&page.total.to_string()) {
        h.insert("x-total-count", v);
    }
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        h.insert(axum::http::header::LINK, v);
    }
    Ok(response)
}

/// A JSON body, or the Imsx answer naming what it should have been.
fn json_body(
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
    what: &str,
) -> Result<Value, Imsx> {
    body.map(|Json(v)| v).map_err(|e| {
        Imsx::from(ServiceError::invalid(
            "",
            format!("The body is not a JSON {what}: {e}"),
        ))
    })
}

/// `POST /ims/ob/v3p0/credentials` (scope `credential.upsert`): verified first; one of
/// the holder's own credentials as stored is acknowledged (200); any other is refused
/// (400): Credence keeps only what it issued.
#[utoipa::path(post, path = "/ims/ob/v3p0/credentials", operation_id = "ob_upsert_credential", tag = "ob-api", security(("bearer" = [])),
    request_body(description = "An AchievementCredential (JSON, with its proof)"),
    responses((status = 200, description = "The credential as stored: already the holder's"), (status = 400, description = "Imsx_StatusInfo: not valid, or not a credential this registry issued to the holder"), (status = 401, description = "Imsx_StatusInfo"), (status = 403, description = "Imsx_StatusInfo: the token lacks the scope")))]
pub async fn upsert_credential(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: ClientAddr,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, Imsx> {
    let desk = ob_desk(&state, &headers, client).await?;
    let body = json_body(body, "credential")?;
    Ok(Json(desk.upsert_credential(&body).await?))
}

/// `GET /ims/ob/v3p0/profile` (scope `profile.readonly`).
#[utoipa::path(get, path = "/ims/ob/v3p0/profile", operation_id = "ob_get_profile", tag = "ob-api", security(("bearer" = [])),
    responses((status = 200, description = "The holder's OB 3.0 Profile: `{@context, id, type, name}`"), (status = 401, description = "Imsx_StatusInfo"), (status = 403, description = "Imsx_StatusInfo: the token lacks the scope")))]
pub async fn profile(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: ClientAddr,
) -> Result<Json<Value>, Imsx> {
    let desk = ob_desk(&state, &headers, client).await?;
    Ok(Json(desk.profile().await?))
}

/// `PUT /ims/ob/v3p0/profile` (scope `profile.update`): renames the holder.
#[utoipa::path(put, path = "/ims/ob/v3p0/profile", operation_id = "ob_put_profile", tag = "ob-api", security(("bearer" = [])),
    request_body(description = "An OB 3.0 Profile; only `name` is stored"),
    responses((status = 200, description = "The holder's Profile as it now is"), (status = 400, description = "Imsx_StatusInfo"), (status = 401, description = "Imsx_StatusInfo"), (status = 403, description = "Imsx_StatusInfo: the token lacks the scope")))]
pub async fn put_profile(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: ClientAddr,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, Imsx> {
    let desk = ob_desk(&state, &headers, client).await?;
    let body = json_body(body, "profile")?;
    Ok(Json(desk.update_profile(&body).await?))
}

/// `POST /oauth/register`: dynamic client registration (RFC 7591).
#[utoipa::path(post, path = "/oauth/register", operation_id = "oauth_register", tag = "ob-api", security(()),
    request_body(description = "`{client_name, redirect_uris, scope?, grant_types?, response_types?, token_endpoint_auth_method?}`"),
    responses((status = 201, description = "`{client_id, client_secret, client_id_issued_at, client_secret_expires_at, client_name, redirect_uris, scope, grant_types, response_types, token_endpoint_auth_method}`"), (status = 400, description = "`{error: invalid_client_metadata | invalid_redirect_uri, error_description}`"), (status = 429, body = crate::error::Problem)))]
pub async fn register(
    State(state): State<AppState>,
    client: ClientAddr,
    body: Result<Json<Registration>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, OAuthFailure> {
    if let Err(busy) = state.throttles.spend(Budget::Register, client) {
        return Ok(busy.into_response());
    }
    let Json(reg) = body.map_err(|e| {
        OAuthFailure(OAuthError::Protocol {
            error: "invalid_client_metadata",
            description: format!("The body is not a registration: {e}"),
        })
    })?;
    let registered = state.services.registry.oauth().register_client(reg).await?;
    let mut response = (StatusCode::CREATED, Json(registered)).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The client id and secret of an `Authorization: Basic` header (RFC 6749 §2.3.1: each
/// form-urlencoded before base64).
fn basic_client(headers: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine;
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

/// `POST /oauth/token`: the authorization-code and refresh-token grants, with
/// `client_secret_basic` or `client_secret_post`.
#[utoipa::path(post, path = "/oauth/token", operation_id = "oauth_token", tag = "ob-api", security(()),
    request_body(content_type = "application/x-www-form-urlencoded", description = "`grant_type=authorization_code&code&redirect_uri&code_verifier` or `grant_type=refresh_token&refresh_token`; the client's id and secret in `Authorization: Basic` or as `client_id` and `client_secret`"),
    responses((status = 200, description = "`{access_token, token_type: Bearer, expires_in, refresh_token, scope}`"), (status = 400, description = "`{error: invalid_request | invalid_grant | unsupported_grant_type, error_description}`"), (status = 401, description = "`{error: invalid_client, error_description}`")))]
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, axum::extract::rejection::FormRejection>,
) -> Result<Response, OAuthFailure> {
    let Form(req) = form.map_err(|e| {
        OAuthFailure(OAuthError::Protocol {
            error: "invalid_request",
            description: format!("The body is not a token request form: {e}"),
        })
    })?;
    let answer = state
        .services
        .registry
        .oauth()
        .token(basic_client(&headers), req)
        .await?;
    let mut response = Json(answer).into_response();
    let h = response.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("pragma", HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// `POST /oauth/revoke`: token revocation (RFC 7009), with the client's credentials as at
/// the token endpoint.
#[utoipa::path(post, path = "/oauth/revoke", operation_id = "oauth_revoke", tag = "ob-api", security(()),
    request_body(content_type = "application/x-www-form-urlencoded", description = "`token`, `token_type_hint?`; the client's id and secret in `Authorization: Basic` or as `client_id` and `client_secret`"),
    responses((status = 200, description = "Revoked, or not a token of this client (the same answer)"), (status = 400, description = "`{error: invalid_request, error_description}`"), (status = 401, description = "`{error: invalid_client, error_description}`")))]
pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<RevocationRequest>, axum::extract::rejection::FormRejection>,
) -> Result<StatusCode, OAuthFailure> {
    let Form(req) = form.map_err(|e| {
        OAuthFailure(OAuthError::Protocol {
            error: "invalid_request",
            description: format!("The body is not a revocation request form: {e}"),
        })
    })?;
    state
        .services
        .registry
        .oauth()
        .revoke(basic_client(&headers), req)
        .await?;
    Ok(StatusCode::OK)
}
