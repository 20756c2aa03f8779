//! Claiming a credential awarded to an e-mail address: the link from the message opens a
//! page that says what was awarded and by whom, offers the signed credential, and then,
//! by the visitor's state, a button to add it to the account (signed in with that
//! address), the way to register or sign in with it, or a new link when this one expired.
//! Opening the page changes nothing but "opened"; claiming is a button (POST).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_service::claims::ClaimLink;
use credence_service::ServiceError;

use crate::pages::account::{page_with_form_token, FormTokenForm};
use crate::pages::credentials::attachment;
use crate::pages::session::{url_encode, CsrfForm, Nav, SignedIn};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "claim.html")]
struct ClaimPage {
    nav: Nav,
    title: String,
    /// `None`: no claim has this link.
    link: Option<ClaimLink>,
    /// This page's path, `/claim/{secret}`.
    here: String,
    /// What went wrong with the last button, in a sentence.
    problem: Option<String>,
    /// Set after a new link was sent.
    resent_to: Option<String>,
    form_token: String,
}

impl ClaimPage {
    /// Whether the visitor is signed in with the address the credential was awarded to.
    fn signed_in_as_recipient(&self) -> bool {
        match (&self.nav.user, &self.link) {
            (Some(user), Some(link)) => user.email == link.email,
            _ => false,
        }
    }

    fn register_href(&self) -> String {
        let email = self.link.as_ref().map_or("", |l| l.email.as_str());
        format!("/register?email={}", url_encode(email))
    }

    fn login_href(&self) -> String {
        format!("/login?next={}", url_encode(&self.here))
    }
}

/// The claim page for `secret`, with its status: 404 for an unknown link, 410 for one that
/// no longer works.
async fn claim_page(
    state: &AppState,
    nav: Nav,
    secret: &str,
    problem: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let link = match state.services.registry.public().claim_link(secret).await {
        Ok(link) => Some(link),
        Err(ServiceError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let status = match (&link, &problem) {
        (_, Some((status, _))) => *status,
        (None, _) => StatusCode::NOT_FOUND,
        (Some(l), _) if !l.live && !l.claimed => StatusCode::GONE,
        _ => StatusCode::OK,
    };
    let title = match &link {
        None => "This claim link is not known".to_owned(),
        Some(l) if l.claimed => "This credential has been claimed".to_owned(),
        Some(l) if !l.live => "This claim link has expired".to_owned(),
        Some(l) => format!("{} has awarded you {}", l.issuer, l.achievement),
    };
    page_with_form_token(state, status, |form_token| ClaimPage {
        nav,
        title,
        link,
        here: format!("/claim/{}", url_encode(secret)),
        problem: problem.map(|(_, p)| p),
        resent_to: None,
        form_token,
    })
}

/// `GET /claim/{secret}`.
pub async fn show(
    State(state): State<AppState>,
    nav: Nav,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    claim_page(&state, nav, &secret, None).await
}

/// `POST /claim/{secret}`: adds the credential to the signed-in account.
pub async fn claim(
    State(state): State<AppState>,
    user: SignedIn,
    Path(secret): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    match state
        .services
        .registry
        .with_holder(&user.holder)
        .claim(&secret)
        .await
    {
        Ok(_) => Ok(Redirect::to("/dashboard?notice=claimed").into_response()),
        Err(ServiceError::Forbidden(why)) => {
            claim_page(
                &state,
                user.nav,
                &secret,
                Some((StatusCode::FORBIDDEN, why)),
            )
            .await
        }
        Err(ServiceError::Conflict(why)) => {
            claim_page(&state, user.nav, &secret, Some((StatusCode::CONFLICT, why))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /claim/{secret}/resend`: a new link to the address, also when this one expired.
pub async fn resend(
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
        .public()
        .send_claim_link_again(&secret)
        .await
    {
        // The link of this page no longer names the claim: the page says where the new
        // one went, and nothing else.
        Ok(email) => page_with_form_token(&state, StatusCode::OK, |form_token| ClaimPage {
            nav,
            title: "We have sent a new link".to_owned(),
            link: None,
            here: String::new(),
            problem: None,
            resent_to: Some(email),
            form_token,
        }),
        Err(ServiceError::Conflict(why)) => {
            claim_page(&state, nav, &secret, Some((StatusCode::CONFLICT, why))).await
        }
        Err(ServiceError::TooManyRequests { message, .. }) => {
            let status = StatusCode::TOO_MANY_REQUESTS;
            claim_page(&state, nav, &secret, Some((status, message))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /claim/{secret}/credential.json`: the signed credential, while the link works.
pub async fn credential(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let text = state
        .services
        .registry
        .public()
        .claim_credential(&secret)
        .await?;
    Ok(attachment(credence_service::evidence::Download {
        file_name: "credential.json".into(),
        media_type: "application/ld+json".into(),
        content: text.into_bytes(),
    }))
}
