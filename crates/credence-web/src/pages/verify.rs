//! The public verification page: a credential pasted as JSON, uploaded as a JSON file or a
//! baked PNG/SVG badge, or named by its URL on this Credence, checked and explained line
//! by line, with the achievement, its competency statements and levels, and the evidence.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use credence_documents::credential::email_matches;
use credence_service::verification::Format;
use credence_vc::baking::{unbake, BakedCredential};
use credence_vc::verify::{FetchNote, Outcome, Verdict, VerificationReport};
use serde::Deserialize;
use serde_json::Value;

use crate::pages::session::Nav;
use crate::pages::{render, render_with, MultipartForm};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

/// One check as a line a non-specialist reads.
#[derive(Debug, Clone)]
pub struct CheckLine {
    pub label: &'static str,
    /// `passed`, `failed`, `unknown`, `warning` or `not-applicable` (a CSS class).
    pub outcome: &'static str,
    /// The outcome in words, for screen readers and print.
    pub outcome_label: &'static str,
    pub message: String,
    pub detail: Option<String>,
}

/// A competency statement an achievement stands for, at its level.
#[derive(Debug, Clone)]
pub struct Alignment {
    pub code: String,
    pub text: String,
    pub level: String,
    pub url: Option<String>,
    /// The statement's 1EdTech CASE item, when a second alignment (`targetType` `CFItem`)
    /// names the same statement: one row shows both.
    pub case_url: Option<String>,
}

/// A piece of evidence a credential links to.
#[derive(Debug, Clone)]
pub struct EvidenceLink {
    pub name: String,
    pub url: Option<String>,
    pub narrative: Option<String>,
}

/// What a credential says, read from its JSON for people (never trusted by itself: the
/// report says whether it holds).
#[derive(Debug, Clone, Default)]
pub struct CredentialSummary {
    pub achievement_name: String,
    pub achievement_description: String,
    pub criteria: Option<String>,
    pub image: Option<String>,
    pub issuer_name: String,
    pub issuer_id: String,
    pub subject_name: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub alignments: Vec<Alignment>,
    pub evidence: Vec<EvidenceLink>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A date-time as people read it ("4 March 2026, 10:00 UTC"); the raw text when unclear.
pub fn human_date(raw: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%-d %B %Y")
                .to_string()
        })
        .unwrap_or_else(|_| raw.to_owned())
}

impl CredentialSummary {
    /// Reads the parts people care about from an Open Badges 3.0 credential.
    pub fn from_json(doc: &Value) -> Self {
        let subject = doc.get("credentialSubject").cloned().unwrap_or_default();
        let subject = match subject {
            Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
            other => other,
        };
        let achievement = subject.get("achievement").cloned().unwrap_or_default();
        let issuer = doc.get("issuer").cloned().unwrap_or_default();
        let (issuer_id, issuer_name) = match &issuer {
            Value::String(id) => (id.clone(), id.clone()),
            other => {
                let id = text(other, "id").unwrap_or_default();
                (id.clone(), text(other, "name").unwrap_or(id))
            }
        };
        let image = match achievement.get("image") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => text(other, "id"),
            None => None,
        }
        .filter(|s| s.starts_with("data:image/") || s.starts_with("https://"));
        let alignments = achievement
            .get("alignment")
            .and_then(Value::as_array)
            .map(|items| alignment_rows(items))
            .unwrap_or_default();
        let evidence = match doc.get("evidence") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        }
        .into_iter()
        .map(|e| EvidenceLink {
            name: text(e, "name").unwrap_or_else(|| "Evidence".into()),
            url: web_link(text(e, "id")),
            narrative: text(e, "narrative").or_else(|| text(e, "description")),
        })
        .collect();
        Self {
            achievement_name: text(&achievement, "name")
                .or_else(|| text(doc, "name"))
                .unwrap_or_else(|| "A credential".into()),
            achievement_description: text(&achievement, "description").unwrap_or_default(),
            criteria: achievement
                .get("criteria")
                .and_then(|c| text(c, "narrative")),
            image,
            issuer_name,
            issuer_id,
            subject_name: text(&subject, "name"),
            valid_from: text(doc, "validFrom").map(|d| human_date(&d)),
            valid_until: text(doc, "validUntil").map(|d| human_date(&d)),
            alignments,
            evidence,
        }
    }
}

