//! A credential's own page (badge, holder, issuer, one verdict, what it stands for, and the
//! actions: downloads, LinkedIn, share link, QR code, verify again), its baked badge
//! downloads and QR code, and the holder's list of their credentials.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::registry::AwardStatus;
use credence_domain::{AwardId, EvidenceId};
use credence_service::badges::BadgeFormat;
use credence_service::portfolio::PortfolioCredential;
use credence_service::products::RefresherNotice;
use serde::Deserialize;
use serde_json::Value;

use crate::auth::CurrentActor;
use crate::error::record_id;
use crate::negotiate::Format;
use crate::pages::render;
use crate::pages::session::{notice, url_encode, Nav, SignedIn};
use crate::pages::verify::{check_lines, verdict_words, CheckLine, CredentialSummary};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "credential.html")]
struct CredentialPage {
    nav: Nav,
    title: String,
    award_id: String,
    url: String,
    verify_url: String,
    /// Offered only for a public credential that stands today (shared links to a private
    /// or revoked credential would lead to a refusal or a "not valid" page).
    linkedin_url: Option<String>,
    r: PageVerdict,
    s: CredentialSummary,
    /// Whether the viewer is the holder (who sees sharing advice).
    is_holder: bool,
    public: bool,
    has_badge: bool,
    /// For the holder: the credential is for an earlier version of an AI product.
    refresher: Option<RefresherNotice>,
    /// The holder may offer this credential to a wallet (it is active and not a copy).
    can_offer: bool,
    /// For the holder: the credential this one copies for a wallet, and its copies.
    wallet: credence_service::oid4vci::WalletLinks,
}

struct PageVerdict {
    verdict_class: &'static str,
    verdict: &'static str,
    verdict_sentence: String,
    checks: Vec<CheckLine>,
    email: Option<crate::pages::verify::EmailCheck>,
}

/// The LinkedIn "add licence or certification" link for a credential.
fn linkedin_url(summary: &CredentialSummary, doc: &Value, url: &str, id: &str) -> String {
    let mut link = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&certUrl={}&certId={}",
        url_encode(&summary.achievement_name),
        url_encode(&summary.issuer_name),
        url_encode(url),
        url_encode(id),
    );
    let date = |key: &str| {
        doc.get(key)
            .and_then(Value::as_str)
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
    };
    if let Some(d) = date("validFrom") {
        link.push_str(&format!(
            "&issueYear={}&issueMonth={}",
            d.format("%Y"),
            d.format("%-m")
        ));
    }
    if let Some(d) = date("validUntil") {
        link.push_str(&format!(
            "&expirationYear={}&expirationMonth={}",
            d.format("%Y"),
            d.format("%-m")
        ));
    }
    link
}

pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(Format::wants_html_error)
}

/// `GET /credentials/{id}`: the credential's page for browsers; the signed credential,
/// exactly as stored, for everyone else (and for `?format=json`).
pub async fn credential(
    State(state): State<AppState>,
    current: CurrentActor,
    nav: Nav,
    headers: HeaderMap,
    format: Format,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let registry = &state.services.registry;
    let id: AwardId = record_id(&id, "credential")?;
    let visible = registry.caller(&current.actor).visible_award(&id).await?;
    let (award, text) = (visible.award, visible.credential);
    if format == Format::Json || !wants_html(&headers) {
        return Ok(([(header::CONTENT_TYPE, "application/ld+json")], text).into_response());
    }
    let doc: Value = serde_json::from_str(&text).map_err(credence_service::ServiceError::wrap(
        "reading a stored credential",
    ))?;
    let report = registry.public().verify_credential_json(&doc).await?;
    let (verdict_class, verdict, verdict_sentence) = verdict_words(&report, None);
    let mut summary = CredentialSummary::from_json(&doc);
    if summary.subject_name.is_none() {
        summary.subject_name = visible.holder_name;
    }
    let url = registry.url(&format!("/credentials/{id}"));
    let is_holder = current.actor.account_id().is_some()
        && current.actor.account_id() == award.holder_id.as_ref();
    let refresher = match current.actor.holder() {
        Ok(holder) if is_holder => registry
            .with_holder(&holder)
            .refreshers_needed()
            .await?
            .into_iter()
            .find(|r| r.awards.contains(&id)),
        _ => None,
    };
    let wallet = match is_holder {
        true => registry.holder(&current.actor)?.wallet_links(&id).await?,
        false => Default::default(),
    };
    Ok(render(&CredentialPage {
        nav,
        title: summary.achievement_name.clone(),
        award_id: id.to_string(),
        verify_url: format!("/verify?credential={}", url_encode(&url)),
        linkedin_url: (award.public && award.status == AwardStatus::Active && report.is_verified())
            .then(|| linkedin_url(&summary, &doc, &url, id.as_str())),
        url,
        r: PageVerdict {
            verdict_class,
            verdict,
            verdict_sentence,
            checks: check_lines(&report),
            email: None,
        },
        s: summary,
        is_holder,
        public: award.public,
        has_badge: award.achievement_id.is_some(),
        refresher,
        can_offer: is_holder
            && award.status == AwardStatus::Active
            && award.achievement_id.is_some()
            && wallet.original.is_none(),
        wallet,
    }))
}

