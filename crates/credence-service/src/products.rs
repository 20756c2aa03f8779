//! AI products (issue 19): an organisation's administrators register a product, its
//! versions and the sites that buy or deploy it; the administrators of a buying site answer
//! the report's procurement questions (Table A3) and those of a deploying site its
//! deployment questions (Table A6), per product version, with evidence links. Answers are
//! append-only: the latest is the answer, the earlier ones its history. `dossier.rs` shows
//! a product version's answers beside its product-specific pathway and its sites' coverage,
//! and applies the refresher rule.

use chrono::NaiveDate;
use credence_domain::{
    FormProblems, OrgId, OrgSlug, PlainCode, ProductAnswerId, ProductId, ProductSiteId,
    ProductVersionId, QuestionCode,
};
use credence_store::registry::{
    OrgRow, ProductAnswerRow, ProductRow, ProductSiteRow, ProductVersionRow,
};
use credence_store::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::desks::OrgAdminDesk;
use crate::registry::{audit, Registry};
use crate::ServiceError;

mod binding;
mod dossier;

pub(crate) use binding::{binding_of, version_for_achievement, VersionBinding};

pub use dossier::{
    CountView, DossierView, PathwayStatementView, QuestionAnswersView, QuestionSetView,
    RefresherNotice, SiteCoverageView, VersionChoice, REFRESHER_RULE,
};

/// The question set answered by a product's buying organisations (Table A3).
pub const PROCUREMENT_SET: &str = "driver-procurement";
/// The question set answered by a product's deploying sites (Table A6).
pub const DEPLOYMENT_SET: &str = "embedder-deployment";

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 4000;
const MAX_ANSWER: usize = 10_000;
const MAX_LINKS: usize = 20;
const MAX_SITES: usize = 50;

/// A site where a product is bought or deployed: an organisation of the registry (`org`,
/// its slug) or a named site of the registering organisation (`name`).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    #[serde(default)]
    pub org: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the site buys the product (it answers the procurement questions).
    #[serde(default)]
    pub procures: bool,
    /// Whether the site deploys the product (it answers the deployment questions).
    #[serde(default = "yes")]
    pub deploys: bool,
}

fn yes() -> bool {
    true
}

/// A product as registered or edited.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    pub name: String,
    pub manufacturer: String,
    pub intended_use: String,
    /// Such as "Class IIa".
    #[serde(default)]
    pub regulatory_class: Option<String>,
    /// Such as "UKCA".
    #[serde(default)]
    pub marking: Option<String>,
    /// Whether anyone may read its dossier; otherwise only the members of the registering
    /// organisation and of its sites.
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub sites: Vec<SiteInput>,
}

/// A new version of a product.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    pub version: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub released_on: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub deployed_from: Option<String>,
}

/// An answer to one question of a product version's question sets, for an organisation.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// The question's code, such as `A3-01`.
    pub question: String,
    pub answer: String,
    /// `http` or `https` URLs of the evidence behind the answer.
    #[serde(default)]
    pub links: Vec<String>,
}

/// A site as shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct SiteView {
    #[schema(value_type = String)]
    pub id: ProductSiteId,
    /// The organisation's slug, when the site is one of the registry's organisations.
    pub org: Option<String>,
    /// The organisation's or the site's name.
    pub name: String,
    pub procures: bool,
    pub deploys: bool,
}

/// A product version as shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct VersionView {
    #[schema(value_type = String)]
    pub id: ProductVersionId,
    pub version: String,
    pub released_on: Option<String>,
    pub deployed_from: Option<String>,
    /// Whether it is the latest registered version.
    pub current: bool,
    pub registered_at: String,
}

/// A product as shown, with its versions (oldest first) and sites.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ProductView {
    #[schema(value_type = String)]
    pub id: ProductId,
    /// The registering organisation's slug and name.
    pub org: String,
    pub org_name: String,
    pub name: String,
    pub manufacturer: String,
    pub intended_use: String,
    pub regulatory_class: Option<String>,
    pub marking: Option<String>,
    pub public: bool,
    pub versions: Vec<VersionView>,
    pub sites: Vec<SiteView>,
}

