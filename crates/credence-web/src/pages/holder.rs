//! A professional's pages: the dashboard (progress as a picture), their evidence (record,
//! attach, submit, follow decisions), their portfolio's settings and export, and the
//! public portfolio page itself.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::registry::{EvidenceKind, EvidenceStatus, OrgKind};
use credence_domain::{EvidenceId, FrameworkSlug};
use credence_service::evidence::{EvidenceDetail, EvidenceInput, EvidenceView};
use credence_service::orgs::OrgView;
use credence_service::portfolio::{Dashboard, PortfolioSettings, PortfolioView};
use credence_service::Page;
use serde::Deserialize;

use crate::error::record_id;
use crate::pages::credentials::NoticeQuery;
use crate::pages::picker::{statement_picker, PickerPathway};
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{form_errors, render, render_with, FieldError, MultipartForm};
use crate::{AppState, WebError};

/// The framework evidence is recorded against from the pages.
const FRAMEWORK: &str = "nhs-ai-confidence-2022";

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    d: Dashboard,
    /// For an operator: the way to the operator pages.
    operator: Option<crate::pages::operator::OperatorLink>,
    errors: Vec<FieldError>,
    /// The address is not confirmed yet and must be before evidence is submitted.
    confirm_needed: bool,
    /// Product credentials of an earlier version than the product's current one.
    refreshers: Vec<credence_service::products::RefresherNotice>,
}

impl DashboardPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

/// `GET /dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let d = state
        .services
        .registry
        .with_holder(&user.holder)
        .dashboard()
        .await?;
    let operator = crate::pages::operator::dashboard_link(&state, &user).await?;
    let refreshers = (state.services.registry.with_holder(&user.holder))
        .refreshers_needed()
        .await?;
    Ok(render(&DashboardPage {
        refreshers,
        operator,
        nav: user.nav,
        title: format!("{}'s dashboard", d.account.display_name),
        notice: notice(query.notice.as_deref()),
        confirm_needed: confirm_needed(&state, &d),
        d,
        errors: Vec::new(),
    }))
}

/// Whether the dashboard asks the holder to confirm the address.
fn confirm_needed(state: &AppState, d: &Dashboard) -> bool {
    state.services.registry.config().confirm_addresses && !d.account.email_confirmed
}

/// The archetypes form: one checkbox per archetype, all named `archetype`.
#[derive(Debug)]
pub struct ArchetypesForm {
    csrf: String,
    archetypes: Vec<String>,
}

impl<'de> Deserialize<'de> for ArchetypesForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        let mut csrf = String::new();
        let mut archetypes = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => csrf = v,
                "archetype" => archetypes.push(v),
                _ => {}
            }
        }
        Ok(Self { csrf, archetypes })
    }
}

/// `POST /dashboard/archetypes`.
pub async fn set_archetypes(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<ArchetypesForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let registry = &state.services.registry;
    match registry
        .with_holder(&user.holder)
        .set_archetypes(&form.archetypes)
        .await
    {
        Ok(_) => Ok(Redirect::to("/dashboard?notice=archetypes-saved").into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let mut d = registry.with_holder(&user.holder).dashboard().await?;
            // The boxes as they were ticked, not as they are stored.
            for a in &mut d.archetypes {
                a.chosen = form.archetypes.contains(&a.code);
            }
            let operator = crate::pages::operator::dashboard_link(&state, &user).await?;
            let refreshers = registry
                .with_holder(&user.holder)
                .refreshers_needed()
                .await?;
            Ok(render_with(
                status,
                &DashboardPage {
                    refreshers,
                    operator,
                    nav: user.nav,
                    title: format!("{}'s dashboard", d.account.display_name),
                    notice: None,
                    confirm_needed: confirm_needed(&state, &d),
                    d,
                    errors,
                },
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "evidence_list.html")]
struct EvidenceListPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    items: Vec<EvidenceView>,
}

/// `GET /evidence`: the holder's evidence, newest first.
pub async fn evidence_list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let items = state
        .services
        .registry
        .with_holder(&user.holder)
        .holder_evidence(Page::new(0, Page::MAX_LIMIT))
        .await?;
    Ok(render(&EvidenceListPage {
        nav: user.nav,
        title: "Your evidence",
        notice: notice(query.notice.as_deref()),
        items,
    }))
}

/// A choice in a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A group of choices (an `optgroup`).
#[derive(Debug, Clone)]
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "evidence_new.html")]
struct EvidenceNewPage {
    nav: Nav,
    title: &'static str,
    statements: Vec<PickerPathway>,
    levels: Vec<ChoiceGroup>,
    kinds: Vec<Choice>,
    /// The AI product versions the holder may name (for product-specific statements).
    product_versions: Vec<Choice>,
    form: EvidenceFormValues,
    errors: Vec<FieldError>,
}

