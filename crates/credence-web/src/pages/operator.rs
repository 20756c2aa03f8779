//! The operator pages (`/operator`): every organisation of this Credence, creating one with
//! its DID method, its members and roles, and trusting accrediting bodies, so that a plain
//! install reaches its first issuer in the browser. Only operator accounts may open them
//! (403 for anyone else); the service decides that again with `OperatorPower`, as it does
//! for `credence org …` on the command line.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use credence_domain::registry::{DidMethod, OrgKind, Role};
use credence_domain::{AccountId, OrgSlug};
use credence_service::actor::OperatorPower;
use credence_service::operator::{OperatorOrgDetail, OperatorOrgView, OrgForm};
use credence_service::ServiceError;
use serde::Deserialize;
use serde_json::json;

use crate::error::record_id;
use crate::negotiate::Format;
use crate::pages::console::admin::RemoveMemberForm;
use crate::pages::credentials::NoticeQuery;
use crate::pages::session::{notice, url_encode, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

/// The operator's proof, or a 403 page saying whose pages these are.
pub(crate) fn operator(user: &SignedIn) -> Result<OperatorPower, WebError> {
    user.actor.operator().map_err(|_| {
        WebError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The operator pages are for the people who run this Credence, and your account is not an operator account.",
        )
    })
}

/// The notices of the operator pages, then the site's own.
fn operator_notice(code: Option<&str>) -> Option<&'static str> {
    match code {
        Some("org-created") => Some(
            "The organisation is created, with its DID and first signing key. Add its first members below.",
        ),
        Some("trusted") => Some("Its accreditations are trusted from now on."),
        Some("distrusted") => Some("Its accreditations are no longer trusted."),
        other => notice(other),
    }
}

/// An organisation kind in words.
pub fn kind_words(kind: &str) -> &'static str {
    match kind.parse::<OrgKind>() {
        Ok(OrgKind::AccreditingBody) => "Accrediting body",
        Ok(OrgKind::Provider) => "Education or training provider",
        Ok(OrgKind::Employer) => "Employer",
        Ok(OrgKind::HealthcareSetting) => "Healthcare setting",
        Err(_) => "Organisation",
    }
}

/// A role in words, with what it may do.
fn role_words(role: Role) -> &'static str {
    match role {
        Role::Admin => "Administrator: members, API tokens, signing keys and the audit trail",
        Role::Issuer => "Issuer: achievements, awards and their statuses",
        Role::Assessor => "Assessor: confirms or rejects submitted evidence",
    }
}

/// A role's short name in words, for tables.
fn role_name(role: &str) -> &'static str {
    match role.parse::<Role>() {
        Ok(Role::Admin) => "Administrator",
        Ok(Role::Issuer) => "Issuer",
        Ok(Role::Assessor) => "Assessor",
        Err(_) => "Unknown role",
    }
}

/// "No members", "1 member", "3 members".
fn members_words(n: usize) -> String {
    match n {
        0 => "No members".into(),
        1 => "1 member".into(),
        n => format!("{n} members"),
    }
}

/// A choice of a form, with a sentence on what it means.
#[derive(Debug, Clone)]
pub struct Described {
    pub value: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

fn kind_choices() -> Vec<Described> {
    OrgKind::ALL
        .iter()
        .map(|k| Described {
            value: k.as_str(),
            label: kind_words(k.as_str()),
            hint: match k {
                OrgKind::AccreditingBody => {
                    "Accredits providers' programmes; its accreditations count once you trust it."
                }
                OrgKind::Provider => "Runs courses and awards credentials for them.",
                OrgKind::Employer => "Recognises and awards competence at work.",
                OrgKind::HealthcareSetting => "A hospital, practice or other place of care.",
            },
        })
        .collect()
}

fn did_method_choices() -> Vec<Described> {
    // did:web first: it is the default, as on the command line.
    [DidMethod::Web, DidMethod::Key]
        .iter()
        .map(|m| match m {
            DidMethod::Web => Described {
                value: m.as_str(),
                label: "did:web, served by this Credence",
                hint: "Its identifier names this site's address, which publishes its keys; rotating a key keeps the same identifier. Choose it when this Credence's public address is final.",
            },
            DidMethod::Key => Described {
                value: m.as_str(),
                label: "did:key, self-contained",
                hint: "Its identifier is its public key itself, so credentials can be checked without reaching this site; rotating the key gives it a new identifier.",
            },
        })
        .collect()
}

/// An organisation as the operator's list and page show it.
#[derive(Debug, Clone)]
pub struct OrgLine {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    pub did_method: &'static str,
    pub did: String,
    pub url: Option<String>,
    pub members: String,
    pub accrediting_body: bool,
    pub trusted: bool,
}

fn org_line(o: &OperatorOrgView) -> OrgLine {
    OrgLine {
        slug: o.org.slug.clone(),
        name: o.org.name.clone(),
        kind: kind_words(o.org.kind.as_str()),
        did_method: if o.org.did_method == DidMethod::Key {
            "did:key"
        } else {
            "did:web"
        },
        did: o.org.did.clone(),
        url: o.org.url.clone(),
        members: members_words(o.members),
        accrediting_body: o.accrediting_body,
        trusted: o.trusted,
    }
}

// ---------------------------------------------------------------------------------------
// The list.

#[derive(Template)]
#[template(path = "operator_orgs.html")]
struct OrgsPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    orgs: Vec<OrgLine>,
}