/// A URL from credential content that may become a link: `http` or `https` only, as a
/// URL parser reads it (so `javascript:`, `data:` and look-alikes such as ` javascript:` or
/// `java\tscript:` are shown as text, never linked).
pub fn web_link(url: Option<String>) -> Option<String> {
    let parsed = url::Url::parse(url?.as_str()).ok()?;
    matches!(parsed.scheme(), "http" | "https")
        .then(|| parsed.host().is_some())
        .filter(|has_host| *has_host)
        .map(|_| parsed.to_string())
}

fn check_label(code: &str) -> &'static str {
    match code {
        "context" => "Format",
        "data_model" => "Verifiable Credentials data model",
        "related_resource" => "Linked resources",
        "proof" => "Signature",
        "issuer" => "Issuer",
        "accreditation" => "Issuer's accreditation",
        "valid_from" => "Start of validity",
        "valid_until" => "Expiry",
        "status.revocation" => "Revocation",
        "status.suspension" => "Suspension",
        "status" => "Status",
        "schema" => "Open Badges schema",
        "ob2.badge" => "Badge class and issuer",
        "issuer.registry" => "Issuer registries",
        _ => "Other check",
    }
}

/// The report's checks as lines.
pub fn check_lines(report: &VerificationReport) -> Vec<CheckLine> {
    report
        .checks
        .iter()
        .map(|c| {
            let (outcome, outcome_label) = match c.outcome {
                Outcome::Passed => ("passed", "Passed"),
                Outcome::Failed => ("failed", "Failed"),
                Outcome::Unknown => ("unknown", "Could not check"),
                Outcome::Warning => ("warning", "Warning"),
                Outcome::NotApplicable => ("not-applicable", "Does not apply"),
            };
            CheckLine {
                label: check_label(&c.code),
                outcome,
                outcome_label,
                message: c.message.clone(),
                detail: c.detail.clone(),
            }
        })
        .collect()
}

/// The verdict as the page shows it: a CSS class, a heading and a sentence. A credential
/// that verified with warnings, or whose holder is not the person whose e-mail address was
/// given (`email_matches` false), is "verified, with warnings", each warning said first.
pub fn verdict_words(
    report: &VerificationReport,
    email_matches: Option<bool>,
) -> (&'static str, &'static str, String) {
    let mut warnings: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Warning)
        .map(|c| c.message.clone())
        .collect();
    if email_matches == Some(false) {
        warnings.insert(
            0,
            "The e-mail address you gave is not the one this credential was awarded to.".into(),
        );
    }
    if report.is_verified() && !warnings.is_empty() {
        return (
            "warning",
            Verdict::VerifiedWithWarnings.label(),
            format!(
                "{} Otherwise, the issuer signed this credential, it has not been changed, and it stands today.",
                warnings.join(" ")
            ),
        );
    }
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .map(|c| c.message.as_str())
        .collect();
    let unknown: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Unknown)
        .map(|c| c.message.as_str())
        .collect();
    match report.verdict {
        Verdict::Verified => (
            "verified",
            Verdict::Verified.label(),
            "Every check passed: the issuer signed this credential, it has not been changed, and it stands today.".into(),
        ),
        Verdict::VerifiedWithWarnings => (
            "warning",
            Verdict::VerifiedWithWarnings.label(),
            warnings.join(" "),
        ),
        Verdict::NotValid => ("not-valid", Verdict::NotValid.label(), failed.join(" ")),
        Verdict::Incomplete => (
            "incomplete",
            Verdict::Incomplete.label(),
            format!("No check failed, but some could not be made: {}", unknown.join(" ")),
        ),
    }
}

/// What the e-mail check found, if one was asked for.
#[derive(Debug, Clone)]
pub struct EmailCheck {
    pub matches: bool,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    nav: Nav,
    title: &'static str,
    error: Option<String>,
    pasted: String,
    url: String,
    result: Option<VerifyResult>,
}

/// A verification's result as the page shows it.
pub struct VerifyResult {
    pub verdict_class: &'static str,
    pub verdict: &'static str,
    pub verdict_sentence: String,
    pub checks: Vec<CheckLine>,
    pub summary: CredentialSummary,
    /// What the credential's format proves and does not, when it proves less than a
    /// Verifiable Credential (Open Badges 2.0).
    pub format_note: Option<&'static str>,
    /// When a presentation was given: its holder's checks and its other credentials.
    pub presentation: Option<PresentationPart>,
    pub email: Option<EmailCheck>,
    /// Where the credential came from, in words.
    pub source: String,
    pub json: String,
    /// What was fetched from other servers to check it.
    pub fetches: Vec<crate::pages::verify_fetches::FetchLine>,
}

