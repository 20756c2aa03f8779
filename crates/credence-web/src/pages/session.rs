//! The person behind a page request: what the navigation shows of them ([`Nav`]), a guard
//! that sends anonymous visitors to the sign-in page ([`SignedIn`]), the CSRF check of
//! form posts, and the short notices a page shows after a form redirects to it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use credence_domain::registry::Role;
use credence_service::accounts::AccountView;
use credence_service::actor::Holder;
use credence_service::{Actor, ServiceError};

use crate::auth::CurrentActor;
use crate::{AppState, WebError};

/// A signed-in account as the navigation shows it.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub display_name: String,
    /// The account's e-mail address.
    pub email: String,
    /// The session's CSRF token, written into every form.
    pub csrf: String,
    /// Organisations (slugs) where the person assesses evidence.
    pub assessor_orgs: Vec<String>,
    /// Organisations (slugs) whose console the person may open (issuers and admins).
    pub console_orgs: Vec<String>,
    /// Whether the account operates this installation (the header links the operator pages).
    pub is_operator: bool,
}

/// What every page's layout needs: who is signed in (if anyone) and whether this is a
/// demonstration registry.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub user: Option<NavUser>,
    pub demo: bool,
}

impl Nav {
    /// The navigation of a page rendered outside a request's context (an error page).
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The CSRF token to write into forms (empty when nobody is signed in).
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }
}

fn nav_user(account: &AccountView, csrf: String) -> NavUser {
    let orgs_with = |roles: &[Role]| {
        let mut orgs: Vec<String> = account
            .roles
            .iter()
            .filter(|r| roles.contains(&r.role))
            .map(|r| r.org.clone())
            .collect();
        orgs.dedup();
        orgs
    };
    NavUser {
        display_name: account.display_name.clone(),
        email: account.email.clone(),
        csrf,
        assessor_orgs: orgs_with(&[Role::Assessor]),
        console_orgs: orgs_with(&[Role::Issuer, Role::Admin]),
        is_operator: account.is_operator,
    }
}

/// A page request by a signed-in person: who they are, the proof that they act on their own
/// portfolio, and the navigation.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub actor: Actor,
    pub holder: Holder,
    pub nav: Nav,
}

impl SignedIn {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        check_csrf(&self.nav, sent)
    }
}

/// Refuses a form whose CSRF token is not the session's.
pub fn check_csrf(nav: &Nav, sent: &str) -> Result<(), WebError> {
    let expected = nav.csrf();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "This form has expired or did not come from Credence. Go back, reload the page and try again.",
        ));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Nav {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let demo = state.services.registry.config().demo;
        let current = CurrentActor::from_request_parts(parts, state).await?;
        let (Some(csrf), Ok(holder)) = (current.csrf_token, current.actor.holder()) else {
            return Ok(Self { user: None, demo });
        };
        let account = state.services.registry.with_holder(&holder).me().await?;
        Ok(Self {
            user: Some(nav_user(&account, csrf)),
            demo,
        })
    }
}

/// Sends an anonymous visitor to the sign-in page, coming back here afterwards.
#[derive(Debug)]
pub struct ToSignIn(String);

impl IntoResponse for ToSignIn {
    fn into_response(self) -> Response {
        Redirect::to(&format!("/login?next={}", url_encode(&self.0))).into_response()
    }
}

/// Either a redirect to the sign-in page or an error.
#[derive(Debug)]
pub enum SignInRejection {
    SignIn(ToSignIn),
    Error(WebError),
}

impl IntoResponse for SignInRejection {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn(r) => r.into_response(),
            Self::Error(e) => e.into_response(),
        }
    }
}

impl From<WebError> for SignInRejection {
    fn from(e: WebError) -> Self {
        Self::Error(e)
    }
}

