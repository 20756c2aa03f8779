//! OpenID for Verifiable Credential Issuance 1.0, at the paths a wallet finds from the
//! credential issuer identifier (this site's address): the issuer and authorization server
//! metadata under `/.well-known/`, and the token, nonce and credential endpoints under
//! `/oid4vci/`. Errors are the protocol's JSON (`{"error", "error_description"}`, RFC 6749
//! §5.2 and OID4VCI §8.3.1), not problem documents: wallets read those; a fault of ours is
//! a problem document (500) as anywhere else.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_service::oid4vci::WalletError;
use serde_json::{json, Value};

use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

/// A protocol answer nothing may store (tokens, nonces, credentials).
fn no_store(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A refusal as the protocol writes it: 401 with `WWW-Authenticate` for a bad access
/// token, 400 otherwise.
fn refusal(error: WalletError) -> Response {
    match error {
        WalletError::Refused { error, description } => {
            let status = if error == "invalid_token" {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            };
            let mut response = no_store(
                status,
                json!({"error": error, "error_description": description}),
            );
            if status == StatusCode::UNAUTHORIZED {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
            }
            response
        }
        WalletError::Service(e) => WebError::from(e).into_response(),
    }
}

/// `GET /.well-known/openid-credential-issuer` (public): the credential issuer metadata.
#[utoipa::path(get, path = "/.well-known/openid-credential-issuer", operation_id = "oid4vci_issuer_metadata", tag = "openid4vci", security(()), responses((status = 200, description = "The credential issuer metadata (OID4VCI 1.0 §12.2): one configuration, an Open Badges 3.0 credential as `ldp_vc`, bound to a `did:key` or `did:jwk` by a JWT key proof", content_type = "application/json")))]
pub async fn issuer_metadata(State(state): State<AppState>) -> Json<Value> {
    Json(state.services.registry.public().wallet_issuer_metadata())
}

/// `GET /.well-known/oauth-authorization-server` (public): the authorization server
/// metadata of the pre-authorized code flow (RFC 8414).
#[utoipa::path(get, path = "/.well-known/oauth-authorization-server", operation_id = "oid4vci_authorization_metadata", tag = "openid4vci", security(()), responses((status = 200, description = "The OAuth authorization server metadata (RFC 8414): the token endpoint and the pre-authorized code grant", content_type = "application/json")))]
pub async fn authorization_metadata(State(state): State<AppState>) -> Json<Value> {
    Json(
        state
            .services
            .registry
            .public()
            .wallet_authorization_metadata(),
    )
}

/// `POST /oid4vci/token` (public, form): the pre-authorized code (and the transaction
/// code) for an access token.
#[utoipa::path(post, path = "/oid4vci/token", operation_id = "oid4vci_token", tag = "openid4vci", security(()), request_body(content_type = "application/x-www-form-urlencoded", description = "`grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code`, `pre-authorized_code`, and `tx_code` when the offer has one"), responses((status = 200, description = "`{access_token, token_type: Bearer, expires_in}`"), (status = 400, description = "`{error, error_description}`: `invalid_request`, `unsupported_grant_type`, `invalid_grant` (an unknown, used or expired code, or a wrong transaction code)")))]
pub async fn token(State(state): State<AppState>, body: Bytes) -> Response {
    let mut grant_type = None;
    let mut code = None;
    let mut tx_code = None;
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "grant_type" => grant_type = Some(value.into_owned()),
            "pre-authorized_code" => code = Some(value.into_owned()),
            "tx_code" => tx_code = Some(value.into_owned()),
            _ => {}
        }
    }
    match state
        .services
        .registry
        .public()
        .wallet_token(grant_type.as_deref(), code.as_deref(), tx_code.as_deref())
        .await
    {
        Ok(token) => no_store(StatusCode::OK, json!(token)),
        Err(e) => refusal(e),
    }
}

/// `POST /oid4vci/nonce` (public): a fresh `c_nonce` for a key proof.
#[utoipa::path(post, path = "/oid4vci/nonce", operation_id = "oid4vci_nonce", tag = "openid4vci", security(()), responses((status = 200, description = "`{c_nonce, c_nonce_expires_in}`"), (status = 429, description = "Too many nonces asked for from one client address (`limits.wallet_nonce_per_minute`); `Retry-After` says when to ask again")))]
pub async fn nonce(
    State(state): State<AppState>,
    client: ClientAddr,
) -> Result<Response, WebError> {
    // Each nonce is stored until it is used or expires: a budget per client address.
    state.throttles.spend(Budget::WalletNonce, client)?;
    let body = state.services.registry.public().wallet_nonce().await?;
    Ok(no_store(StatusCode::OK, body))
}

/// `POST /oid4vci/credential` (the access token as `Authorization: Bearer`): the offered
/// credential, bound to the key of the proof.
#[utoipa::path(post, path = "/oid4vci/credential", operation_id = "oid4vci_credential", tag = "openid4vci", security(("oid4vci_access_token" = [])), request_body(content_type = "application/json", description = "`{credential_configuration_id: OpenBadgeCredential_ldp_vc, proofs: {jwt: [key proof]}}`"), responses((status = 200, description = "`{credentials: [{credential}]}`: the signed Open Badges 3.0 credential whose subject is the wallet's DID"), (status = 400, description = "`{error, error_description}`: `invalid_credential_request`, `unknown_credential_configuration`, `invalid_proof`, `invalid_nonce`, `credential_request_denied`"), (status = 401, description = "`invalid_token`: the access token is missing, unknown, used or expired")))]
pub async fn credential(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let access_token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match state
        .services
        .registry
        .public()
        .wallet_credential(access_token, &request)
        .await
    {
        Ok(answer) => no_store(StatusCode::OK, answer),
        Err(e) => refusal(e),
    }
}
