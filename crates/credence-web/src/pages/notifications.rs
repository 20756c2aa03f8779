//! `/notifications`: what a person was told (awards, status changes, decisions on their
//! evidence), newest first, and which of those also come by e-mail; `/unsubscribe/{token}`:
//! the one-click unsubscribe of RFC 8058 (a POST with no session, as mail clients send it)
//! and the page its link opens.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use credence_domain::registry::NotificationKind;
use credence_service::notifications::Notifications;
use credence_service::Page;
use serde::Deserialize;

use crate::negotiate::Format;
use crate::pages::session::{notice, CsrfForm, Nav, SignedIn};
use crate::pages::{render, render_with};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    n: Notifications,
}

impl NotificationsPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.format("%-d %B %Y, %H:%M UTC").to_string()
    }
}

#[derive(Debug, Deserialize)]
pub struct NotificationsQuery {
    notice: Option<String>,
}

/// `GET /notifications` (JSON when asked).
pub async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    format: Format,
    axum::extract::Query(query): axum::extract::Query<NotificationsQuery>,
) -> Result<Response, WebError> {
    let n = state
        .services
        .registry
        .with_holder(&user.holder)
        .notifications(Page::new(0, 100))
        .await?;
    if format == Format::Json {
        return Ok(Json(&n).into_response());
    }
    Ok(render(&NotificationsPage {
        nav: user.nav,
        title: "Notifications",
        notice: notice(query.notice.as_deref()),
        n,
    }))
}

/// `POST /notifications/read`: every notification read.
pub async fn mark_read(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .mark_notifications_read()
        .await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// The e-mail choices: the CSRF token and one `email` value per kind kept on.
#[derive(Debug)]
pub struct EmailForm {
    csrf: String,
    on: Vec<String>,
}

impl<'de> Deserialize<'de> for EmailForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        let mut form = EmailForm {
            csrf: String::new(),
            on: Vec::new(),
        };
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => form.csrf = v,
                "email" => form.on.push(v),
                _ => {}
            }
        }
        Ok(form)
    }
}

/// `POST /notifications/email`: which kinds also come by e-mail.
pub async fn set_email(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<EmailForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let mut on = Vec::new();
    for value in &form.on {
        let kind: NotificationKind =
            value
                .parse()
                .map_err(|e: credence_domain::registry::ChoiceError| {
                    WebError::from(credence_service::ServiceError::invalid(
                        "/email",
                        e.to_string(),
                    ))
                })?;
        on.push(kind);
    }
    state
        .services
        .registry
        .with_holder(&user.holder)
        .set_email_choices(&on)
        .await?;
    Ok(Redirect::to("/notifications?notice=email-choices-saved").into_response())
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    nav: Nav,
    title: &'static str,
    /// What the link stops; empty for a link that is not ours.
    what: &'static str,
    action: String,
    done: bool,
}

/// `GET /unsubscribe/{token}`: says what the link stops, with the button.
pub async fn unsubscribe_form(
    State(state): State<AppState>,
    nav: Nav,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let Some(what) = state
        .services
        .registry
        .accounts()
        .unsubscribe_target(&token)
    else {
        return Ok(render_with(
            StatusCode::NOT_FOUND,
            &UnsubscribePage {
                nav,
                title: "This link is not one of ours",
                what: "",
                action: String::new(),
                done: false,
            },
        ));
    };
    Ok(render(&UnsubscribePage {
        nav,
        title: "Stop these e-mails",
        what,
        action: format!("/unsubscribe/{}", crate::pages::session::url_encode(&token)),
        done: false,
    }))
}

/// `POST /unsubscribe/{token}`: the one-click unsubscribe (RFC 8058), from a mail client or
/// the page's button. The token itself is the authority: no session, no form token.
pub async fn unsubscribe(
    State(state): State<AppState>,
    nav: Nav,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let kind = state
        .services
        .registry
        .accounts()
        .unsubscribe(&token)
        .await?;
    Ok(render(&UnsubscribePage {
        nav,
        title: "You will not receive these e-mails",
        what: kind.words(),
        action: String::new(),
        done: true,
    }))
}