/// `GET /credentials/{id}/badge.svg` and `/badge.png`: the badge with the credential baked in.
pub async fn badge(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let format = match file.as_str() {
        "badge.svg" => BadgeFormat::Svg,
        "badge.png" => BadgeFormat::Png,
        _ => {
            return Err(WebError::not_found(format!(
                "There is no {file} for a credential."
            )))
        }
    };
    let id: AwardId = record_id(&id, "credential")?;
    let download = state
        .services
        .registry
        .caller(&current.actor)
        .baked_badge(&id, format)
        .await?;
    Ok(attachment(download))
}

/// `GET /credentials/{id}/credential.json`: the signed credential as a file to keep.
pub async fn download_json(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: AwardId = record_id(&id, "credential")?;
    let text = state
        .services
        .registry
        .caller(&current.actor)
        .credential_text(&id)
        .await?;
    Ok(attachment(credence_service::evidence::Download {
        file_name: format!("credential-{id}.json"),
        media_type: "application/ld+json".into(),
        content: text.into_bytes(),
    }))
}

pub(crate) fn attachment(download: credence_service::evidence::Download) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        download.file_name.replace(
            |c: char| !c.is_ascii_graphic() || c == '"' || c == '\\',
            "_"
        )
    );
    (
        [
            (header::CONTENT_TYPE, download.media_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        download.content,
    )
        .into_response()
}

/// `GET /credentials/{id}/qr.svg`: a QR code of the credential's verification link.
pub async fn qr(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let registry = &state.services.registry;
    let id: AwardId = record_id(&id, "credential")?;
    // Only for credentials the caller may see, so ids cannot be probed.
    registry.caller(&current.actor).credential_text(&id).await?;
    let url = registry.url(&format!("/credentials/{id}"));
    let target = registry.url(&format!("/verify?credential={}", url_encode(&url)));
    let code = qrcode::QrCode::with_error_correction_level(target.as_bytes(), qrcode::EcLevel::M)
        .map_err(credence_service::ServiceError::wrap("drawing a QR code"))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "my_credentials.html")]
struct MyCredentialsPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    credentials: Vec<PortfolioCredential>,
    /// The credentials of an earlier version of an AI product, with what is needed.
    refreshers: Vec<RefresherNotice>,
}

impl MyCredentialsPage {
    /// What the credential `id` needs, when it is for an earlier version of a product.
    fn refresher_for(&self, id: &str) -> Option<String> {
        self.refreshers
            .iter()
            .find(|r| r.awards.iter().any(|a| a.as_str() == id))
            .map(|r| {
                format!(
                    "For {} {}: {} {} is now registered.",
                    r.product, r.held_version, r.product, r.current_version
                )
            })
    }
}

#[derive(Debug, Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// `GET /my/credentials`: the holder's credentials with their actions.
pub async fn mine(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let portfolio = state
        .services
        .registry
        .with_holder(&user.holder)
        .own_portfolio()
        .await?;
    let refreshers = state
        .services
        .registry
        .with_holder(&user.holder)
        .refreshers_needed()
        .await?;
    Ok(render(&MyCredentialsPage {
        nav: user.nav,
        title: "Your credentials",
        notice: notice(query.notice.as_deref()),
        credentials: portfolio.credentials,
        refreshers,
    }))
}

#[derive(Debug, Deserialize)]
pub struct VisibilityForm {
    csrf: String,
    /// `public` or `private`.
    visibility: String,
    #[serde(default)]
    back: Option<String>,
}

fn visibility_of(form: &VisibilityForm) -> Result<bool, WebError> {
    match form.visibility.as_str() {
        "public" => Ok(true),
        "private" => Ok(false),
        _ => Err(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid form",
            "visibility: choose public or private",
        )),
    }
}

fn back_to(form: &VisibilityForm, default: &str) -> String {
    let back = crate::pages::session::safe_next(form.back.as_deref());
    let base = if back == "/dashboard" && form.back.is_none() {
        default.to_owned()
    } else {
        back
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}notice=visibility")
}

/// `POST /my/credentials/{id}/visibility`.
pub async fn set_visibility(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<VisibilityForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let public = visibility_of(&form)?;
    let id: AwardId = record_id(&id, "award")?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .set_award_visibility(&id, public)
        .await?;
    Ok(Redirect::to(&back_to(&form, "/my/credentials")).into_response())
}

/// `POST /evidence/{id}/visibility`.
pub async fn set_evidence_visibility(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<VisibilityForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let public = visibility_of(&form)?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .set_evidence_visibility(&id, public)
        .await?;
    Ok(Redirect::to(&back_to(&form, "/evidence")).into_response())
}