/// One answer as shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AnswerView {
    #[schema(value_type = String)]
    pub id: ProductAnswerId,
    pub question: String,
    /// The answering organisation's slug and name.
    pub org: String,
    pub org_name: String,
    pub answer: String,
    pub links: Vec<String>,
    /// Who answered (a person's name, or an API token of the organisation).
    pub answered_by: String,
    pub answered_at: String,
    /// The day it was answered, `YYYY-MM-DD`.
    pub answered_on: String,
    /// How many earlier answers this one replaced (kept as its history).
    pub earlier: usize,
}

fn optional_date(p: &mut FormProblems, text: Option<&str>, pointer: &str) -> Option<NaiveDate> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            p.add(pointer, "Give a date as YYYY-MM-DD.");
            None
        }
    }
}

fn required(p: &mut FormProblems, text: &str, pointer: &str, max: usize) -> String {
    let text = text.trim();
    if text.is_empty() {
        p.add(pointer, "Fill this in.");
    } else if text.chars().count() > max {
        p.add(pointer, format!("At most {max} characters."));
    }
    text.to_owned()
}

fn optional(p: &mut FormProblems, text: Option<&str>, pointer: &str, max: usize) -> Option<String> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > max {
        p.add(pointer, format!("At most {max} characters."));
    }
    Some(text.to_owned())
}

/// The evidence links of an answer, each an absolute `http` or `https` URL.
pub(crate) fn check_links(p: &mut FormProblems, links: &[String]) -> Vec<String> {
    if links.len() > MAX_LINKS {
        p.add("/links", format!("At most {MAX_LINKS} links."));
    }
    let mut out = Vec::new();
    for (i, link) in links.iter().enumerate() {
        let link = link.trim();
        if link.is_empty() {
            continue;
        }
        match url::Url::parse(link) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some()
                    && link.len() <= 2000 =>
            {
                out.push(u.to_string());
            }
            _ => p.add(
                &format!("/links/{i}"),
                "Give an absolute http or https URL (at most 2000 characters).",
            ),
        }
    }
    out
}

/// The text of a date column.
fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

impl Registry {
    /// The checked sites of a product input, the organisations resolved by slug.
    async fn check_sites(
        &self,
        tx: &Tx,
        p: &mut FormProblems,
        sites: &[SiteInput],
    ) -> Result<Vec<(Option<OrgRow>, Option<String>, bool, bool)>, ServiceError> {
        if sites.len() > MAX_SITES {
            p.add("/sites", format!("At most {MAX_SITES} sites."));
        }
        let mut out = Vec::new();
        for (i, site) in sites.iter().enumerate() {
            let org_text = site.org.as_deref().map(str::trim).filter(|t| !t.is_empty());
            let name = optional(
                p,
                site.name.as_deref(),
                &format!("/sites/{i}/name"),
                MAX_NAME,
            );
            let org = match org_text {
                Some(slug) => match OrgSlug::new(slug) {
                    Ok(slug) => tx.org_by_slug(slug.as_str()).await?,
                    Err(_) => None,
                },
                None => None,
            };
            match (org_text, &org, &name) {
                (Some(_), None, _) => p.add(
                    &format!("/sites/{i}/org"),
                    "No organisation with this identifier is registered here.",
                ),
                (Some(_), Some(_), Some(_)) => p.add(
                    &format!("/sites/{i}/name"),
                    "Give either an organisation or a site name, not both.",
                ),
                (None, _, None) => p.add(
                    &format!("/sites/{i}/org"),
                    "Give the site's organisation, or a name for a site of your own.",
                ),
                _ => {}
            }
            out.push((org, name, site.procures, site.deploys));
        }
        Ok(out)
    }

