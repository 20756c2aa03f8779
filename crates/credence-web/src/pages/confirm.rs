//! Confirming an e-mail address: the link from the message opens a page with one button
//! (a link alone changes nothing, so a mail scanner that follows links confirms nothing),
//! and the dashboard's "send the link again".

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_service::ServiceError;

use crate::pages::account::{page_with_form_token, FormTokenForm};
use crate::pages::render_with;
use crate::pages::session::{CsrfForm, Nav, SignedIn};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "confirm_address.html")]
struct ConfirmPage {
    nav: Nav,
    title: &'static str,
    /// The address the link confirms; empty when the link no longer works.
    email: String,
    action: String,
    form_token: String,
}

fn gone_page(nav: Nav) -> Response {
    render_with(
        StatusCode::GONE,
        &ConfirmPage {
            nav,
            title: "This link no longer works",
            email: String::new(),
            action: String::new(),
            form_token: String::new(),
        },
    )
}

/// `GET /account/confirm/{secret}`: the button, while the link works.
pub async fn confirm_form(
    State(state): State<AppState>,
    nav: Nav,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let Some(email) = state
        .services
        .registry
        .accounts()
        .confirmation_link(&secret)
        .await?
    else {
        return Ok(gone_page(nav));
    };
    page_with_form_token(&state, StatusCode::OK, |form_token| ConfirmPage {
        nav,
        title: "Confirm your e-mail address",
        email,
        action: format!(
            "/account/confirm/{}",
            crate::pages::session::url_encode(&secret)
        ),
        form_token,
    })
}

/// `POST /account/confirm/{secret}`: confirms, then the dashboard (or sign-in).
pub async fn confirm(
    State(state): State<AppState>,
    nav: Nav,
    client: ClientAddr,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(form): Form<FormTokenForm>,
) -> Result<Response, WebError> {
    form.form_token.check(&headers)?;
    state.throttles.spend(Budget::SignIn, client)?;
    match state
        .services
        .registry
        .accounts()
        .confirm_address(&secret)
        .await
    {
        Ok(_) if nav.user.is_some() => {
            Ok(Redirect::to("/dashboard?notice=address-confirmed").into_response())
        }
        Ok(_) => Ok(Redirect::to("/login?notice=address-confirmed").into_response()),
        Err(ServiceError::Conflict(_)) => Ok(gone_page(nav)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/confirm/resend`: a new link, from the dashboard.
pub async fn resend(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .send_confirmation_again()
        .await?;
    Ok(Redirect::to("/dashboard?notice=confirmation-sent").into_response())
}
