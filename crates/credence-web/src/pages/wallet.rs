//! Offering a credential to a wallet (OpenID4VCI): the holder's "Offer to a wallet" form on
//! a credential's page answers with the offer, once: a QR code (an SVG drawn here), the
//! `openid-credential-offer://` link, when it expires, and the transaction code the wallet
//! will ask for.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use base64::Engine as _;
use credence_domain::AwardId;
use serde::Deserialize;

use crate::error::record_id;
use crate::pages::render;
use crate::pages::session::{Nav, SignedIn};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "wallet_offer.html")]
struct WalletOfferPage {
    nav: Nav,
    title: &'static str,
    award_id: String,
    offer_uri: String,
    /// The QR code of the link, as a `data:` URL of an SVG image.
    qr_data_url: String,
    tx_code: Option<String>,
    expires_at: String,
}

#[derive(Debug, Deserialize)]
pub struct OfferForm {
    csrf: String,
    /// Present (any value) when the wallet must also give a transaction code.
    #[serde(default)]
    tx_code: Option<String>,
}

/// The QR code of `text` as a `data:image/svg+xml` URL.
fn qr_data_url(text: &str) -> Result<String, WebError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L)
        .map_err(credence_service::ServiceError::wrap("drawing a QR code"))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// `POST /credentials/{id}/wallet-offer` (the holder, with the CSRF token): a new offer.
pub async fn offer(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<OfferForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let id: AwardId = record_id(&id, "credential")?;
    let offer = state
        .services
        .registry
        .with_holder(&user.holder)
        .offer_to_wallet(&id, form.tx_code.is_some())
        .await?;
    Ok(render(&WalletOfferPage {
        nav: user.nav,
        title: "Offer to a wallet",
        award_id: id.to_string(),
        qr_data_url: qr_data_url(&offer.offer_uri)?,
        offer_uri: offer.offer_uri,
        tx_code: offer.tx_code,
        expires_at: offer
            .expires_at
            .format("%H:%M UTC on %-d %B %Y")
            .to_string(),
    }))
}