impl From<ServiceError> for SignInRejection {
    fn from(e: ServiceError) -> Self {
        Self::Error(e.into())
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = SignInRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, SignInRejection> {
        let demo = state.services.registry.config().demo;
        let current = CurrentActor::from_request_parts(parts, state).await?;
        let here = parts
            .uri
            .path_and_query()
            .map_or("/dashboard", |p| p.as_str())
            .to_owned();
        let (Some(csrf), Ok(holder)) = (current.csrf_token, current.actor.holder()) else {
            return Err(SignInRejection::SignIn(ToSignIn(here)));
        };
        let account = state.services.registry.with_holder(&holder).me().await?;
        let nav = Nav {
            user: Some(nav_user(&account, csrf)),
            demo,
        };
        Ok(Self {
            actor: current.actor,
            holder,
            nav,
        })
    }
}

/// Encodes a query value (`application/x-www-form-urlencoded`, as the `url` crate writes
/// it: a space becomes `+`, every byte but letters, digits and `*-._` is percent-encoded).
pub fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Where to go after signing in (or after a form with a `back` field): only a path on this
/// site, never another origin. The value must be a same-origin relative path with no
/// control characters, whitespace or backslashes (browsers drop a tab or newline and would
/// read `/\t/evil.example` as `//evil.example`); it is parsed as a URL against this site
/// and must stay on it. Anything else goes to the dashboard.
pub fn safe_next(next: Option<&str>) -> String {
    const DEFAULT: &str = "/dashboard";
    const HERE: &str = "https://credence.invalid";
    let Some(n) = next else {
        return DEFAULT.to_owned();
    };
    let clean = !n.is_empty()
        && n.starts_with('/')
        && !n.starts_with("//")
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !clean {
        return DEFAULT.to_owned();
    }
    let Ok(base) = url::Url::parse(HERE) else {
        return DEFAULT.to_owned();
    };
    match base.join(n) {
        Ok(url) if url.origin() == base.origin() && url.path().starts_with('/') => {
            let mut out = url.path().to_owned();
            if let Some(query) = url.query() {
                out.push('?');
                out.push_str(query);
            }
            if out.starts_with("//") {
                DEFAULT.to_owned()
            } else {
                out
            }
        }
        _ => DEFAULT.to_owned(),
    }
}

/// A notice shown once after a form redirects to a page: one of a fixed set, chosen by a
/// code in the query string, so a link cannot make Credence say anything else.
pub fn notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "signed-in" => "You are signed in.",
        "app-disconnected" => "The application is disconnected: its access to your account has ended.",
        "registered" => "Your account is ready. Welcome to Credence.",
        "email-choices-saved" => "Your e-mail choices are saved.",
        "address-confirmed" => "Your e-mail address is confirmed.",
        "address-changed" => "Your e-mail address is changed: sign in with the new one from now on.",
        "claimed" => "The credential is yours: it is on your dashboard, private until you choose to share it.",
        "claim-resent" => "The claim link is sent again; the earlier link no longer works.",
        "claim-corrected" => "The credential is made again for the corrected address, and the first one revoked.",
        "confirmation-sent" => "We have sent a new link to your e-mail address; it works for 48 hours.",
        "password-reset" => "Your password is changed and you are signed out everywhere. Sign in with the new password.",
        "evidence-saved" => "Your evidence is saved as a draft.",
        "evidence-submitted" => "Your evidence is submitted. An assessor will review it.",
        "evidence-deleted" => "The draft is deleted.",
        "attachment-added" => "The file is attached.",
        "visibility" => "Visibility updated.",
        "portfolio-saved" => "Your portfolio settings are saved.",
        "archetypes-saved" => "Your archetypes are saved; your dashboard shows their pathways.",
        "decided" => "Decision recorded.",
        "awarded" => "The credential is issued.",
        "status-changed" => "The credential's status is changed.",
        "achievement-created" => "The achievement is published.",
        "key-rotated" => "A new signing key is active; the old one stays in the DID document.",
        "suite-chosen" => "The cryptosuite is chosen: what is signed from now on uses it.",
        "member-added" => "The member is added.",
        "product-registered" => "The product is registered. Add its first version below.",
        "version-registered" => "The version is registered: it is now the product's current version.",
        "answer-saved" => "The answer is saved for this version.",
        "target-set" => "The target is set.",
        "product-saved" => "The product is saved.",
        "affiliation-proposed" => "The affiliation is proposed. The organisation's administrators decide.",
        "affiliation-accepted" => "The affiliation is accepted: your people now count in the system's workforce view.",
        "affiliation-ended" => "The affiliation is ended.",
        "target-removed" => "The target is removed.",
        "member-removed" => "The member is removed.",
        "token-revoked" => "The token is revoked.",
        "accredited" => "The accreditation is signed and published.",
        "accreditation-revoked" => "The accreditation is revoked.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{safe_next, url_encode};

    /// Query values survive the trip: encoded here, decoded as axum's `Query` decodes them.
    #[test]
    fn query_values_are_encoded() {
        for (given, expected) in [
            ("/dashboard", "%2Fdashboard"),
            ("registered", "registered"),
            (
                "Café & co = 100% sure?",
                "Caf%C3%A9+%26+co+%3D+100%25+sure%3F",
            ),
            ("a+b/c#d", "a%2Bb%2Fc%23d"),
            ("", ""),
        ] {
            let encoded = url_encode(given);
            assert_eq!(encoded, expected, "{given:?}");
            let decoded: Vec<(String, String)> =
                url::form_urlencoded::parse(format!("v={encoded}").as_bytes())
                    .into_owned()
                    .collect();
            assert_eq!(decoded, [("v".to_owned(), given.to_owned())], "{given:?}");
        }
    }

    #[test]
    fn only_same_origin_paths_are_followed() {
        for (given, expected) in [
            ("/evidence", "/evidence"),
            ("/console/hee/awards?page=2", "/console/hee/awards?page=2"),
            ("/a/../b", "/b"),
            ("https://evil.example/", "/dashboard"),
            ("//evil.example", "/dashboard"),
            ("/\\evil.example", "/dashboard"),
            ("/\t/evil.example/x", "/dashboard"),
            ("/\n/evil.example", "/dashboard"),
            ("/\r\nSet-Cookie: x=1", "/dashboard"),
            (" /evidence", "/dashboard"),
            ("evidence", "/dashboard"),
            ("", "/dashboard"),
        ] {
            assert_eq!(safe_next(Some(given)), expected, "{given:?}");
        }
        assert_eq!(safe_next(None), "/dashboard");
    }
}

/// A form that carries only the session's CSRF token (a button).
#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}
