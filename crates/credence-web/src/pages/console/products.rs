//! The administrator's AI products section of the console (issue 19): the products the
//! organisation registered (register one, add a version) and those it buys or deploys
//! (answer the report's question sets for a version). Every form carries the session's
//! CSRF token; a refused form is shown again, filled in, naming its fields, and writes
//! nothing.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_domain::{ProductId, ProductVersionId};
use credence_service::products::{AnswerInput, ProductInput, ProductView, SiteInput, VersionInput};
use serde::Deserialize;

use super::{console_for, Console};
use crate::error::record_id;
use crate::pages::credentials::NoticeQuery;
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

/// The product registration form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProductForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    manufacturer: String,
    #[serde(default)]
    intended_use: String,
    #[serde(default)]
    regulatory_class: String,
    #[serde(default)]
    marking: String,
    #[serde(default)]
    public: Option<String>,
    /// Slugs of organisations that buy and deploy it, separated by commas or lines.
    #[serde(default)]
    buyers: String,
    /// Slugs of organisations that deploy it only.
    #[serde(default)]
    deployers: String,
    /// The organisation's own sites, one name a line.
    #[serde(default)]
    own_sites: String,
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl ProductForm {
    fn input(&self) -> ProductInput {
        let site = |org: Option<String>, name: Option<String>, procures: bool| SiteInput {
            org,
            name,
            procures,
            deploys: true,
        };
        let mut sites: Vec<SiteInput> = words(&self.buyers)
            .map(|o| site(Some(o), None, true))
            .collect();
        sites.extend(words(&self.deployers).map(|o| site(Some(o), None, false)));
        sites.extend(
            self.own_sites
                .lines()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|n| site(None, Some(n.to_owned()), false)),
        );
        let optional = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        ProductInput {
            name: self.name.clone(),
            manufacturer: self.manufacturer.clone(),
            intended_use: self.intended_use.clone(),
            regulatory_class: optional(&self.regulatory_class),
            marking: optional(&self.marking),
            public: self.public.is_some(),
            sites,
        }
    }
}

impl ProductForm {
    /// The form filled in with a product as it stands.
    fn of(p: &ProductView) -> Self {
        let orgs = |f: fn(&&credence_service::products::SiteView) -> bool| {
            p.sites
                .iter()
                .filter(|s| s.org.is_some())
                .filter(f)
                .filter_map(|s| s.org.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        Self {
            csrf: String::new(),
            name: p.name.clone(),
            manufacturer: p.manufacturer.clone(),
            intended_use: p.intended_use.clone(),
            regulatory_class: p.regulatory_class.clone().unwrap_or_default(),
            marking: p.marking.clone().unwrap_or_default(),
            public: p.public.then(|| "on".to_owned()),
            buyers: orgs(|s| s.procures),
            deployers: orgs(|s| !s.procures),
            own_sites: p
                .sites
                .iter()
                .filter(|s| s.org.is_none())
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A product's edit page.
#[derive(Template)]
#[template(path = "console_product_edit.html")]
struct EditPage {
    nav: Nav,
    title: String,
    c: Console,
    product: ProductView,
    form: ProductForm,
    errors: Vec<FieldError>,
}

impl EditPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn text_fields(&self) -> Vec<(&'static str, &'static str, &str)> {
        text_fields(&self.form)
    }
}

/// The product form's one-line fields: name, label, value.
fn text_fields(form: &ProductForm) -> Vec<(&'static str, &'static str, &str)> {
    vec![
        ("name", "Name", &form.name),
        ("manufacturer", "Manufacturer", &form.manufacturer),
        (
            "regulatory_class",
            "Regulatory class (optional, such as Class IIa)",
            &form.regulatory_class,
        ),
        ("marking", "Marking (optional, such as UKCA)", &form.marking),
    ]
}

/// `GET /console/{org}/products/{id}/edit` (admins of the registering organisation).
pub async fn edit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "products").await?;
    let id: ProductId = record_id(&id, "product")?;
    let product = state
        .services
        .registry
        .with_org_admin(c.admin()?)
        .own_product_view(&id)
        .await?;
    Ok(render(&EditPage {
        nav: user.nav,
        title: format!("Edit {}", product.name),
        c,
        form: ProductForm::of(&product),
        product,
        errors: Vec::new(),
    }))
}

/// `POST /console/{org}/products/{id}/edit`: saves the product's details and sites.
pub async fn edit(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<ProductForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "products").await?;
    let id: ProductId = record_id(&id, "product")?;
    let desk = state.services.registry.with_org_admin(c.admin()?);
    match desk.edit_product(&id, form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/products?notice=product-saved",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let product = desk.own_product_view(&id).await?;
            let page = EditPage {
                nav: user.nav,
                title: format!("Edit {}", product.name),
                c,
                product,
                form,
                errors,
            };
            Ok(render_with(status, &page))
        }
    }
}

/// A new version's form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    released_on: String,
    #[serde(default)]
    deployed_from: String,
}

#[derive(Template)]
#[template(path = "console_products.html")]
struct ProductsPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    own: Vec<ProductView>,
    at_sites: Vec<ProductView>,
    form: ProductForm,
    /// The product whose version form was refused, with the form.
    version_form: Option<(ProductId, VersionForm)>,
    errors: Vec<FieldError>,
}

