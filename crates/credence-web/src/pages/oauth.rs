//! The holder's side of the Open Badges API's OAuth 2.0 flow: the consent page at
//! `/oauth/authorize` (sign in first if needed; the client's name, its redirect URI's host
//! and the scopes in words, with Allow and Deny), and disconnecting an application from
//! the account page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::OAuthClientId;
use credence_service::oauth::{AuthorizationRequest, ConsentRequest};
use serde::Deserialize;

use crate::error::record_id;
use crate::pages::render;
use crate::pages::session::{Nav, SignedIn};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "oauth_consent.html")]
struct ConsentPage {
    nav: Nav,
    title: &'static str,
    consent: ConsentRequest,
    req: AuthorizationRequest,
}

/// The request checked: the consent to ask, a redirect back to the client with an error,
/// or an error shown here (an unknown client or redirect URI is never redirected to).
async fn checked(
    state: &AppState,
    req: &AuthorizationRequest,
) -> Result<Result<ConsentRequest, Response>, WebError> {
    match state.services.registry.oauth().consent_request(req).await {
        Ok(consent) => Ok(Ok(consent)),
        Err(Ok(back)) => Ok(Err(Redirect::to(&back.0).into_response())),
        Err(Err(e)) => Err(WebError::bad_request(match e {
            credence_service::ServiceError::Invalid(p) => p.to_string(),
            other => return Err(other.into()),
        })),
    }
}

/// `GET /oauth/authorize`: the consent page (the sign-in page first, coming back here).
pub async fn consent(
    State(state): State<AppState>,
    Query(req): Query<AuthorizationRequest>,
    user: SignedIn,
) -> Result<Response, WebError> {
    let consent = match checked(&state, &req).await? {
        Ok(consent) => consent,
        Err(back) => return Ok(back),
    };
    let origin = url::Url::parse(&consent.redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let mut page = render(&ConsentPage {
        nav: user.nav,
        title: "Allow access to your account?",
        consent,
        req,
    });
    // The form's answer redirects to the client: the page's `form-action` admits its
    // origin (an https or loopback origin the client registered, so no CSP syntax).
    let csp = crate::router::CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {origin}"),
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&csp) {
        page.headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
    Ok(page)
}

/// The consent form: the request again, the CSRF token and the button pressed.
#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(flatten)]
    req: AuthorizationRequest,
}

/// `POST /oauth/authorize`: Allow (a code) or Deny (`access_denied`), back to the client.
pub async fn answer(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<ConsentForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let consent = match checked(&state, &form.req).await? {
        Ok(consent) => consent,
        Err(back) => return Ok(back),
    };
    let back = state
        .services
        .registry
        .with_holder(&user.holder)
        .answer_consent(&form.req, &consent, form.decision == "allow")
        .await?;
    Ok(Redirect::to(&back.0).into_response())
}

/// The disconnect form.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /account/apps/{client}/disconnect`: ends every code and token the holder granted
/// the application.
pub async fn disconnect(
    State(state): State<AppState>,
    user: SignedIn,
    Path(client): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let client: OAuthClientId = record_id(&client, "application")?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .disconnect_app(&client)
        .await?;
    Ok(Redirect::to("/account?notice=app-disconnected#apps").into_response())
}