impl EvidenceNewPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

/// What the evidence form holds, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvidenceFormValues {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    statement: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    narrative: String,
    /// The AI product version (its id) product-specific evidence was gained on.
    #[serde(default)]
    product_version: String,
}

/// An evidence kind as stored ("cpd-activity"), in words ("CPD activity"); an unknown one
/// as it is.
pub fn evidence_kind_text(kind: &str) -> &str {
    match kind.parse::<EvidenceKind>() {
        Ok(known) => kind_label(known),
        Err(_) => kind,
    }
}

fn kind_label(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::CourseCompletion => "Course completion",
        EvidenceKind::Assessment => "Assessment",
        EvidenceKind::WorkplaceObservation => "Workplace observation",
        EvidenceKind::ReflectiveAccount => "Reflective account",
        EvidenceKind::Publication => "Publication",
        EvidenceKind::Project => "Project",
        EvidenceKind::CpdActivity => "CPD activity",
    }
}

async fn evidence_form(
    state: &AppState,
    actor: &credence_service::Actor,
    nav: Nav,
    form: EvidenceFormValues,
    errors: Vec<FieldError>,
) -> Result<EvidenceNewPage, WebError> {
    let slug = FrameworkSlug::new(FRAMEWORK).map_err(credence_service::ServiceError::wrap(
        "naming the default framework",
    ))?;
    let fw = state.services.frameworks.get(&slug, None).await?;
    let doc = fw.document();
    let statements = statement_picker(&fw, form.statement.trim());
    let levels = doc
        .taxonomies
        .iter()
        .map(|t| ChoiceGroup {
            label: t.name.clone(),
            choices: t
                .levels
                .iter()
                .map(|l| Choice {
                    value: l.code.as_str().to_owned(),
                    label: l.name.clone(),
                })
                .collect(),
        })
        .collect();
    let kinds = EvidenceKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: kind_label(*k).to_owned(),
        })
        .collect();
    let product_versions = (state.services.registry.caller(actor))
        .product_version_choices()
        .await?
        .into_iter()
        .map(|v| Choice {
            value: v.id.to_string(),
            label: v.label,
        })
        .collect();
    Ok(EvidenceNewPage {
        product_versions,
        nav,
        title: "Record evidence",
        statements,
        levels,
        kinds,
        form,
        errors,
    })
}

#[derive(Debug, Deserialize)]
pub struct NewEvidenceQuery {
    statement: Option<String>,
    level: Option<String>,
}

/// `GET /evidence/new`, optionally for a statement (`?statement=T1-01&level=awareness`).
pub async fn evidence_new(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NewEvidenceQuery>,
) -> Result<Response, WebError> {
    let form = EvidenceFormValues {
        statement: query.statement.unwrap_or_default(),
        level: query.level.unwrap_or_default(),
        date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        ..EvidenceFormValues::default()
    };
    Ok(render(
        &evidence_form(&state, &user.actor, user.nav, form, Vec::new()).await?,
    ))
}