impl ProductsPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    /// The registration form's one-line fields: name, label, value.
    fn text_fields(&self) -> Vec<(&'static str, &'static str, &str)> {
        text_fields(&self.form)
    }

    /// The refused version form's values for `product`, if it was that one.
    fn version_value(&self, product: &ProductId, field: &str) -> &str {
        match &self.version_form {
            Some((id, f)) if id == product => match field {
                "version" => &f.version,
                "released_on" => &f.released_on,
                _ => &f.deployed_from,
            },
            _ => "",
        }
    }

    /// The error of the refused version form of `product`, for `field`.
    fn version_err(&self, product: &ProductId, field: &str) -> Option<&str> {
        match &self.version_form {
            Some((id, _)) if id == product => self.err(field),
            _ => None,
        }
    }
}

async fn products_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: ProductForm,
    version_form: Option<(ProductId, VersionForm)>,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<ProductsPage, WebError> {
    let desk = state.services.registry.with_org_admin(c.admin()?);
    let (own, at_sites) = desk.console_products().await?;
    Ok(ProductsPage {
        nav: user.nav,
        title: format!("AI products of {}", c.name),
        notice: notice(notice_code),
        c,
        own,
        at_sites,
        form,
        version_form,
        errors,
    })
}

/// `GET /console/{org}/products` (admins).
pub async fn products(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "products").await?;
    let page = products_page(
        &state,
        user,
        c,
        ProductForm::default(),
        None,
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&page))
}

/// `POST /console/{org}/products`: registers a product.
pub async fn register(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<ProductForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "products").await?;
    let desk = state.services.registry.with_org_admin(c.admin()?);
    match desk.register_product(form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/products?notice=product-registered",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = products_page(&state, user, c, form, None, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}

/// `POST /console/{org}/products/{id}/versions`: registers a new version.
pub async fn add_version(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "products").await?;
    let id: ProductId = record_id(&id, "product")?;
    let desk = state.services.registry.with_org_admin(c.admin()?);
    let optional = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    let input = VersionInput {
        version: form.version.clone(),
        released_on: optional(&form.released_on),
        deployed_from: optional(&form.deployed_from),
    };
    match desk.add_product_version(&id, input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/products?notice=version-registered",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = products_page(
                &state,
                user,
                c,
                ProductForm::default(),
                Some((id, form)),
                errors,
                None,
            )
            .await?;
            Ok(render_with(status, &page))
        }
    }
}

/// The answer form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    /// One URL a line.
    #[serde(default)]
    links: String,
}

/// Which version's questions to answer.
#[derive(Debug, Deserialize)]
pub struct AnswerQuery {
    version: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "console_product_answers.html")]
struct AnswersPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    d: credence_service::products::DossierView,
    /// The question sets this organisation answers, by code.
    sets: Vec<String>,
    form: AnswerForm,
    errors: Vec<FieldError>,
}

impl AnswersPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn answers(&self, set: &str) -> bool {
        self.sets.iter().any(|s| s == set)
    }
}

async fn answers_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    (id, version): (&ProductId, Option<&ProductVersionId>),
    form: AnswerForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<AnswersPage, WebError> {
    let d = state
        .services
        .registry
        .caller(&user.actor)
        .product_dossier(id, version)
        .await?;
    let sets = d
        .product
        .sites
        .iter()
        .filter(|s| s.org.as_deref() == Some(c.slug.as_str()))
        .flat_map(|s| {
            let mut sets = Vec::new();
            if s.procures {
                sets.push(credence_service::products::PROCUREMENT_SET.to_owned());
            }
            if s.deploys {
                sets.push(credence_service::products::DEPLOYMENT_SET.to_owned());
            }
            sets
        })
        .collect();
    Ok(AnswersPage {
        nav: user.nav,
        title: format!("Answers of {} for {}", c.name, d.product.name),
        notice: notice(notice_code),
        c,
        d,
        sets,
        form,
        errors,
    })
}

/// `GET /console/{org}/products/{id}/answers?version=` (admins of a buying or deploying site).
pub async fn answers(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Query(query): Query<AnswerQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "products").await?;
    c.admin()?;
    let id: ProductId = record_id(&id, "product")?;
    let version: Option<ProductVersionId> = query
        .version
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| record_id(v, "product version"))
        .transpose()?;
    let page = answers_page(
        &state,
        user,
        c,
        (&id, version.as_ref()),
        AnswerForm::default(),
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&page))
}

/// `POST /console/{org}/products/{id}/versions/{version}/answers`: answers one question.
pub async fn answer(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id, version)): Path<(String, String, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "products").await?;
    let id: ProductId = record_id(&id, "product")?;
    let version: ProductVersionId = record_id(&version, "product version")?;
    let desk = state.services.registry.with_org_admin(c.admin()?);
    let input = AnswerInput {
        question: form.question.clone(),
        answer: form.answer.clone(),
        links: form.links.lines().map(str::to_owned).collect(),
    };
    match desk.answer_question(&id, &version, input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/console/{}/products/{id}/answers?version={version}&notice=answer-saved",
            c.slug
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page =
                answers_page(&state, user, c, (&id, Some(&version)), form, errors, None).await?;
            Ok(render_with(status, &page))
        }
    }
}