#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    /// A credential URL on this Credence (a credential page's "verify" link, or its QR code).
    credential: Option<String>,
}

/// `GET /verify`: the form, or the result for `?credential=URL`.
pub async fn verify_form(
    State(state): State<AppState>,
    nav: Nav,
    client: ClientAddr,
    Query(query): Query<VerifyQuery>,
) -> Result<Response, WebError> {
    let Some(url) = query.credential.filter(|u| !u.trim().is_empty()) else {
        return Ok(render(&VerifyPage {
            nav,
            title: "Verify a credential",
            error: None,
            pasted: String::new(),
            url: String::new(),
            result: None,
        }));
    };
    state.throttles.spend(Budget::Verify, client)?;
    let outcome = match credential_by_url(&state, &url).await {
        Ok((doc, fetched)) => {
            check(
                &state,
                doc,
                None,
                format!("the credential at {url}"),
                fetched,
            )
            .await
        }
        Err(e) => Err(e),
    };
    Ok(page_for(nav, outcome, String::new(), url))
}

fn page_for(
    nav: Nav,
    outcome: Result<VerifyResult, String>,
    pasted: String,
    url: String,
) -> Response {
    match outcome {
        Ok(result) => render(&VerifyPage {
            nav,
            title: "Verification result",
            error: None,
            pasted: String::new(),
            url: String::new(),
            result: Some(result),
        }),
        Err(message) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &VerifyPage {
                nav,
                title: "Verify a credential",
                error: Some(message),
                pasted,
                url,
                result: None,
            },
        ),
    }
}

/// Loads a credential by its URL: one published on this Credence from the database, any
/// other through the guarded fetcher when fetching is on (with that fetch).
async fn credential_by_url(state: &AppState, url: &str) -> Result<(Value, Vec<FetchNote>), String> {
    let registry = &state.services.registry;
    let base = &registry.config().base_url;
    let Some(id) = url
        .trim()
        .strip_prefix(base.as_str())
        .and_then(|rest| rest.strip_prefix("/credentials/"))
        .map(|id| id.split(['?', '#']).next().unwrap_or(id))
    else {
        if registry.fetches_enabled() {
            return registry.fetch_credential(url).await;
        }
        return Err(format!(
            "Only credentials published on this Credence ({base}) can be checked by their address, because Credence never fetches anything from other sites. Download the credential or its badge image and upload it instead."
        ));
    };
    let found = match id.parse::<credence_domain::AwardId>() {
        Ok(id) => {
            registry
                .caller(&credence_service::Actor::anonymous())
                .credential_text(&id)
                .await
        }
        // Not an id: no credential is published there.
        Err(_) => Err(credence_service::ServiceError::NotFound(id.to_owned())),
    };
    match found {
        Ok(text) => serde_json::from_str(&text)
            .map(|doc| (doc, Vec::new()))
            .map_err(|e| format!("The stored credential is not JSON: {e}")),
        Err(credence_service::ServiceError::NotFound(_))
        | Err(credence_service::ServiceError::Invalid(_)) => Err(
            "No public credential is published at that address. Its holder may have kept it private: ask them for the file or the badge image.".into(),
        ),
        Err(e) => Err(format!("The credential could not be read just now ({e}). Try again later.")),
    }
}

