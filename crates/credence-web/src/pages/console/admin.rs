//! The administrator's sections of the console (members and roles, API tokens, signing
//! keys, the audit trail) and accreditations given and received.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::registry::{AccreditationStatus, OrgKind, Role};
use credence_domain::{AccountId, AccreditationId, TokenId};
use credence_service::accreditation::AccreditationView;
use credence_service::awards::DEFAULT_FRAMEWORK;
use credence_service::orgs::{KeyView, MemberView, TokenView};
use credence_service::{Page, ServiceError};
use serde::Deserialize;

use super::{audit_lines, console_for, when, AuditLine, Console};
use crate::error::record_id;
use crate::pages::credentials::NoticeQuery;
use crate::pages::holder::Choice;
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

/// Audit entries per page.
const AUDIT_PER_PAGE: u64 = 50;

/// The roles as choices, with what each may do.
fn role_choices() -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: match r {
                Role::Admin => "Admin: members, tokens, keys and the audit trail",
                Role::Issuer => "Issuer: achievements, awards and statuses",
                Role::Assessor => "Assessor: confirms or rejects evidence",
            }
            .to_owned(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Members.

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "console_members.html")]
struct MembersPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    members: Vec<MemberView>,
    roles: Vec<Choice>,
    form: MemberForm,
    errors: Vec<FieldError>,
}

impl MembersPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn members_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: MemberForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<MembersPage, WebError> {
    let members = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .members()
        .await?;
    Ok(MembersPage {
        nav: user.nav,
        title: format!("Members of {}", c.name),
        notice: notice(notice_code),
        c,
        members,
        roles: role_choices(),
        form,
        errors,
    })
}

/// `GET /console/{org}/members` (admins).
pub async fn members(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "members").await?;
    let form = MemberForm {
        role: Role::Issuer.as_str().to_owned(),
        ..MemberForm::default()
    };
    let page = members_page(&state, user, c, form, Vec::new(), query.notice.as_deref()).await?;
    Ok(render(&page))
}

/// `POST /console/{org}/members`: gives an account (by e-mail) a role.
pub async fn add_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "members").await?;
    let admin = c.admin()?.clone();
    let outcome = match state
        .services
        .registry
        .with_org_admin(&admin)
        .add_member_from_form(&form.email, &form.role)
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(form_errors(e)?),
    };
    match outcome {
        Ok(()) => Ok(
            Redirect::to(&format!("/console/{}/members?notice=member-added", c.slug))
                .into_response(),
        ),
        Err((status, errors)) => {
            let page = members_page(&state, user, c, form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}

/// The form that takes one role away from a member (the console's and the operator's).
#[derive(Debug, Deserialize)]
pub struct RemoveMemberForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub role: String,
}

/// `POST /console/{org}/members/remove`: takes one role away from a member.
pub async fn remove_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<RemoveMemberForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "members").await?;
    let role = form
        .role
        .parse::<Role>()
        .map_err(|e| WebError::bad_request(e.to_string()))?;
    let account: AccountId = record_id(&form.account, "account")?;
    state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .remove_member(&account, role)
        .await?;
    Ok(Redirect::to(&format!(
        "/console/{}/members?notice=member-removed",
        c.slug
    ))
    .into_response())
}

// ---------------------------------------------------------------------------------------
// API tokens.

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    days: String,
}

/// A token as listed.
pub struct TokenLine {
    pub view: TokenView,
    pub created: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "console_tokens.html")]
struct TokensPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    tokens: Vec<TokenLine>,
    roles: Vec<Choice>,
    form: TokenForm,
    errors: Vec<FieldError>,
    /// A token just made: its value, shown on this page only.
    created: Option<(TokenView, String)>,
    max_days: i64,
}

impl TokensPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn tokens_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: TokenForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<TokensPage, WebError> {
    let tokens = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .tokens()
        .await?
        .into_iter()
        .map(|t| TokenLine {
            created: when(&t.created_at),
            expires: when(&t.expires_at),
            view: t,
        })
        .collect();
    Ok(TokensPage {
        nav: user.nav,
        title: format!("API tokens of {}", c.name),
        notice: notice(notice_code),
        c,
        tokens,
        roles: role_choices(),
        form,
        errors,
        created: None,
        max_days: credence_service::orgs::MAX_TOKEN_DAYS,
    })
}

/// `GET /console/{org}/tokens` (admins).
pub async fn tokens(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "tokens").await?;
    let form = TokenForm {
        role: Role::Issuer.as_str().to_owned(),
        days: "90".into(),
        ..TokenForm::default()
    };
    let page = tokens_page(&state, user, c, form, Vec::new(), query.notice.as_deref()).await?;
    Ok(render(&page))
}