/// `GET /operator`: every organisation (JSON when asked).
pub async fn orgs(
    State(state): State<AppState>,
    user: SignedIn,
    format: Format,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let op = operator(&user)?;
    let orgs = state
        .services
        .registry
        .with_operator(&op)
        .operator_orgs()
        .await?;
    if format == Format::Json {
        return Ok(Json(json!({ "items": orgs })).into_response());
    }
    Ok(render(&OrgsPage {
        nav: user.nav,
        title: "Operator: organisations",
        notice: operator_notice(query.notice.as_deref()),
        orgs: orgs.iter().map(org_line).collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// A new organisation.

/// The new organisation form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewOrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    did_method: String,
    #[serde(default)]
    url: String,
}

#[derive(Template)]
#[template(path = "operator_org_new.html")]
struct NewOrgPage {
    nav: Nav,
    title: &'static str,
    form: NewOrgForm,
    kinds: Vec<Described>,
    methods: Vec<Described>,
    errors: Vec<FieldError>,
}

impl NewOrgPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    /// The messages not shown beside a field (none, unless the service says more).
    fn general(&self) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| !["slug", "name", "kind", "did_method", "url"].contains(&e.field.as_str()))
            .map(|e| e.message.as_str())
            .collect()
    }
}

fn new_org_page(nav: Nav, form: NewOrgForm, errors: Vec<FieldError>) -> NewOrgPage {
    NewOrgPage {
        nav,
        title: "Create an organisation",
        form,
        kinds: kind_choices(),
        methods: did_method_choices(),
        errors,
    }
}

/// `GET /operator/orgs/new`.
pub async fn new_org(user: SignedIn) -> Result<Response, WebError> {
    operator(&user)?;
    let form = NewOrgForm {
        did_method: DidMethod::Web.as_str().into(),
        ..NewOrgForm::default()
    };
    Ok(render(&new_org_page(user.nav, form, Vec::new())))
}

/// `POST /operator/orgs`: creates the organisation, or shows the form again with every
/// problem beside its field (a slug already taken too, with 409).
pub async fn create_org(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<NewOrgForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let op = operator(&user)?;
    let typed = OrgForm {
        slug: form.slug.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        did_method: form.did_method.clone(),
        url: form.url.clone(),
    };
    match state
        .services
        .registry
        .with_operator(&op)
        .operator_create_org(typed)
        .await
    {
        Ok(org) => Ok(Redirect::to(&format!(
            "/operator/orgs/{}?notice=org-created",
            url_encode(&org.slug)
        ))
        .into_response()),
        Err(ServiceError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "slug".into(),
                message: format!("{message} Choose another short name."),
            }];
            let page = new_org_page(user.nav, form, errors);
            Ok(render_with(StatusCode::CONFLICT, &page))
        }
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            Ok(render_with(status, &new_org_page(user.nav, form, errors)))
        }
    }
}

// ---------------------------------------------------------------------------------------
// One organisation: members and trust.

/// A member's role as the organisation's page lists it.
#[derive(Debug, Clone)]
pub struct MemberLine {
    pub account_id: AccountId,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub role_name: &'static str,
}

/// The add-member form as typed.
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
#[template(path = "operator_org.html")]
struct OrgPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    o: OrgLine,
    members: Vec<MemberLine>,
    roles: Vec<Described>,
    form: MemberForm,
    errors: Vec<FieldError>,
}

impl OrgPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    /// Whether the add-member form was refused (its summary is shown above it).
    fn member_refused(&self) -> bool {
        self.errors.iter().any(|e| e.field != "confirm")
    }
}

fn org_page(
    nav: Nav,
    d: OperatorOrgDetail,
    notice_code: Option<&str>,
    form: MemberForm,
    errors: Vec<FieldError>,
) -> OrgPage {
    let o = org_line(&d.org);
    OrgPage {
        nav,
        title: o.name.clone(),
        notice: operator_notice(notice_code),
        members: d
            .members
            .into_iter()
            .map(|m| MemberLine {
                role_name: role_name(&m.role),
                account_id: m.account_id,
                display_name: m.display_name,
                email: m.email,
                role: m.role,
            })
            .collect(),
        o,
        roles: Role::ALL
            .iter()
            .map(|r| Described {
                value: r.as_str(),
                label: role_words(*r),
                hint: "",
            })
            .collect(),
        form,
        errors,
    }
}