    /// A product's view, read inside `tx`.
    pub(crate) async fn product_view(
        &self,
        tx: &Tx,
        row: &ProductRow,
    ) -> Result<ProductView, ServiceError> {
        let org = tx
            .org(&row.org_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a product's organisation vanished"))?;
        let versions = tx.versions_of_product(&row.id).await?;
        let last = versions.last().map(|v| v.id.clone());
        let mut sites = Vec::new();
        for s in tx.sites_of_product(&row.id).await? {
            let site_org = match &s.org_id {
                Some(id) => tx.org(id).await?,
                None => None,
            };
            sites.push(SiteView {
                id: s.id.clone(),
                org: site_org.as_ref().map(|o| o.slug.clone()),
                name: site_org
                    .map(|o| o.name)
                    .or(s.name.clone())
                    .unwrap_or_default(),
                procures: s.procures,
                deploys: s.deploys,
            });
        }
        Ok(ProductView {
            id: row.id.clone(),
            org: org.slug.clone(),
            org_name: org.name.clone(),
            name: row.name.clone(),
            manufacturer: row.manufacturer.clone(),
            intended_use: row.intended_use.clone(),
            regulatory_class: row.regulatory_class.clone(),
            marking: row.marking.clone(),
            public: row.public,
            versions: versions
                .iter()
                .map(|v| version_view(v, last.as_ref() == Some(&v.id)))
                .collect(),
            sites,
        })
    }

    /// A product by id; not found when there is none.
    pub(crate) async fn product_row(
        &self,
        tx: &Tx,
        id: &ProductId,
    ) -> Result<ProductRow, ServiceError> {
        tx.product(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("product '{id}'")))
    }
}

fn version_view(v: &ProductVersionRow, current: bool) -> VersionView {
    VersionView {
        id: v.id.clone(),
        version: v.version.clone(),
        released_on: date_text(v.released_on),
        deployed_from: date_text(v.deployed_from),
        current,
        registered_at: v.created_at.to_rfc3339(),
    }
}

/// The checked content of a [`ProductInput`].
struct CheckedProduct {
    name: String,
    manufacturer: String,
    intended_use: String,
    regulatory_class: Option<String>,
    marking: Option<String>,
    sites: Vec<(Option<OrgRow>, Option<String>, bool, bool)>,
}