/// `POST /console/{org}/tokens`: makes a token and shows its value, once, on the page
/// this answers with (never stored, never shown again).
pub async fn create_token(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "tokens").await?;
    let admin = c.admin()?.clone();
    let outcome = match state
        .services
        .registry
        .with_org_admin(&admin)
        .create_token_from_form(&form.role, &form.label, &form.days)
        .await
    {
        Ok(token) => Ok(token),
        Err(e) => Err(form_errors(e)?),
    };
    match outcome {
        Ok(token) => {
            let mut page =
                tokens_page(&state, user, c, TokenForm::default(), Vec::new(), None).await?;
            page.form.role = Role::Issuer.as_str().to_owned();
            page.form.days = "90".into();
            page.created = Some((token.view, token.value));
            let mut response = render(&page);
            // The value must not be kept by a cache or shown again by the back button.
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err((status, errors)) => {
            let page = tokens_page(&state, user, c, form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /console/{org}/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "tokens").await?;
    let admin = c.admin()?;
    let id: TokenId = record_id(&id, "token")?;
    state
        .services
        .registry
        .with_org_admin(admin)
        .revoke_token(&id)
        .await?;
    Ok(Redirect::to(&format!("/console/{}/tokens?notice=token-revoked", c.slug)).into_response())
}

// ---------------------------------------------------------------------------------------
// Keys.

#[derive(Template)]
#[template(path = "console_keys.html")]
struct KeysPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    keys: Vec<KeyView>,
    errors: Vec<FieldError>,
    /// The cryptosuite the organisation signs with by default.
    cryptosuite: String,
}

/// The cryptosuites an organisation may choose, with what each means to a verifier.
const SUITES: [(&str, &str); 2] = [
    (
        "eddsa-rdfc-2022",
        "eddsa-rdfc-2022 (recommended: what Open Badges 3.0 verifiers expect)",
    ),
    (
        "eddsa-jcs-2022",
        "eddsa-jcs-2022 (faster; signs the JSON as written, so fewer verifiers accept it)",
    ),
];

impl KeysPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn suites(&self) -> &'static [(&'static str, &'static str)] {
        &SUITES
    }
}

async fn keys_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    notice_code: Option<&str>,
    errors: Vec<FieldError>,
) -> Result<KeysPage, WebError> {
    let mut keys = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .keys()
        .await?;
    for k in &mut keys {
        k.created_at = when(&k.created_at);
        k.retired_at = k.retired_at.as_deref().map(when);
    }
    keys.reverse();
    let org = state.services.registry.public().org(&c.slug).await?;
    let cryptosuite = credence_service::orgs::org_view(&org).cryptosuite;
    Ok(KeysPage {
        nav: user.nav,
        title: format!("Signing keys of {}", c.name),
        notice: notice(notice_code),
        c,
        keys,
        errors,
        cryptosuite,
    })
}

