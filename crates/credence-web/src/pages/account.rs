//! Signing in, registering and signing out in the browser. The sign-in and registration
//! forms are protected from cross-site posting by a double-submit token: a random value in
//! a `SameSite=Strict` cookie that the form must repeat.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, SameSite};
use credence_service::accounts::{NewAccount, Password};
use serde::Deserialize;

use crate::api::accounts::session_cookie;
use crate::auth::{cookie, with_cookie, SESSION_COOKIE};
use crate::pages::session::{check_csrf, safe_next, url_encode, Nav};
use crate::pages::{form_errors, render, render_with, FieldError};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

/// The cookie carrying the sign-in forms' anti-forgery token.
const FORM_COOKIE: &str = "credence_form";

/// A person the demonstration registry lets anyone sign in as.
#[derive(Debug, Clone)]
pub struct DemoPersona {
    pub email: String,
    pub name: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Nav,
    title: &'static str,
    next: String,
    email: String,
    form_token: String,
    errors: Vec<FieldError>,
    open_registration: bool,
    demo_personas: Vec<DemoPersona>,
    demo_password: &'static str,
    /// Said once after another page sends the person here (a password just changed).
    notice: Option<&'static str>,
}

impl LoginPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    notice: Option<String>,
}

pub(crate) fn new_form_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| {
        credence_service::ServiceError::internal(format!("drawing a form token: {e}"))
    })?;
    Ok(hex::encode(bytes))
}

pub(crate) fn form_cookie(value: &str, secure: bool) -> Cookie<'static> {
    Cookie::build((FORM_COOKIE, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::hours(1))
        .secure(secure)
        .build()
}

pub(crate) fn is_secure(state: &AppState) -> bool {
    state
        .services
        .registry
        .config()
        .base_url
        .starts_with("https://")
}

fn demo_personas(state: &AppState) -> Vec<DemoPersona> {
    if !state.services.registry.config().demo {
        return Vec::new();
    }
    credence_service::demo::demo_logins()
        .into_iter()
        .map(|l| DemoPersona {
            email: l.email,
            name: l.display_name,
            role: if l.summary.is_empty() {
                l.label
            } else {
                format!("{}: {}", l.label, l.summary)
            },
        })
        .collect()
}

/// A session-less form that carries only its anti-forgery token (a button on a page
/// reached by an e-mailed link).
#[derive(Debug, Deserialize)]
pub struct FormTokenForm {
    #[serde(default)]
    pub form_token: FormToken,
}

/// Renders the page that `make` builds around a fresh anti-forgery token (its form's
/// hidden field), with the token's cookie: the forms posted without a session.
pub(crate) fn page_with_form_token<T: askama::Template>(
    state: &AppState,
    status: StatusCode,
    make: impl FnOnce(String) -> T,
) -> Result<Response, WebError> {
    let token = new_form_token()?;
    let page = make(token.clone());
    Ok(with_form_cookie(
        crate::pages::render_with(status, &page),
        &token,
        is_secure(state),
    ))
}

/// Sends the page with a fresh anti-forgery cookie.
pub(crate) fn with_form_cookie(response: Response, token: &str, secure: bool) -> Response {
    with_cookie(response, form_cookie(token, secure))
}

fn login_page(
    state: &AppState,
    nav: Nav,
    next: String,
    email: String,
    errors: Vec<FieldError>,
    token: String,
) -> LoginPage {
    LoginPage {
        nav,
        title: "Sign in",
        next,
        email,
        form_token: token,
        errors,
        open_registration: state.services.registry.config().open_registration,
        demo_personas: demo_personas(state),
        demo_password: if state.services.registry.config().demo {
            credence_service::demo::DEMO_PASSWORD
        } else {
            ""
        },
        notice: None,
    }
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    nav: Nav,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(query.next.as_deref());
    if nav.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let token = new_form_token()?;
    let mut page = login_page(&state, nav, next, String::new(), Vec::new(), token.clone());
    page.notice = crate::pages::session::notice(query.notice.as_deref());
    Ok(with_form_cookie(render(&page), &token, is_secure(&state)))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    #[serde(default)]
    password: Password,
    #[serde(default)]
    next: Option<String>,
    form_token: FormToken,
}

/// The anti-forgery token a form posted without a session sends back: it must repeat the
/// value of the form cookie (double submit). Never printed.
#[derive(Default, Deserialize)]
#[serde(transparent)]
pub struct FormToken(String);

impl std::fmt::Debug for FormToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl FormToken {
    /// Refuses (403) a form whose token is not the form cookie's.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Result<(), WebError> {
        if cookie(headers, FORM_COOKIE).is_some_and(|c| !c.is_empty() && c == self.0) {
            Ok(())
        } else {
            Err(forged())
        }
    }
}

fn forged() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "Forbidden",
        "This form has expired or did not come from Credence. Reload the page and try again.",
    )
}

