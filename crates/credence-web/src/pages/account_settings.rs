//! The account page: who you are here, and changing your e-mail address (asked with your
//! password, made when the new address is confirmed by the link sent to it; the link
//! opens a page with a button, so a mail scanner following it changes nothing).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_service::accounts::{AccountView, Password};
use credence_service::ServiceError;
use serde::Deserialize;

use crate::pages::account::{page_with_form_token, FormTokenForm};
use crate::pages::session::{notice, url_encode, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render_with, FieldError};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    account: AccountView,
    /// The new address as typed.
    email: String,
    /// Set once a link went to the new address.
    sent_to: Option<String>,
    errors: Vec<FieldError>,
    /// Open Badges API clients holding a live grant from this holder.
    apps: Vec<credence_service::oauth::ConnectedApp>,
}

impl AccountPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn account_page(
    state: &AppState,
    user: &SignedIn,
    notice: Option<&'static str>,
    status: StatusCode,
    email: String,
    sent_to: Option<String>,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let account = state
        .services
        .registry
        .with_holder(&user.holder)
        .me()
        .await?;
    let apps = state
        .services
        .registry
        .with_holder(&user.holder)
        .connected_apps()
        .await?;
    let page = AccountPage {
        apps,
        nav: user.nav.clone(),
        title: "Your account",
        notice,
        account,
        email,
        sent_to,
        errors,
    };
    Ok(render_with(status, &page))
}

/// `GET /account`.
pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<crate::pages::credentials::NoticeQuery>,
) -> Result<Response, WebError> {
    let notice = notice(query.notice.as_deref());
    account_page(
        &state,
        &user,
        notice,
        StatusCode::OK,
        String::new(),
        None,
        Vec::new(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: Password,
}

/// `POST /account/address`: sends the link to the new address.
pub async fn request_change(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    match state
        .services
        .registry
        .with_holder(&user.holder)
        .request_address_change(&form.email, form.password)
        .await
    {
        Ok(sent_to) => {
            account_page(
                &state,
                &user,
                None,
                StatusCode::OK,
                String::new(),
                Some(sent_to),
                Vec::new(),
            )
            .await
        }
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            account_page(&state, &user, None, status, form.email, None, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "account_address.html")]
struct ConfirmChangePage {
    nav: Nav,
    title: &'static str,
    /// The new address; empty when the link no longer works.
    email: String,
    action: String,
    form_token: String,
    problem: Option<String>,
}

fn gone_page(nav: Nav, problem: Option<String>) -> Response {
    render_with(
        StatusCode::GONE,
        &ConfirmChangePage {
            nav,
            title: "This link no longer works",
            email: String::new(),
            action: String::new(),
            form_token: String::new(),
            problem,
        },
    )
}

/// `GET /account/address/{secret}`: the button, while the link works.
pub async fn confirm_form(
    State(state): State<AppState>,
    nav: Nav,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let Some(email) = state
        .services
        .registry
        .accounts()
        .address_change_link(&secret)
        .await?
    else {
        return Ok(gone_page(nav, None));
    };
    page_with_form_token(&state, StatusCode::OK, |form_token| ConfirmChangePage {
        nav,
        title: "Confirm your new e-mail address",
        email,
        action: format!("/account/address/{}", url_encode(&secret)),
        form_token,
        problem: None,
    })
}

/// `POST /account/address/{secret}`: makes the change, then the dashboard (or sign-in).
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
        .confirm_address_change(&secret)
        .await
    {
        Ok(_) if nav.user.is_some() => {
            Ok(Redirect::to("/account?notice=address-changed").into_response())
        }
        Ok(_) => Ok(Redirect::to("/login?notice=address-changed").into_response()),
        Err(ServiceError::Conflict(why)) => Ok(gone_page(nav, Some(why))),
        Err(e) => Err(e.into()),
    }
}