async fn check(
    state: &AppState,
    doc: Value,
    email: Option<&str>,
    source: String,
    fetched: Vec<FetchNote>,
) -> Result<VerifyResult, String> {
    use credence_service::vcapi::{is_presentation, presented_credentials};
    if !is_presentation(&doc) {
        return check_credential(state, doc, email, source, fetched).await;
    }
    // A presentation: its holder's proof, then every credential it carries; the first is
    // shown in full, the others by their verdict.
    let checks = state
        .services
        .registry
        .public()
        .presentation_checks(&doc, None, None)
        .map_err(|e| format!("The presentation cannot be checked: {e}"))?;
    let mut results = Vec::new();
    for credential in presented_credentials(&doc) {
        let source = format!("a credential in {source}");
        results.push(check_credential(state, credential, email, source, Vec::new()).await?);
    }
    if results.is_empty() {
        return Err("The presentation carries no credential to check.".into());
    }
    let mut first = results.remove(0);
    first
        .fetches
        .splice(0..0, crate::pages::verify_fetches::fetch_lines(&fetched));
    first.presentation = Some(PresentationPart {
        holder: match doc.get("holder") {
            Some(Value::String(h)) => h.clone(),
            Some(other) => text(other, "id").unwrap_or_default(),
            None => String::new(),
        },
        checks: checks
            .into_iter()
            .map(|c| PresentationLine {
                passed: c.passed,
                message: c.message,
            })
            .collect(),
        others: results
            .into_iter()
            .map(|r| OtherCredential {
                name: r.summary.achievement_name,
                issuer: r.summary.issuer_name,
                verdict_class: r.verdict_class,
                verdict: r.verdict,
                sentence: r.verdict_sentence,
            })
            .collect(),
    });
    Ok(first)
}

/// A presentation's own check, as a line.
pub struct PresentationLine {
    pub passed: bool,
    pub message: String,
}

/// A credential of a presentation besides the one shown in full.
pub struct OtherCredential {
    pub name: String,
    pub issuer: String,
    pub verdict_class: &'static str,
    pub verdict: &'static str,
    pub sentence: String,
}

/// What the page says of a presentation around the credentials it carries.
pub struct PresentationPart {
    pub holder: String,
    pub checks: Vec<PresentationLine>,
    pub others: Vec<OtherCredential>,
}

async fn check_credential(
    state: &AppState,
    doc: Value,
    email: Option<&str>,
    source: String,
    fetched: Vec<FetchNote>,
) -> Result<VerifyResult, String> {
    let checked = state
        .services
        .registry
        .public()
        .check_any(&doc)
        .await
        .map_err(|e| {
            format!("The credential could not be checked just now ({e}). Try again later.")
        })?;
    let mut report = checked.report;
    report.fetches.splice(0..0, fetched);
    // A JWT-secured credential is shown, and matched against the e-mail, by the credential
    // it carries, not by the token's text; an Open Badges 2.0 assertion by its badge class.
    let ob2 = checked.format == Format::OpenBadges2;
    let doc = checked.shown;
    let email = email.filter(|e| !e.trim().is_empty()).map(|e| EmailCheck {
        matches: if ob2 {
            credence_vc::ob2::recipient_matches_email(&doc, e.trim())
        } else {
            let subject = doc.get("credentialSubject").cloned().unwrap_or_default();
            email_matches(&subject, e.trim())
        },
    });
    let summary = if ob2 {
        CredentialSummary::from_json(&credence_vc::ob2::as_ob3_view(&doc))
    } else {
        CredentialSummary::from_json(&doc)
    };
    let (verdict_class, verdict, mut verdict_sentence) =
        verdict_words(&report, email.as_ref().map(|e| e.matches));
    // A hosted Open Badges 2.0 badge is not signed: say what passing means for it.
    if ob2
        && verdict_class == "verified"
        && credence_vc::ob2::method(&doc) == Ok(credence_vc::ob2::Method::Hosted)
    {
        verdict_sentence = "Every check passed: the issuer's web site publishes this badge as it is, and has not revoked it. It carries no signature (see below).".into();
    }
    Ok(VerifyResult {
        verdict_class,
        verdict,
        verdict_sentence,
        checks: check_lines(&report),
        summary,
        format_note: ob2.then_some(credence_vc::ob2::WHAT_IT_PROVES),
        presentation: None,
        email,
        source,
        json: serde_json::to_string_pretty(&doc).unwrap_or_default(),
        fetches: crate::pages::verify_fetches::fetch_lines(&report.fetches),
    })
}

