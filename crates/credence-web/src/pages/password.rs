//! Forgotten passwords: asking for a reset link by e-mail, and choosing a new password
//! through it. Both forms carry the sign-in forms' double-submit anti-forgery token. The
//! answer to asking is the same whether or not an account uses the address.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_service::accounts::Password;
use credence_service::ServiceError;
use serde::Deserialize;

use crate::pages::account::{is_secure, new_form_token, with_form_cookie, FormToken};
use crate::pages::session::Nav;
use crate::pages::{form_errors, render, render_with, FieldError};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    nav: Nav,
    title: &'static str,
    email: String,
    form_token: String,
    errors: Vec<FieldError>,
    /// The request went through: say where to look.
    sent_to: Option<String>,
}

impl ForgotPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    nav: Nav,
    title: &'static str,
    /// Where the form posts (the link's own address).
    action: String,
    form_token: String,
    errors: Vec<FieldError>,
    /// The link no longer works: say so, and offer a new one.
    expired: bool,
}

impl ResetPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

fn forgot_page(nav: Nav, email: String, errors: Vec<FieldError>, token: String) -> ForgotPage {
    ForgotPage {
        nav,
        title: "Reset your password",
        email,
        form_token: token,
        errors,
        sent_to: None,
    }
}

/// `GET /password/forgot`.
pub async fn forgot_form(State(state): State<AppState>, nav: Nav) -> Result<Response, WebError> {
    let token = new_form_token()?;
    let page = forgot_page(nav, String::new(), Vec::new(), token.clone());
    Ok(with_form_cookie(render(&page), &token, is_secure(&state)))
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    form_token: FormToken,
}

/// `POST /password/forgot`: queues a reset link if an account uses the address.
pub async fn forgot(
    State(state): State<AppState>,
    nav: Nav,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, WebError> {
    form.form_token.check(&headers)?;
    state.throttles.spend(Budget::SignIn, client)?;
    let token = new_form_token()?;
    let registry = &state.services.registry;
    let page = match registry
        .accounts()
        .request_password_reset(form.email.trim())
        .await
    {
        Ok(()) => ForgotPage {
            sent_to: Some(form.email.trim().to_owned()),
            ..forgot_page(nav, String::new(), Vec::new(), token.clone())
        },
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = forgot_page(nav, form.email, errors, token.clone());
            return Ok(with_form_cookie(
                render_with(status, &page),
                &token,
                is_secure(&state),
            ));
        }
    };
    Ok(with_form_cookie(render(&page), &token, is_secure(&state)))
}

fn reset_page(nav: Nav, secret: &str, errors: Vec<FieldError>, token: String) -> ResetPage {
    ResetPage {
        nav,
        title: "Choose a new password",
        action: format!(
            "/password/reset/{}",
            crate::pages::session::url_encode(secret)
        ),
        form_token: token,
        errors,
        expired: false,
    }
}

fn expired_page(nav: Nav) -> Response {
    let page = ResetPage {
        nav,
        title: "This link no longer works",
        action: String::new(),
        form_token: String::new(),
        errors: Vec::new(),
        expired: true,
    };
    render_with(StatusCode::GONE, &page)
}

/// `GET /password/reset/{secret}`: the form, while the link works.
pub async fn reset_form(
    State(state): State<AppState>,
    nav: Nav,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    if !state
        .services
        .registry
        .accounts()
        .password_reset_link_works(&secret)
        .await?
    {
        return Ok(expired_page(nav));
    }
    let token = new_form_token()?;
    let page = reset_page(nav, &secret, Vec::new(), token.clone());
    Ok(with_form_cookie(render(&page), &token, is_secure(&state)))
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: Password,
    #[serde(default)]
    form_token: FormToken,
}

/// `POST /password/reset/{secret}`: sets the password, ends every session, and sends the
/// person to sign in.
pub async fn reset(
    State(state): State<AppState>,
    nav: Nav,
    client: ClientAddr,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    form.form_token.check(&headers)?;
    state.throttles.spend(Budget::SignIn, client)?;
    match state
        .services
        .registry
        .accounts()
        .reset_password(&secret, form.password)
        .await
    {
        Ok(()) => Ok(Redirect::to("/login?notice=password-reset").into_response()),
        Err(ServiceError::Conflict(_)) => Ok(expired_page(nav)),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let token = new_form_token()?;
            let page = reset_page(nav, &secret, errors, token.clone());
            Ok(with_form_cookie(
                render_with(status, &page),
                &token,
                is_secure(&state),
            ))
        }
    }
}