/// `POST /evidence`: records a draft; shows the form again, filled in, when refused.
pub async fn evidence_create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<EvidenceFormValues>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let input = EvidenceInput {
        kind: form.kind.clone(),
        narrative: form.narrative.clone(),
        date: form.date.clone(),
        provider: Some(form.provider.trim().to_owned()).filter(|p| !p.is_empty()),
        framework: FRAMEWORK.to_owned(),
        framework_version: None,
        statement: form.statement.clone(),
        level: form.level.clone(),
        product_version: Some(form.product_version.trim().to_owned()).filter(|v| !v.is_empty()),
    };
    match state
        .services
        .registry
        .with_holder(&user.holder)
        .record_evidence(input)
        .await
    {
        Ok(detail) => Ok(Redirect::to(&format!(
            "/evidence/{}?notice=evidence-saved",
            detail.evidence.id
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = evidence_form(&state, &user.actor, user.nav, form, errors).await?;
            Ok(render_with(status, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "evidence_detail.html")]
struct EvidenceDetailPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
    /// The organisation chosen in the submit form, kept when it is refused.
    chosen_org: String,
    e: EvidenceDetail,
    statement_text: String,
    /// The holder's own organisations first.
    assessing_orgs: Vec<OrgView>,
    /// The name of the organisation the evidence went to, if any.
    assessor_name: Option<String>,
}

async fn evidence_page(
    state: &AppState,
    user: SignedIn,
    id: &EvidenceId,
    notice_code: Option<&str>,
    errors: Vec<FieldError>,
    chosen_org: String,
) -> Result<EvidenceDetailPage, WebError> {
    let registry = &state.services.registry;
    let e = registry
        .with_holder(&user.holder)
        .evidence_detail(id)
        .await?;
    let slug = FrameworkSlug::new(&e.evidence.framework).map_err(
        credence_service::ServiceError::wrap("reading an evidence framework slug"),
    )?;
    let fw = state
        .services
        .frameworks
        .get(&slug, Some(&e.evidence.framework_version))
        .await?;
    let statement_text = credence_domain::StatementCode::new(&e.evidence.statement)
        .ok()
        .and_then(|c| fw.statement(&c).map(|s| s.text.clone()))
        .unwrap_or_default();
    // The holder's own organisations first (those they hold a role in, then those they
    // submitted to before), so the one chosen by default is one they have to do with.
    let mine: Vec<String> = registry
        .with_holder(&user.holder)
        .me()
        .await?
        .roles
        .into_iter()
        .map(|r| r.org)
        .collect();
    let before: Vec<String> = registry
        .with_holder(&user.holder)
        .holder_evidence(Page::new(0, Page::MAX_LIMIT))
        .await?
        .into_iter()
        .filter_map(|v| v.org)
        .collect();
    let mut assessing_orgs: Vec<OrgView> = registry
        .public()
        .orgs()
        .await?
        .into_iter()
        .filter(|o| o.kind != OrgKind::AccreditingBody)
        .collect();
    assessing_orgs.sort_by_key(|o| {
        let rank = if mine.contains(&o.slug) {
            0
        } else if before.contains(&o.slug) {
            1
        } else {
            2
        };
        (rank, o.name.to_lowercase())
    });
    let assessor_name = e.evidence.org.as_ref().map(|slug| {
        assessing_orgs
            .iter()
            .find(|o| &o.slug == slug)
            .map_or_else(|| slug.clone(), |o| o.name.clone())
    });
    Ok(EvidenceDetailPage {
        assessor_name,
        nav: user.nav,
        title: format!("Evidence for {}", e.evidence.statement),
        notice: notice(notice_code),
        errors,
        chosen_org,
        e,
        statement_text,
        assessing_orgs,
    })
}

impl EvidenceDetailPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }

    /// A history step's time as people read it.
    fn when(&self, at: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(at)
            .map(|d| {
                d.with_timezone(&chrono::Utc)
                    .format("%-d %B %Y, %H:%M UTC")
                    .to_string()
            })
            .unwrap_or_else(|_| at.to_owned())
    }
}

/// `GET /evidence/{id}`.
pub async fn evidence_detail(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let id: EvidenceId = record_id(&id, "evidence")?;
    Ok(render(
        &evidence_page(
            &state,
            user,
            &id,
            query.notice.as_deref(),
            Vec::new(),
            String::new(),
        )
        .await?,
    ))
}

/// `POST /evidence/{id}/attachments` (multipart: `csrf`, `file`).
pub async fn evidence_attach(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = MultipartForm::read(multipart).await?;
    user.check_csrf(form.field("csrf"))?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    let outcome = match form.file {
        None => Err(vec![FieldError {
            field: "file".into(),
            message: "Choose a file to attach.".into(),
        }]),
        Some(file) => match state
            .services
            .registry
            .with_holder(&user.holder)
            .add_attachment(&id, &file.name, file.media_type.as_deref(), file.bytes)
            .await
        {
            Ok(_) => Ok(()),
            // The form has one field: every problem of the file is said beside it.
            Err(e) => Err(form_errors(e)?
                .1
                .into_iter()
                .map(|e| FieldError {
                    field: "file".into(),
                    message: e.message,
                })
                .collect()),
        },
    };
    match outcome {
        Ok(()) => {
            Ok(Redirect::to(&format!("/evidence/{id}?notice=attachment-added")).into_response())
        }
        Err(errors) => Ok(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &evidence_page(&state, user, &id, None, errors, String::new()).await?,
        )),
    }
}