/// Reads an uploaded file: a JSON credential, or a PNG/SVG badge with one baked in.
fn credential_from_file(name: &str, bytes: &[u8]) -> Result<Value, String> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&bytes[0..0], |i| &bytes[i..]);
    if trimmed.starts_with(b"{") {
        return serde_json::from_slice(trimmed)
            .map_err(|e| format!("{name} is not valid JSON: {e}."));
    }
    if let Some(text) = std::str::from_utf8(trimmed)
        .ok()
        .map(str::trim)
        .filter(|t| credence_vc::jwt::looks_like_jwt(t))
    {
        return Ok(Value::String(text.to_owned()));
    }
    match unbake(bytes) {
        Ok(Some(BakedCredential::Json(v))) => Ok(v),
        Ok(Some(BakedCredential::Jwt(jwt))) => Ok(Value::String(jwt)),
        // An Open Badges 2.0 hosted assertion baked as its address: verified by fetching it.
        Ok(Some(BakedCredential::Url(address))) => Ok(Value::String(address)),
        Ok(None) => Err(format!("{name} is a badge image with no credential baked into it.")),
        Err(e) => Err(format!(
            "{name} is neither a JSON credential nor a PNG or SVG badge with a credential baked in ({e})."
        )),
    }
}

/// `POST /verify`: checks a pasted, uploaded or linked credential. The form needs no
/// sign-in and changes nothing, so it carries no CSRF token.
pub async fn verify_submit(
    State(state): State<AppState>,
    nav: Nav,
    client: ClientAddr,
    multipart: Multipart,
) -> Result<Response, WebError> {
    state.throttles.spend(Budget::Verify, client)?;
    let form = MultipartForm::read(multipart).await?;
    let pasted = form.field("credential").to_owned();
    let url = form.field("url").trim().to_owned();
    let email = form.field("email").trim().to_owned();
    let file = form.file.map(|f| {
        (
            if f.name.is_empty() {
                "The file".to_owned()
            } else {
                f.name
            },
            f.bytes,
        )
    });
    let email = Some(email.as_str()).filter(|e| !e.is_empty());
    let outcome = if let Some((name, bytes)) = file {
        match credential_from_file(&name, &bytes) {
            Ok(doc) => {
                check(
                    &state,
                    doc,
                    email,
                    format!("the uploaded file {name}"),
                    Vec::new(),
                )
                .await
            }
            Err(e) => Err(e),
        }
    } else if !pasted.trim().is_empty() {
        let text = pasted.trim();
        if credence_vc::jwt::looks_like_jwt(text) {
            // A JWT-secured credential (application/vc+jwt), verified as one.
            let doc = Value::String(text.to_owned());
            check(&state, doc, email, "the pasted JWT".into(), Vec::new()).await
        } else {
            match serde_json::from_str::<Value>(text) {
                Ok(doc) => check(&state, doc, email, "the pasted JSON".into(), Vec::new()).await,
                Err(e) => Err(format!("The pasted text is not valid JSON: {e}.")),
            }
        }
    } else if !url.is_empty() {
        match credential_by_url(&state, &url).await {
            Ok((doc, fetched)) => {
                check(
                    &state,
                    doc,
                    email,
                    format!("the credential at {url}"),
                    fetched,
                )
                .await
            }
            Err(e) => Err(e),
        }
    } else {
        Err(
            "Give a credential to check: paste its JSON, choose a file, or enter its address."
                .into(),
        )
    };
    Ok(page_for(nav, outcome, pasted, url))
}

/// An achievement's alignments as rows: a `CFItem` alignment of a statement already
/// listed (same code and name) becomes that row's CASE link instead of a row of its own.
fn alignment_rows(items: &[Value]) -> Vec<Alignment> {
    let mut rows: Vec<Alignment> = Vec::new();
    for a in items {
        let code = text(a, "targetCode").unwrap_or_default();
        let name = text(a, "targetName").unwrap_or_default();
        let url = web_link(text(a, "targetUrl"));
        if text(a, "targetType").as_deref() == Some("CFItem") {
            if let Some(row) = rows
                .iter_mut()
                .find(|r| r.code == code && r.text == name && r.case_url.is_none())
            {
                row.case_url = url;
                continue;
            }
        }
        rows.push(Alignment {
            code,
            text: name,
            level: text(a, "targetDescription").unwrap_or_default(),
            url,
            case_url: None,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::web_link;

    #[test]
    fn only_http_and_https_become_links() {
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "//evil.example",
            "not a url",
        ] {
            assert_eq!(web_link(Some(bad.into())), None, "{bad:?}");
        }
        assert_eq!(
            web_link(Some("https://example.org/a?b=1".into())).as_deref(),
            Some("https://example.org/a?b=1")
        );
        assert!(web_link(Some("http://example.org/".into())).is_some());
    }
}