/// `GET /console/{org}/keys` (admins): the public parts of every key, newest first.
pub async fn keys(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "keys").await?;
    Ok(render(
        &keys_page(&state, user, c, query.notice.as_deref(), Vec::new()).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /console/{org}/keys/rotate`: makes a new signing key, once confirmed.
pub async fn rotate_key(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<RotateForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "keys").await?;
    if form.confirm.is_none() {
        let errors = vec![FieldError {
            field: "confirm".into(),
            message: "Tick the box to confirm the rotation.".into(),
        }];
        let page = keys_page(&state, user, c, None, errors).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .rotate_key()
        .await?;
    Ok(Redirect::to(&format!("/console/{}/keys?notice=key-rotated", c.slug)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SuiteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cryptosuite: String,
}

/// `POST /console/{org}/keys/cryptosuite`: the suite the organisation signs with.
pub async fn set_cryptosuite(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<SuiteForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "keys").await?;
    match state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .set_cryptosuite(&form.cryptosuite)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/console/{}/keys?notice=suite-chosen", c.slug)).into_response(),
        ),
        Err(ServiceError::Invalid(_)) => {
            let errors = vec![FieldError {
                field: "cryptosuite".into(),
                message: "Choose one of the cryptosuites listed.".into(),
            }];
            let page = keys_page(&state, user, c, None, errors).await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// The audit trail.

#[derive(Template)]
#[template(path = "console_audit.html")]
struct AuditPage {
    nav: Nav,
    title: String,
    c: Console,
    entries: Vec<AuditLine>,
    page: u64,
    has_next: bool,
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    page: Option<u64>,
}

/// `GET /console/{org}/audit?page=` (admins): the organisation's audit trail, newest first.
pub async fn audit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "audit").await?;
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let mut entries = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .org_audit(Page::new((page - 1) * AUDIT_PER_PAGE, AUDIT_PER_PAGE + 1))
        .await?;
    let has_next = entries.len() as u64 > AUDIT_PER_PAGE;
    entries.truncate(AUDIT_PER_PAGE as usize);
    let entries = audit_lines(c.slug.as_str(), entries);
    Ok(render(&AuditPage {
        nav: user.nav,
        title: format!("Audit trail of {}", c.name),
        c,
        entries,
        page,
        has_next,
    }))
}

// ---------------------------------------------------------------------------------------
// Accreditations.

#[derive(Template)]
#[template(path = "console_accreditations.html")]
struct AccreditationsPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    given: Vec<AccreditationView>,
    received: Vec<AccreditationView>,
    providers: Vec<Choice>,
    pathways: Vec<Choice>,
    form: AccreditForm,
    errors: Vec<FieldError>,
}

impl AccreditationsPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn chosen(&self, pathway: &str) -> bool {
        self.form.pathways.iter().any(|p| p == pathway)
    }
}

/// The accreditation form: a provider and one checkbox per pathway, all named `pathway`.
#[derive(Debug, Clone, Default)]
pub struct AccreditForm {
    csrf: String,
    provider: String,
    pathways: Vec<String>,
    /// The day the accreditation ends (empty: no end).
    valid_until: String,
}

impl<'de> Deserialize<'de> for AccreditForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut form = Self::default();
        for (k, v) in Vec::<(String, String)>::deserialize(d)? {
            match k.as_str() {
                "csrf" => form.csrf = v,
                "provider" => form.provider = v,
                "pathway" => form.pathways.push(v),
                "valid_until" => form.valid_until = v,
                _ => {}
            }
        }
        Ok(form)
    }
}

async fn accreditations_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: AccreditForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<AccreditationsPage, WebError> {
    let registry = &state.services.registry;
    let (given, received) = registry.public().accreditations(&c.slug).await?;
    let (mut providers, mut pathways) = (Vec::new(), Vec::new());
    if c.is_body && c.is_issuer {
        providers = registry
            .public()
            .orgs()
            .await?
            .into_iter()
            .filter(|o| o.slug != c.slug.as_str() && o.kind != OrgKind::AccreditingBody)
            .map(|o| Choice {
                value: o.slug,
                label: o.name,
            })
            .collect();
        let slug = credence_domain::FrameworkSlug::new(DEFAULT_FRAMEWORK)
            .map_err(ServiceError::wrap("naming the default framework"))?;
        let framework = state.services.frameworks.get(&slug, None).await?;
        pathways = framework
            .document()
            .pathways
            .iter()
            .map(|p| Choice {
                value: p.code.as_str().to_owned(),
                label: p.name.clone(),
            })
            .collect();
    }
    Ok(AccreditationsPage {
        nav: user.nav,
        title: format!("Accreditations of {}", c.name),
        notice: notice(notice_code),
        c,
        given,
        received,
        providers,
        pathways,
        form,
        errors,
    })
}

/// `GET /console/{org}/accreditations`: given (for accrediting bodies) and received.
pub async fn accreditations(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "accreditations").await?;
    let page = accreditations_page(
        &state,
        user,
        c,
        AccreditForm::default(),
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&page))
}

/// `POST /console/{org}/accreditations`: the body accredits a provider for pathways.
pub async fn accredit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<AccreditForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "accreditations").await?;
    let issuer = c.issuer()?.clone();
    match state
        .services
        .registry
        .with_accrediting_body(&issuer)
        .accredit(&form.provider, &form.pathways, Some(&form.valid_until))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/accreditations?notice=accredited",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = accreditations_page(&state, user, c, form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeAccreditationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// Present (`yes`) when the revocation, which cannot be undone, is confirmed.
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /console/{org}/accreditations/{id}/revoke`: revokes an accreditation the body
/// gave, with a reason.
pub async fn revoke_accreditation(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<RevokeAccreditationForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "accreditations").await?;
    let issuer = c.issuer()?.clone();
    if form.confirm.is_none() {
        let errors = vec![FieldError {
            field: String::new(),
            message: "Revoking an accreditation cannot be undone: tick the box to confirm it."
                .into(),
        }];
        let page =
            accreditations_page(&state, user, c, AccreditForm::default(), errors, None).await?;
        return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let id: AccreditationId = record_id(&id, "accreditation")?;
    match state
        .services
        .registry
        .with_accrediting_body(&issuer)
        .revoke_accreditation(&id, &form.reason)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/accreditations?notice=accreditation-revoked",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page =
                accreditations_page(&state, user, c, AccreditForm::default(), errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}