impl OrgAdminDesk<'_> {
    async fn check_product(
        &self,
        tx: &Tx,
        input: &ProductInput,
        this: Option<&ProductId>,
    ) -> Result<CheckedProduct, ServiceError> {
        let mut p = FormProblems::new();
        let name = required(&mut p, &input.name, "/name", MAX_NAME);
        if !name.is_empty() {
            if let Some(other) = tx.product_named(&self.admin.0.org.id, &name).await? {
                if Some(&other.id) != this {
                    p.add(
                        "/name",
                        "Your organisation already registered a product with this name.",
                    );
                }
            }
        }
        let manufacturer = required(&mut p, &input.manufacturer, "/manufacturer", MAX_NAME);
        let intended_use = required(&mut p, &input.intended_use, "/intended_use", MAX_TEXT);
        let regulatory_class = optional(
            &mut p,
            input.regulatory_class.as_deref(),
            "/regulatory_class",
            MAX_NAME,
        );
        let marking = optional(&mut p, input.marking.as_deref(), "/marking", MAX_NAME);
        let sites = self.check_sites(tx, &mut p, &input.sites).await?;
        p.finish().map_err(ServiceError::Invalid)?;
        Ok(CheckedProduct {
            name,
            manufacturer,
            intended_use,
            regulatory_class,
            marking,
            sites,
        })
    }

    async fn write_sites(
        &self,
        tx: &Tx,
        product: &ProductId,
        sites: Vec<(Option<OrgRow>, Option<String>, bool, bool)>,
    ) -> Result<(), ServiceError> {
        let now = self.now();
        let rows = sites
            .into_iter()
            .enumerate()
            .map(|(i, (org, name, procures, deploys))| ProductSiteRow {
                id: ProductSiteId::random(),
                product_id: product.clone(),
                org_id: org.map(|o| o.id),
                name,
                procures,
                deploys,
                // Keeps the order given.
                created_at: now + chrono::Duration::microseconds(i as i64),
            })
            .collect();
        tx.replace_product_sites(product, rows).await?;
        Ok(())
    }

    /// Registers a product of this organisation (its versions are added one by one).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn register_product(&self, input: ProductInput) -> Result<ProductView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let checked = self.check_product(&tx, &input, None).await?;
        let row = ProductRow {
            id: ProductId::random(),
            org_id: org.id.clone(),
            name: checked.name,
            manufacturer: checked.manufacturer,
            intended_use: checked.intended_use,
            regulatory_class: checked.regulatory_class,
            marking: checked.marking,
            public: input.public,
            created_at: now,
            updated_at: now,
        };
        tx.insert_product(row.clone()).await?;
        self.write_sites(&tx, &row.id, checked.sites).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "product.register",
            Some(&org.id),
            &format!("product:{}", row.id),
            json!({"name": row.name, "public": row.public}),
        )
        .await?;
        let view = self.product_view(&tx, &row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// This organisation's product by id; not found for another organisation's.
    async fn own_product(&self, tx: &Tx, id: &ProductId) -> Result<ProductRow, ServiceError> {
        match tx.product(id).await? {
            Some(row) if row.org_id == self.admin.0.org.id => Ok(row),
            _ => Err(ServiceError::NotFound(format!("product '{id}'"))),
        }
    }

    /// One of this organisation's products, as its edit form shows it (404 for another's).
    pub async fn own_product_view(&self, id: &ProductId) -> Result<ProductView, ServiceError> {
        let tx = self.store.read().await?;
        let row = self.own_product(&tx, id).await?;
        self.product_view(&tx, &row).await
    }

    /// Replaces a product's details and sites.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug, id = %id))]
    pub async fn edit_product(
        &self,
        id: &ProductId,
        input: ProductInput,
    ) -> Result<ProductView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut row = self.own_product(&tx, id).await?;
        let checked = self.check_product(&tx, &input, Some(id)).await?;
        row.name = checked.name;
        row.manufacturer = checked.manufacturer;
        row.intended_use = checked.intended_use;
        row.regulatory_class = checked.regulatory_class;
        row.marking = checked.marking;
        row.public = input.public;
        row.updated_at = now;
        tx.update_product(row.clone()).await?;
        self.write_sites(&tx, &row.id, checked.sites).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "product.edit",
            Some(&org.id),
            &format!("product:{}", row.id),
            json!({"name": row.name, "public": row.public}),
        )
        .await?;
        let view = self.product_view(&tx, &row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Registers a new version of one of this organisation's products. It becomes the
    /// current version: holders of an earlier version's credential need a refresher.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug, id = %id))]
    pub async fn add_product_version(
        &self,
        id: &ProductId,
        input: VersionInput,
    ) -> Result<ProductView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let product = self.own_product(&tx, id).await?;
        let mut p = FormProblems::new();
        let version = required(&mut p, &input.version, "/version", 64);
        let versions = tx.versions_of_product(id).await?;
        if versions.iter().any(|v| v.version == version) {
            p.add(
                "/version",
                "This product already has a version with this name.",
            );
        }
        let released_on = optional_date(&mut p, input.released_on.as_deref(), "/released_on");
        let deployed_from = optional_date(&mut p, input.deployed_from.as_deref(), "/deployed_from");
        p.finish().map_err(ServiceError::Invalid)?;
        // Registered after every earlier version, even within one clock tick.
        let created_at = versions.last().map_or(now, |v| {
            now.max(v.created_at + chrono::Duration::microseconds(1))
        });
        let row = ProductVersionRow {
            id: ProductVersionId::random(),
            product_id: product.id.clone(),
            version,
            released_on,
            deployed_from,
            created_at,
        };
        tx.insert_product_version(row.clone()).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "product.version",
            Some(&org.id),
            &format!("product:{}", product.id),
            json!({"version": row.version, "version_id": row.id}),
        )
        .await?;
        let view = self.product_view(&tx, &product).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Answers (or answers anew) a question of a product version's question sets for this
    /// organisation, which must be a buying site of the product for a procurement question
    /// and a deploying site for a deployment question.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug, version = %version_id))]
    pub async fn answer_question(
        &self,
        product_id: &ProductId,
        version_id: &ProductVersionId,
        input: AnswerInput,
    ) -> Result<AnswerView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let product = self.product_row(&tx, product_id).await?;
        let version = match tx.product_version(version_id).await? {
            Some(v) if v.product_id == product.id => v,
            _ => {
                return Err(ServiceError::NotFound(format!(
                    "product version '{version_id}'"
                )))
            }
        };
        let framework = dossier::product_framework(&tx).await?;
        let mut p = FormProblems::new();
        let question = QuestionCode::new(input.question.trim())
            .ok()
            .and_then(|code| {
                framework
                    .framework
                    .document()
                    .questions
                    .iter()
                    .find(|q| q.code == code)
                    .cloned()
            });
        if question.is_none() {
            p.add(
                "/question",
                "Choose a question of Table A3 or Table A6, such as A3-01.",
            );
        }
        let answer = required(&mut p, &input.answer, "/answer", MAX_ANSWER);
        let links = check_links(&mut p, &input.links);
        p.finish().map_err(ServiceError::Invalid)?;
        let question =
            question.ok_or_else(|| ServiceError::internal("a checked question is missing"))?;
        let sites = tx.sites_of_product(&product.id).await?;
        let procurement = question.question_set
            == PlainCode::new(PROCUREMENT_SET)
                .map_err(ServiceError::wrap("a question set code"))?;
        let allowed = sites.iter().any(|s| {
            s.org_id.as_ref() == Some(&org.id) && if procurement { s.procures } else { s.deploys }
        });
        if !allowed {
            return Err(ServiceError::Forbidden(format!(
                "{} is not listed as {} {}: {} answers the questions of {}.",
                org.name,
                if procurement { "buying" } else { "deploying" },
                product.name,
                if procurement {
                    "a buying organisation"
                } else {
                    "a deploying site"
                },
                question.table
            )));
        }
        let answered_by = match &self.admin.0.account_id {
            Some(id) => tx
                .account(id)
                .await?
                .map_or_else(|| self.admin.0.label.clone(), |a| a.display_name),
            None => format!("an API token of {}", org.name),
        };
        let earlier = tx
            .answers_of_version(&version.id)
            .await?
            .iter()
            .filter(|a| a.question_code == question.code && a.org_id == org.id)
            .count();
        let row = ProductAnswerRow {
            id: ProductAnswerId::random(),
            version_id: version.id.clone(),
            question_code: question.code.clone(),
            org_id: org.id.clone(),
            answered_by,
            answered_at: now,
            answer,
            links: serde_json::to_string(&links).map_err(ServiceError::wrap("writing links"))?,
        };
        tx.insert_product_answer(row.clone()).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "product.answer",
            Some(&org.id),
            &format!("product:{}", product.id),
            json!({"version": version.version, "question": question.code}),
        )
        .await?;
        tx.commit().await?;
        Ok(answer_view(&row, org, earlier))
    }
}

