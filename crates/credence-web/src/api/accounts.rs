//! Accounts and sessions: register, sign in and out, who am I.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use credence_service::accounts::{AccountView, NewAccount, Password};
use serde::Deserialize;
use serde_json::json;

use super::ApiJson;
use crate::auth::{cookie, with_cookie, CurrentActor, SESSION_COOKIE};
use crate::error::Problem;
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    pub email: String,
    pub display_name: String,
    #[schema(value_type = String)]
    pub password: Password,
}

/// `POST /api/v1/accounts`: create a holder account.
#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = RegisterBody,
    responses((status = 201, body = AccountView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<RegisterBody>,
) -> Result<(StatusCode, Json<AccountView>), WebError> {
    state.throttles.spend(Budget::Register, client)?;
    let account = state
        .services
        .registry
        .accounts()
        .register(NewAccount {
            email: body.email,
            display_name: body.display_name,
            password: body.password,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    pub email: String,
    #[schema(value_type = String)]
    pub password: Password,
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure over TLS; an empty value with a
/// `max_age_seconds` of 0 ends it.
pub fn session_cookie(value: &str, secure: bool, max_age_seconds: i64) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .secure(secure)
        .build()
}

/// `POST /api/v1/session`: sign in; sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/session", tag = "accounts", request_body = SignInBody,
    responses((status = 201, description = "Signed in: `{account, csrf_token}`; the session cookie is set"), (status = 401, body = Problem)))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<SignInBody>,
) -> Result<Response, WebError> {
    state.throttles.spend(Budget::SignIn, client)?;
    let registry = &state.services.registry;
    let session = registry
        .accounts()
        .sign_in(&body.email, body.password)
        .await?;
    let secure = registry.config().base_url.starts_with("https://");
    let max_age = registry.config().session_hours * 3600;
    let response = (
        StatusCode::CREATED,
        Json(json!({"account": session.account, "csrf_token": session.csrf_token})),
    );
    Ok(with_cookie(
        response,
        session_cookie(&session.cookie_value, secure, max_age),
    ))
}

/// `DELETE /api/v1/session`: sign out.
#[utoipa::path(delete, path = "/session", tag = "accounts", responses((status = 204, description = "Signed out")))]
pub async fn sign_out(
    State(state): State<AppState>,
    _actor: CurrentActor,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(value) = cookie(&headers, SESSION_COOKIE) {
        state.services.registry.accounts().sign_out(&value).await?;
    }
    Ok(with_cookie(
        StatusCode::NO_CONTENT,
        session_cookie("", false, 0),
    ))
}

/// `GET /api/v1/me`: the signed-in account and its roles.
#[utoipa::path(get, path = "/me", tag = "accounts", responses((status = 200, body = AccountView), (status = 401, body = Problem)))]
pub async fn me(
    State(state): State<AppState>,
    current: CurrentActor,
) -> Result<Json<AccountView>, WebError> {
    let holder = current.actor.holder()?;
    Ok(Json(
        state.services.registry.with_holder(&holder).me().await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::{RegisterBody, SignInBody};

    /// No request type holding a password prints it.
    #[test]
    fn debug_never_prints_a_password() {
        let secret = "correct horse battery staple 1729";
        let sign_in: SignInBody = serde_json::from_value(
            serde_json::json!({"email": "a@example.org", "password": secret}),
        )
        .expect("a body");
        let register: RegisterBody = serde_json::from_value(serde_json::json!({
            "email": "a@example.org", "display_name": "A", "password": secret
        }))
        .expect("a body");
        for printed in [format!("{sign_in:?}"), format!("{register:?}")] {
            assert!(!printed.contains(secret), "{printed}");
            assert!(printed.contains("redacted"), "{printed}");
        }
    }
}