/// The organisation's page with a refused form's messages, or the error that is no form's.
async fn refused(
    state: &AppState,
    user: SignedIn,
    op: &OperatorPower,
    slug: &OrgSlug,
    form: MemberForm,
    error: ServiceError,
) -> Result<Response, WebError> {
    let (status, errors) = form_errors(error)?;
    let d = state
        .services
        .registry
        .with_operator(op)
        .operator_org(slug)
        .await?;
    Ok(render_with(
        status,
        &org_page(user.nav, d, None, form, errors),
    ))
}

fn default_member_form() -> MemberForm {
    MemberForm {
        role: Role::Issuer.as_str().into(),
        ..MemberForm::default()
    }
}

/// `GET /operator/orgs/{slug}`.
pub async fn org(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let op = operator(&user)?;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let d = state
        .services
        .registry
        .with_operator(&op)
        .operator_org(&slug)
        .await?;
    Ok(render(&org_page(
        user.nav,
        d,
        query.notice.as_deref(),
        default_member_form(),
        Vec::new(),
    )))
}

/// `POST /operator/orgs/{slug}/members`: gives an existing account a role.
pub async fn add_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let op = operator(&user)?;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let added = state
        .services
        .registry
        .with_operator(&op)
        .operator_add_member(&slug, &form.email, &form.role)
        .await;
    match added {
        Ok(_) => Ok(Redirect::to(&format!(
            "/operator/orgs/{}?notice=member-added",
            url_encode(slug.as_str())
        ))
        .into_response()),
        Err(e) => refused(&state, user, &op, &slug, form, e).await,
    }
}

/// `POST /operator/orgs/{slug}/members/remove`: takes one role away (the console's form).
pub async fn remove_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<RemoveMemberForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let op = operator(&user)?;
    let account: AccountId = record_id(&form.account, "account")?;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    state
        .services
        .registry
        .with_operator(&op)
        .operator_remove_member(&slug, &account, &form.role)
        .await?;
    Ok(Redirect::to(&format!(
        "/operator/orgs/{}?notice=member-removed",
        url_encode(slug.as_str())
    ))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct TrustForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    trust: String,
    confirm: Option<String>,
}

/// `POST /operator/orgs/{slug}/trust`: trusts an accrediting body (`trust=yes`) or stops
/// trusting it (`trust=no`, with the confirmation box ticked).
pub async fn trust(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<TrustForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let op = operator(&user)?;
    let trusted = match form.trust.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(WebError::bad_request("Say whether to trust: yes or no.")),
    };
    let confirmed = form.confirm.as_deref() == Some("yes");
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    match state
        .services
        .registry
        .with_operator(&op)
        .operator_trust(&slug, trusted, confirmed)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/operator/orgs/{}?notice={}",
            url_encode(slug.as_str()),
            if trusted { "trusted" } else { "distrusted" }
        ))
        .into_response()),
        // Only the missing confirmation is the form's; anything else (not an accrediting
        // body) is an error of the request.
        Err(ServiceError::Invalid(p)) if p.0.iter().all(|p| p.pointer == "/confirm") => {
            let e = ServiceError::Invalid(p);
            refused(&state, user, &op, &slug, default_member_form(), e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the dashboard says to an operator: the way to the operator pages, or to the first
/// organisation on a fresh install.
#[derive(Debug, Clone)]
pub struct OperatorLink {
    pub text: String,
    pub link: &'static str,
    pub action: &'static str,
}

/// The dashboard's line for an operator, or `None` for anyone else.
pub async fn dashboard_link(
    state: &AppState,
    user: &SignedIn,
) -> Result<Option<OperatorLink>, WebError> {
    let Ok(op) = user.actor.operator() else {
        return Ok(None);
    };
    let n = state
        .services
        .registry
        .with_operator(&op)
        .operator_orgs()
        .await?
        .len();
    Ok(Some(match n {
        0 => OperatorLink {
            text: "This Credence has no organisation yet.".into(),
            link: "/operator/orgs/new",
            action: "Create your first organisation",
        },
        n => OperatorLink {
            text: format!(
                "You operate this Credence: {n} organisation{}.",
                if n == 1 { "" } else { "s" }
            ),
            link: "/operator",
            action: "Open the operator pages",
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_people() {
        for (n, expected) in [(0, "No members"), (1, "1 member"), (2, "2 members")] {
            assert_eq!(members_words(n), expected);
        }
        for (kind, expected) in [
            ("accrediting-body", "Accrediting body"),
            ("healthcare-setting", "Healthcare setting"),
            ("nonsense", "Organisation"),
        ] {
            assert_eq!(kind_words(kind), expected);
        }
        assert_eq!(role_name("admin"), "Administrator");
    }
}