#[derive(Debug, Deserialize)]
pub struct SubmitForm {
    csrf: String,
    #[serde(default)]
    org: String,
}

/// `POST /evidence/{id}/submit`.
pub async fn evidence_submit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<SubmitForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    match state
        .services
        .registry
        .with_holder(&user.holder)
        .submit_evidence(&id, &form.org)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/evidence/{id}?notice=evidence-submitted")).into_response())
        }
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            Ok(render_with(
                status,
                &evidence_page(&state, user, &id, None, errors, form.org).await?,
            ))
        }
    }
}

/// The delete form: its CSRF token and the confirmation.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    csrf: String,
    /// Present (`yes`) when the deletion, which cannot be undone, is confirmed.
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /evidence/{id}/delete`: deletes a draft, once confirmed.
pub async fn evidence_delete(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if form.confirm.is_none() {
        return Err(WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not deleted",
            "Deleting a draft cannot be undone: go back, tick the box to confirm, and delete again.",
        ));
    }
    let id: EvidenceId = record_id(&id, "evidence")?;
    state
        .services
        .registry
        .with_holder(&user.holder)
        .delete_evidence(&id)
        .await?;
    Ok(Redirect::to("/evidence?notice=evidence-deleted").into_response())
}

#[derive(Template)]
#[template(path = "portfolio_settings.html")]
struct PortfolioSettingsPage {
    nav: Nav,
    title: &'static str,
    notice: Option<&'static str>,
    slug: String,
    public: bool,
    show_progress: bool,
    errors: Vec<FieldError>,
    p: PortfolioView,
}

impl PortfolioSettingsPage {
    fn err(&self, field: &str) -> Option<&str> {
        crate::pages::error_for(&self.errors, field)
    }
}

/// `GET /portfolio`: the portfolio's settings, item visibility and export.
pub async fn portfolio_settings(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let p = state
        .services
        .registry
        .with_holder(&user.holder)
        .own_portfolio()
        .await?;
    Ok(render(&PortfolioSettingsPage {
        nav: user.nav,
        title: "Your portfolio",
        notice: notice(query.notice.as_deref()),
        slug: p.slug.clone().unwrap_or_default(),
        public: p.public,
        show_progress: p.show_progress,
        errors: Vec::new(),
        p,
    }))
}

#[derive(Debug, Deserialize)]
pub struct PortfolioForm {
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    public: Option<String>,
    #[serde(default)]
    show_progress: Option<String>,
}

/// `POST /portfolio`: saves the portfolio's address and visibility.
pub async fn portfolio_save(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<PortfolioForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let settings = PortfolioSettings {
        slug: Some(form.slug.clone()),
        public: form.public.is_some(),
        show_progress: form.show_progress.is_some(),
    };
    let registry = &state.services.registry;
    match registry
        .with_holder(&user.holder)
        .update_portfolio(settings)
        .await
    {
        Ok(_) => Ok(Redirect::to("/portfolio?notice=portfolio-saved").into_response()),
        Err(e) => {
            let (status, mut errors) = form_errors(e)?;
            // The only conflict is an address taken by someone else: said beside it.
            if status == StatusCode::CONFLICT {
                for e in &mut errors {
                    e.field = "slug".into();
                }
            }
            let p = registry.with_holder(&user.holder).own_portfolio().await?;
            Ok(render_with(
                status,
                &PortfolioSettingsPage {
                    nav: user.nav,
                    title: "Your portfolio",
                    notice: None,
                    slug: form.slug,
                    public: form.public.is_some(),
                    show_progress: form.show_progress.is_some(),
                    errors,
                    p,
                },
            ))
        }
    }
}

/// `GET /portfolio/export.zip`: everything the holder owns, as one archive.
pub async fn portfolio_export(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Response, WebError> {
    let bytes = state
        .services
        .registry
        .with_holder(&user.holder)
        .portfolio_archive()
        .await?;
    let name = format!(
        "credence-portfolio-{}.zip",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    nav: Nav,
    title: String,
    p: PortfolioView,
}

/// `GET /p/{slug}`: a published portfolio.
pub async fn portfolio_public(
    State(state): State<AppState>,
    nav: Nav,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let p = state
        .services
        .registry
        .public()
        .public_portfolio(&slug)
        .await?;
    Ok(render(&PortfolioPage {
        nav,
        title: format!("{}'s portfolio", p.display_name),
        p,
    }))
}