pub(crate) fn answer_view(row: &ProductAnswerRow, org: &OrgRow, earlier: usize) -> AnswerView {
    AnswerView {
        id: row.id.clone(),
        question: row.question_code.to_string(),
        org: org.slug.clone(),
        org_name: org.name.clone(),
        answer: row.answer.clone(),
        links: serde_json::from_str(&row.links).unwrap_or_default(),
        answered_by: row.answered_by.clone(),
        answered_at: row.answered_at.to_rfc3339(),
        answered_on: row.answered_at.format("%Y-%m-%d").to_string(),
        earlier,
    }
}

/// Whether `org` is the registering organisation or a registry site of `product`.
pub(crate) async fn involved(
    tx: &Tx,
    product: &ProductRow,
    org: &OrgId,
) -> Result<bool, ServiceError> {
    Ok(&product.org_id == org
        || tx
            .sites_of_product(&product.id)
            .await?
            .iter()
            .any(|s| s.org_id.as_ref() == Some(org)))
}

impl OrgAdminDesk<'_> {
    /// For the console: the products this organisation registered, and those it is a site
    /// of (which it answers questions for).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn console_products(
        &self,
    ) -> Result<(Vec<ProductView>, Vec<ProductView>), ServiceError> {
        let org = &self.admin.0.org;
        let tx = self.store.read().await?;
        let mut own = Vec::new();
        for row in tx.products_of_org(&org.id).await? {
            own.push(self.product_view(&tx, &row).await?);
        }
        let mut at_sites = Vec::new();
        for row in tx.products_at_site(&org.id).await? {
            at_sites.push(self.product_view(&tx, &row).await?);
        }
        Ok((own, at_sites))
    }
}
