//! Who is calling: an API token (`Authorization: Bearer crd_…`), a session cookie, or
//! nobody. A request authenticated by cookie that changes anything must carry the
//! session's CSRF token (header `X-CSRF-Token`, or the `csrf` form field checked by the
//! page handlers), so another site cannot make a signed-in browser act.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use credence_service::Actor;

use crate::{AppState, WebError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "credence_session";
/// The header carrying the CSRF token for cookie-authenticated API calls.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The caller, as established for this request.
#[derive(Clone)]
pub struct CurrentActor {
    pub actor: Actor,
    /// The session's CSRF token when the caller came with a session cookie.
    pub csrf_token: Option<String>,
}

impl std::fmt::Debug for CurrentActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurrentActor")
            .field("actor", &self.actor)
            .field(
                "csrf_token",
                &self.csrf_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// A cookie's value from the request's `Cookie` headers, read through axum-extra's cookie
/// jar.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_owned())
}

/// `response` with `cookie` set (a `Set-Cookie` header added), written through
/// axum-extra's cookie jar.
pub fn with_cookie(response: impl IntoResponse, cookie: Cookie<'static>) -> Response {
    (CookieJar::new().add(cookie), response).into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for CurrentActor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let registry = &state.services.registry;
        if let Some(value) = parts.headers.get(AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(|| {
                    WebError::new(
                        axum::http::StatusCode::UNAUTHORIZED,
                        "Not signed in",
                        "The Authorization header must be 'Bearer' followed by an API token.",
                    )
                })?;
            let actor = registry.accounts().token_actor(token).await?;
            if actor.is_none() {
                // Guessing tokens costs the guesser: past the budget, 429 instead of 401.
                state.throttles.spend(
                    crate::throttle::Budget::BadToken,
                    crate::throttle::ClientAddr::of(parts),
                )?;
            }
            let actor = actor.ok_or_else(|| {
                WebError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "Not signed in",
                    "The API token is not valid: it is unknown, expired or revoked.",
                )
            })?;
            return Ok(Self {
                actor,
                csrf_token: None,
            });
        }
        if let Some(value) = cookie(&parts.headers, SESSION_COOKIE) {
            if let Some(session) = registry.accounts().session_actor(&value).await? {
                // API calls check the header here; form posts carry the token in the body
                // and are checked by the page handler, which marks them with the header-less
                // form content type.
                // Only pages take forms: the JSON API under /api/v1 always wants the header.
                let is_api = parts
                    .extensions
                    .get::<axum::extract::OriginalUri>()
                    .map_or(parts.uri.path(), |u| u.0.path())
                    .starts_with("/api/");
                let is_form = !is_api
                    && parts
                        .headers
                        .get(axum::http::header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| {
                            v.starts_with("application/x-www-form-urlencoded")
                                || v.starts_with("multipart/form-data")
                        });
                if !is_safe(&parts.method) && !is_form {
                    let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
                    if sent != Some(session.csrf_token.as_str()) {
                        return Err(WebError::new(
                            axum::http::StatusCode::FORBIDDEN,
                            "Forbidden",
                            "This request needs the session's CSRF token in the X-CSRF-Token header.",
                        ));
                    }
                }
                return Ok(Self {
                    actor: session.actor,
                    csrf_token: Some(session.csrf_token),
                });
            }
        }
        Ok(Self {
            actor: Actor::anonymous(),
            csrf_token: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::{COOKIE, SET_COOKIE};
    use axum::http::{HeaderMap, StatusCode};

    use crate::api::accounts::session_cookie;

    /// Cookies are read from every `Cookie` header by exact name, and the session cookie
    /// is written with the attributes that keep it private.
    #[test]
    fn cookies_are_read_and_written_through_the_jar() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "theme=dark; credence_session=abc".parse().unwrap());
        headers.append(COOKIE, "credence_form=t0k".parse().unwrap());
        for (name, expected) in [
            (SESSION_COOKIE, Some("abc")),
            ("credence_form", Some("t0k")),
            ("theme", Some("dark")),
            ("credence", None),
            ("credence_session_old", None),
        ] {
            assert_eq!(cookie(&headers, name).as_deref(), expected, "{name}");
        }
        assert_eq!(cookie(&HeaderMap::new(), SESSION_COOKIE), None);

        let check = |secure: bool, max_age: i64, expected: &[&str]| {
            let response = with_cookie(
                StatusCode::NO_CONTENT,
                session_cookie("v4lue", secure, max_age),
            );
            let set: Vec<&str> = response
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            assert_eq!(set.len(), 1, "{set:?}");
            let attributes: Vec<&str> = set[0].split("; ").collect();
            for part in expected {
                assert!(attributes.contains(part), "{set:?} lacks {part}");
            }
            assert_eq!(attributes.contains(&"Secure"), secure, "{set:?}");
        };
        check(
            false,
            3600,
            &[
                "credence_session=v4lue",
                "HttpOnly",
                "SameSite=Lax",
                "Path=/",
                "Max-Age=3600",
            ],
        );
        check(true, 0, &["credence_session=v4lue", "Max-Age=0"]);
    }

    #[test]
    fn debug_never_prints_the_csrf_token() {
        let current = CurrentActor {
            actor: Actor::anonymous(),
            csrf_token: Some("csrf-secret-5521".into()),
        };
        let session = credence_service::accounts::SessionActor {
            actor: Actor::anonymous(),
            csrf_token: "csrf-secret-5521".into(),
        };
        for printed in [format!("{current:?}"), format!("{session:?}")] {
            assert!(!printed.contains("csrf-secret-5521"), "{printed}");
            assert!(printed.contains("[redacted]"), "{printed}");
        }
    }
}