/// `POST /login`: checks the password, opens a session and goes on to `next`.
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    form.form_token.check(&headers)?;
    state.throttles.spend(Budget::SignIn, client)?;
    let next = safe_next(form.next.as_deref());
    let registry = &state.services.registry;
    match registry
        .accounts()
        .sign_in(form.email.trim(), form.password)
        .await
    {
        Ok(session) => {
            let max_age = registry.config().session_hours * 3600;
            Ok(with_cookie(
                Redirect::to(&next),
                session_cookie(&session.cookie_value, is_secure(&state), max_age),
            ))
        }
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let token = new_form_token()?;
            let page = login_page(
                &state,
                Nav::anonymous(),
                next,
                form.email,
                errors,
                token.clone(),
            );
            let demo = registry.config().demo;
            let mut page = page;
            page.nav.demo = demo;
            Ok(with_form_cookie(
                render_with(status, &page),
                &token,
                is_secure(&state),
            ))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// `POST /logout`: ends the session.
pub async fn logout(
    State(state): State<AppState>,
    nav: Nav,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Result<Response, WebError> {
    if nav.user.is_some() {
        check_csrf(&nav, &form.csrf)?;
        if let Some(value) = cookie(&headers, SESSION_COOKIE) {
            state.services.registry.accounts().sign_out(&value).await?;
        }
    }
    Ok(with_cookie(
        Redirect::to("/login"),
        session_cookie("", false, 0),
    ))
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    nav: Nav,
    title: &'static str,
    email: String,
    display_name: String,
    form_token: String,
    errors: Vec<FieldError>,
}

impl RegisterPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

fn registration_closed() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "Registration is closed",
        "This registry creates accounts itself; ask its operator for one.",
    )
}

#[derive(Debug, Deserialize)]
pub struct RegisterQuery {
    /// The address to fill in (a claim page links here with the address awarded to).
    email: Option<String>,
}

/// `GET /register`.
pub async fn register_form(
    State(state): State<AppState>,
    nav: Nav,
    Query(query): Query<RegisterQuery>,
) -> Result<Response, WebError> {
    if !state.services.registry.config().open_registration {
        return Err(registration_closed());
    }
    if nav.user.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    page_with_form_token(&state, StatusCode::OK, |form_token| RegisterPage {
        nav,
        title: "Create an account",
        email: query
            .email
            .map(|e| e.trim().chars().take(254).collect())
            .unwrap_or_default(),
        display_name: String::new(),
        form_token,
        errors: Vec::new(),
    })
}

#[derive(Debug, Deserialize)]
pub struct RegisterForm {
    email: String,
    display_name: String,
    #[serde(default)]
    password: Password,
    form_token: FormToken,
}

/// `POST /register`: creates a holder account and signs it in.
pub async fn register(
    State(state): State<AppState>,
    nav: Nav,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<RegisterForm>,
) -> Result<Response, WebError> {
    form.form_token.check(&headers)?;
    state.throttles.spend(Budget::Register, client)?;
    let registry = &state.services.registry;
    let password = form.password.clone();
    let created = registry
        .accounts()
        .register(NewAccount {
            email: form.email.trim().to_owned(),
            display_name: form.display_name.clone(),
            password: password.clone(),
        })
        .await;
    let outcome = match created {
        Ok(account) => registry.accounts().sign_in(&account.email, password).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(session) => {
            let max_age = registry.config().session_hours * 3600;
            Ok(with_cookie(
                Redirect::to(&format!("/dashboard?notice={}", url_encode("registered"))),
                session_cookie(&session.cookie_value, is_secure(&state), max_age),
            ))
        }
        Err(e) => {
            let (status, mut errors) = form_errors(e)?;
            // The only conflict is an e-mail address already registered: said beside it.
            if status == StatusCode::CONFLICT {
                for e in &mut errors {
                    e.field = "email".into();
                }
            }
            page_with_form_token(&state, status, |form_token| RegisterPage {
                nav,
                title: "Create an account",
                email: form.email,
                display_name: form.display_name,
                form_token,
                errors,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FormToken, LoginForm, RegisterForm};

    /// No form holding a password prints it.
    #[test]
    fn debug_never_prints_a_password() {
        let secret = "correct horse battery staple 1729";
        let login: LoginForm = serde_json::from_value(serde_json::json!({
            "email": "a@example.org", "password": secret, "form_token": "anti-forgery-9431"
        }))
        .expect("a form");
        let register: RegisterForm = serde_json::from_value(serde_json::json!({
            "email": "a@example.org", "display_name": "A", "password": secret, "form_token": "anti-forgery-9431"
        }))
        .expect("a form");
        let token = FormToken("anti-forgery-9431".into());
        for printed in [
            format!("{login:?}"),
            format!("{register:?}"),
            format!("{token:?}"),
        ] {
            assert!(!printed.contains(secret), "{printed}");
            assert!(!printed.contains("anti-forgery-9431"), "{printed}");
        }
    }
}
