//! The demo world's AI products (issue 19): tri-X and its versions, registered by Triadix
//! with the sites that buy and deploy it, and the answers of those sites to the report's
//! question sets; seeded through the organisation administrators' desks.

use std::collections::HashMap;

use credence_domain::registry::Role;
use credence_domain::{ProductId, ProductVersionId};
use serde::Deserialize;

use super::seed::Accounts;
use super::world::World;
use super::DemoSummary;
use crate::desks::OperatorDesk;
use crate::products::{AnswerInput, ProductInput, SiteInput, VersionInput};
use crate::ServiceError;

/// A demo product.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoProduct {
    pub key: String,
    /// The registering organisation.
    pub org: String,
    pub name: String,
    pub manufacturer: String,
    pub intended_use: String,
    pub regulatory_class: Option<String>,
    pub marking: Option<String>,
    pub public: bool,
    pub sites: Vec<SiteInput>,
    pub versions: Vec<DemoVersion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoVersion {
    pub version: String,
    pub released_on: Option<String>,
    pub deployed_from: Option<String>,
}

/// An answer of a demo organisation to one question, for some versions of a product.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoAnswer {
    pub product: String,
    pub versions: Vec<String>,
    pub org: String,
    pub question: String,
    pub answer: String,
    #[serde(default)]
    pub links: Vec<String>,
}

/// The registered ids of the demo products' versions, by product key and version.
pub(super) type Versions = HashMap<(String, String), ProductVersionId>;

/// That `product` (a key) has `version`.
pub(super) fn check_version(
    world: &World,
    product: &str,
    version: &str,
    whose: &str,
) -> Result<(), String> {
    let p = world
        .products
        .iter()
        .find(|p| p.key == product)
        .ok_or_else(|| format!("{whose} names the product '{product}', which is not in it"))?;
    if p.versions.iter().any(|v| v.version == version) {
        Ok(())
    } else {
        Err(format!(
            "{whose} names version '{version}' of '{product}', which it does not have"
        ))
    }
}

/// That the products' organisations and sites are in the world, and every answer names a
/// product, its versions and one of its sites, in demo words.
pub(super) fn check(world: &World) -> Result<(), String> {
    for p in &world.products {
        if world.org(&p.org).is_none() || world.staff_of(&p.org, Role::Admin).is_none() {
            return Err(format!(
                "the product '{}' needs an organisation with an admin",
                p.key
            ));
        }
        for s in &p.sites {
            if let Some(org) = &s.org {
                if world.org(org).is_none() {
                    return Err(format!(
                        "the product '{}' names the site '{org}', which is not in it",
                        p.key
                    ));
                }
            }
        }
    }
    for a in &world.product_answers {
        let whose = format!("the answer to {} by {}", a.question, a.org);
        for v in &a.versions {
            check_version(world, &a.product, v, &whose)?;
        }
        if world.staff_of(&a.org, Role::Admin).is_none() {
            return Err(format!("{whose}: '{}' has no admin", a.org));
        }
        if !a.answer.starts_with("Demo data: ") {
            return Err(format!("{whose} does not begin \"Demo data: \""));
        }
    }
    Ok(())
}

impl OperatorDesk<'_> {
    /// Registers the demo products, their versions and sites, and their answers (what
    /// exists, by product name, version and answered question, is left as it is).
    pub(super) async fn seed_products(
        &self,
        world: &World,
        accounts: &Accounts,
        summary: &mut DemoSummary,
    ) -> Result<Versions, ServiceError> {
        let mut versions = Versions::new();
        let mut ids: HashMap<&str, ProductId> = HashMap::new();
        for p in &world.products {
            let org = self.org_named(&p.org).await?;
            let admin = self.demo_admin(world, accounts, &p.org).await?;
            let desk = self.with_org_admin(&admin);
            let existing = self
                .store
                .read()
                .await?
                .product_named(&org.id, &p.name)
                .await?;
            let id = match existing {
                Some(row) => row.id,
                None => {
                    summary.products += 1;
                    desk.register_product(ProductInput {
                        name: p.name.clone(),
                        manufacturer: p.manufacturer.clone(),
                        intended_use: p.intended_use.clone(),
                        regulatory_class: p.regulatory_class.clone(),
                        marking: p.marking.clone(),
                        public: p.public,
                        sites: p.sites.clone(),
                    })
                    .await?
                    .id
                }
            };
            for v in &p.versions {
                let stored = self.store.read().await?.versions_of_product(&id).await?;
                let found = match stored.iter().find(|s| s.version == v.version) {
                    Some(s) => s.id.clone(),
                    None => {
                        summary.products += 1;
                        let view = desk
                            .add_product_version(
                                &id,
                                VersionInput {
                                    version: v.version.clone(),
                                    released_on: v.released_on.clone(),
                                    deployed_from: v.deployed_from.clone(),
                                },
                            )
                            .await?;
                        view.versions
                            .iter()
                            .find(|s| s.version == v.version)
                            .map(|s| s.id.clone())
                            .ok_or_else(|| ServiceError::internal("a new demo version vanished"))?
                    }
                };
                versions.insert((p.key.clone(), v.version.clone()), found);
            }
            ids.insert(&p.key, id);
        }
        self.seed_answers(world, accounts, &versions, &ids, summary)
            .await?;
        Ok(versions)
    }

    async fn seed_answers(
        &self,
        world: &World,
        accounts: &Accounts,
        versions: &Versions,
        ids: &HashMap<&str, ProductId>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        for a in &world.product_answers {
            let org = self.org_named(&a.org).await?;
            let admin = self.demo_admin(world, accounts, &a.org).await?;
            let product = ids
                .get(a.product.as_str())
                .ok_or_else(|| ServiceError::internal(format!("no demo product {}", a.product)))?;
            for v in &a.versions {
                let version = versions
                    .get(&(a.product.clone(), v.clone()))
                    .ok_or_else(|| ServiceError::internal(format!("no demo version {v}")))?;
                let answered = self
                    .store
                    .read()
                    .await?
                    .answers_of_version(version)
                    .await?
                    .iter()
                    .any(|r| r.org_id == org.id && r.question_code.as_str() == a.question);
                if answered {
                    continue;
                }
                self.with_org_admin(&admin)
                    .answer_question(
                        product,
                        version,
                        AnswerInput {
                            question: a.question.clone(),
                            answer: a.answer.clone(),
                            links: a.links.clone(),
                        },
                    )
                    .await?;
                summary.products += 1;
            }
        }
        Ok(())
    }

    /// The admin role of a demo organisation, as its admin account.
    async fn demo_admin(
        &self,
        world: &World,
        accounts: &Accounts,
        slug: &str,
    ) -> Result<crate::actor::OrgAdmin, ServiceError> {
        let org = self.org_named(slug).await?;
        let staff = world
            .staff_of(slug, Role::Admin)
            .ok_or_else(|| ServiceError::internal(format!("the demo has no admin at {slug}")))?;
        let id = accounts
            .get(&staff.account)
            .ok_or_else(|| ServiceError::internal(format!("no demo account {}", staff.account)))?;
        self.account_actor(id).await?.org_admin(&org)
    }
}
