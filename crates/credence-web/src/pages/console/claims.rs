//! An award made to an address without an account, on the issuer's console: send the
//! claim link again, or correct the address (a new award to it, the first revoked).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::AwardId;
use serde::Deserialize;

use super::awards::{award_detail_page, Correction, Sent};
use super::console_for;
use crate::error::record_id;
use crate::pages::session::{CsrfForm, SignedIn};
use crate::pages::{form_errors, render_with};
use crate::{AppState, WebError};

/// `POST /console/{org}/awards/{id}/claim/resend`.
pub async fn resend(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "awards").await?;
    let id: AwardId = record_id(&id, "award")?;
    let issuer = c.issuer()?.clone();
    match state
        .services
        .registry
        .with_issuer(&issuer)
        .resend_claim(&id)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/awards/{id}?notice=claim-resent",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let sent = Sent {
                errors,
                ..Sent::default()
            };
            let page = award_detail_page(&state, user, c, &id, None, sent).await?;
            Ok(render_with(status, &page))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    correction_reason: String,
}

/// `POST /console/{org}/awards/{id}/claim/correct`: then the new award's page.
pub async fn correct(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<CorrectForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "awards").await?;
    let id: AwardId = record_id(&id, "award")?;
    let issuer = c.issuer()?.clone();
    match state
        .services
        .registry
        .with_issuer(&issuer)
        .correct_claim_address(&id, &form.email, &form.correction_reason)
        .await
    {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/console/{}/awards/{}?notice=claim-corrected",
            c.slug, outcome.award.id
        ))
        .into_response()),
        Err(e) => {
            let (status, mut errors) = form_errors(e)?;
            // The service names the reason `reason`, as the status form's is named.
            for e in &mut errors {
                if e.field == "reason" {
                    e.field = "correction_reason".into();
                }
            }
            let status = if status == StatusCode::OK {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                status
            };
            let sent = Sent {
                correction: Correction {
                    email: form.email,
                    reason: form.correction_reason,
                },
                errors,
                ..Sent::default()
            };
            let page = award_detail_page(&state, user, c, &id, None, sent).await?;
            Ok(render_with(status, &page))
        }
    }
}
