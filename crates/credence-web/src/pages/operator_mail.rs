//! `/operator/mail`: the outbox as the operator sees it: how many messages wait, were sent,
//! bounced or were given up, the server mail goes to (or that there is none and mail
//! waits), and each message's state, attempts and last error. Bodies are never shown:
//! they may hold single-use links.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::registry::{ChoiceError, OutboxState};
use credence_service::mail::OutboxView;
use credence_service::{Page, ServiceError};
use serde::Deserialize;

use crate::negotiate::Format;
use crate::pages::operator::operator;
use crate::pages::render;
use crate::pages::session::{Nav, SignedIn};
use crate::{AppState, WebError};

const PER_PAGE: u64 = 100;
/// The last page asked for that is read; beyond, the page is empty.
const MAX_PAGE: u64 = 1_000_000;

#[derive(Debug, Deserialize)]
pub struct OutboxQuery {
    state: Option<String>,
    page: Option<u64>,
}

struct Line {
    created: String,
    state: String,
    kind: String,
    recipient: String,
    subject: String,
    attempts: i32,
    last_error: String,
    sent: String,
}

struct Count {
    state: &'static str,
    n: i64,
}

#[derive(Template)]
#[template(path = "operator_mail.html")]
struct MailPage {
    nav: Nav,
    title: &'static str,
    sending: Option<String>,
    counts: Vec<Count>,
    chosen: String,
    lines: Vec<Line>,
    page: u64,
    pages: u64,
}

fn line(m: &OutboxView) -> Line {
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%-d %B %Y, %H:%M UTC").to_string();
    Line {
        created: at(m.created_at),
        state: m.state.as_str().to_owned(),
        kind: m.kind.replace('_', " "),
        recipient: m.recipient.clone(),
        subject: m.subject.clone(),
        attempts: m.attempts,
        last_error: m.last_error.clone().unwrap_or_default(),
        sent: m.sent_at.map(at).unwrap_or_default(),
    }
}

/// `GET /operator/mail` (JSON when asked).
pub async fn outbox(
    State(state): State<AppState>,
    user: SignedIn,
    format: Format,
    Query(query): Query<OutboxQuery>,
) -> Result<Response, WebError> {
    let op = operator(&user)?;
    let chosen: Option<OutboxState> = match query.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(state) => Some(state.parse().map_err(|e: ChoiceError| {
            WebError::from(ServiceError::invalid("/state", e.to_string()))
        })?),
    };
    let page = query.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let found = state
        .services
        .registry
        .with_operator(&op)
        .outbox(
            chosen,
            Page {
                offset: (page - 1).saturating_mul(PER_PAGE),
                limit: PER_PAGE,
            },
        )
        .await?;
    if format == Format::Json {
        return Ok(Json(&found).into_response());
    }
    let counts = OutboxState::ALL
        .iter()
        .map(|s| Count {
            state: s.as_str(),
            n: found
                .counts
                .iter()
                .find(|(c, _)| c == s)
                .map_or(0, |(_, n)| *n),
        })
        .collect();
    Ok(render(&MailPage {
        nav: user.nav,
        title: "Operator: e-mail",
        sending: found.sending.clone(),
        counts,
        chosen: chosen.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        lines: found.messages.iter().map(line).collect(),
        page,
        pages: found.total.div_ceil(PER_PAGE).max(1),
    }))
}
