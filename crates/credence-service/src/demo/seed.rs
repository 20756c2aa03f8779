//! Seeding the demo world through the ordinary use cases, as the operator and as the demo
//! accounts, taking each thing from where it stands to where the world file puts it.

use std::collections::HashMap;

use credence_domain::registry::{
    AccreditationStatus, AwardStatus, DidMethod, EvidenceStatus, Role, StatusAction,
};
use credence_domain::{
    bundled, AccountId, AchievementId, Framework, OrgSlug, PathwayCode, ProductVersionId,
};
use credence_store::registry::Page;

use super::evidence::{items, Item, Target};
use super::world::{Fate, Persona, World, EXPIRING_DAYS_LEFT};
use super::{email, DemoSummary, DEMO_PASSWORD};
use crate::accounts::{NewAccount, Password};
use crate::actor::{Holder, Issuer, OperatorPower};
use crate::awards::{NewAchievement, NewAward, DEFAULT_FRAMEWORK};
use crate::desks::OperatorDesk;
use crate::evidence::{DecisionInput, EvidenceInput, EvidenceView};
use crate::orgs::NewOrg;
use crate::portfolio::PortfolioSettings;
use crate::registry::Registry;
use crate::{Actor, ServiceError};
use credence_documents::Product;

/// A demo organisation's slug, as the world names it.
fn org_slug(text: &str) -> Result<OrgSlug, ServiceError> {
    OrgSlug::new(text).map_err(|e| ServiceError::internal(format!("the demo world: {e}")))
}

/// Account ids by e-mail local part.
pub(super) type Accounts = HashMap<String, AccountId>;

impl OperatorDesk<'_> {
    /// Seeds the demo world (`credence serve --demo`) through the ordinary use cases, as
    /// the operator and as the demo accounts. What already exists is left alone, so a second
    /// run changes nothing; `progress` is told each stage.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn seed_demo(
        &self,
        mut progress: impl FnMut(&str),
    ) -> Result<DemoSummary, ServiceError> {
        let operator = &self.operator;
        let world = super::world()?;
        let mut summary = DemoSummary::default();
        progress("organisations and their staff");
        self.seed_orgs(world, operator, &mut summary).await?;
        let accounts = self.seed_accounts(world, operator, &mut summary).await?;
        progress("accreditations, products and achievements");
        self.seed_accreditations(world, &accounts, &mut summary)
            .await?;
        let versions = self.seed_products(world, &accounts, &mut summary).await?;
        let achievements = self
            .seed_achievements(world, &accounts, &versions, &mut summary)
            .await?;
        progress("evidence of the eleven personas");
        let framework = Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .map_err(ServiceError::wrap("reading the bundled framework"))?;
        for persona in &world.personas {
            self.seed_evidence(
                world,
                &framework,
                persona,
                &accounts,
                &versions,
                &mut summary,
            )
            .await?;
        }
        progress("awards");
        self.seed_awards(world, &accounts, &achievements, &mut summary)
            .await?;
        progress("awards waiting for a claim");
        self.seed_claims(world, &accounts, &achievements, &mut summary)
            .await?;
        progress("teams and the workforce");
        self.seed_teams(world, operator, &mut summary).await?;
        self.seed_workforce(world, &framework, operator, &mut summary)
            .await?;
        progress("reminders");
        summary.reminders += self.send_expiry_reminders(self.now()).await? as usize;
        progress("portfolios");
        self.seed_portfolios(world, &framework, &accounts, &mut summary)
            .await?;
        Ok(summary)
    }
}

impl Registry {
    async fn seed_orgs(
        &self,
        world: &World,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        for org in &world.organisations {
            match self.org_named(&org.slug).await {
                Ok(_) => continue,
                Err(ServiceError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
            self.with_operator(operator)
                .create_org(NewOrg {
                    slug: org.slug.as_str().into(),
                    name: org.name.as_str().into(),
                    kind: org.kind,
                    did_method: DidMethod::Web,
                    url: None,
                    description: Some(format!("{} {}", world.texts.fictional, org.about)),
                })
                .await?;
            summary.organisations += 1;
        }
        // Trusting a trusted body again changes nothing.
        for org in world.organisations.iter().filter(|o| o.trusted) {
            self.with_operator(operator)
                .trust_body(&org_slug(&org.slug)?, true)
                .await?;
        }
        Ok(())
    }

    /// Makes the demo accounts and their roles; returns account ids by e-mail local part.
    async fn seed_accounts(
        &self,
        world: &World,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<Accounts, ServiceError> {
        let mut ids = HashMap::new();
        for (local, display_name) in world.accounts() {
            let address = email(local);
            let id = match self.account_by_email(&address).await? {
                Some(account) => account.id,
                None => {
                    summary.accounts += 1;
                    let account = NewAccount {
                        email: address,
                        display_name: display_name.into(),
                        password: Password::new(DEMO_PASSWORD.into()),
                    };
                    (self
                        .with_operator(operator)
                        .create_account_as_operator(account, false))
                    .await?
                    .id
                }
            };
            ids.insert(local.to_owned(), id);
        }
        for (slug, local, role) in world.memberships() {
            let org = self.org_named(slug).await?;
            let admin = operator.admin_of(&org);
            let address = email(local);
            let members = self.with_org_admin(&admin).members().await?;
            if members
                .iter()
                .any(|m| m.email == address && m.role == role.as_str())
            {
                continue;
            }
            self.with_org_admin(&admin)
                .add_member(&address, role)
                .await?;
            summary.memberships += 1;
        }
        Ok(ids)
    }

    /// The issuer role of a demo organisation, as its issuer account.
    async fn demo_issuer(
        &self,
        world: &World,
        accounts: &Accounts,
        slug: &str,
    ) -> Result<Issuer, ServiceError> {
        let org = self.org_named(slug).await?;
        let staff = world
            .staff_of(slug, Role::Issuer)
            .ok_or_else(|| ServiceError::internal(format!("the demo has no issuer at {slug}")))?;
        self.demo_actor(accounts, &staff.account)
            .await?
            .issuer(&org)
    }

    async fn demo_actor(&self, accounts: &Accounts, local: &str) -> Result<Actor, ServiceError> {
        let id = accounts
            .get(local)
            .ok_or_else(|| ServiceError::internal(format!("no demo account {local}")))?;
        self.account_actor(id).await
    }

    async fn demo_holder(&self, accounts: &Accounts, local: &str) -> Result<Holder, ServiceError> {
        self.demo_actor(accounts, local).await?.holder()
    }

    async fn seed_accreditations(
        &self,
        world: &World,
        accounts: &Accounts,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let mut given = HashMap::new();
        for a in &world.accreditations {
            if !given.contains_key(&a.body) {
                given.insert(
                    a.body.clone(),
                    self.public().accreditations(&org_slug(&a.body)?).await?.0,
                );
            }
            let active = given.get(&a.body).is_some_and(|given| {
                (given.iter()).any(|g| {
                    g.provider == a.provider.as_str() && g.status == AccreditationStatus::Active
                })
            });
            if active {
                continue;
            }
            let body = self.demo_issuer(world, accounts, &a.body).await?;
            self.with_accrediting_body(&body)
                .accredit(&a.provider, std::slice::from_ref(&a.pathway), None)
                .await?;
            summary.accreditations += 1;
        }
        Ok(())
    }

    /// Publishes the demo achievements; returns their uuids by key.
    async fn seed_achievements(
        &self,
        world: &World,
        accounts: &Accounts,
        versions: &super::products::Versions,
        summary: &mut DemoSummary,
    ) -> Result<HashMap<String, AchievementId>, ServiceError> {
        let mut ids = HashMap::new();
        for a in &world.achievements {
            let existing = (self.public().achievements(&org_slug(&a.org)?).await?)
                .into_iter()
                .find(|v| v.name == a.name && v.pathway == a.pathway);
            let uuid = match existing {
                Some(view) => view.uuid,
                None => {
                    let issuer = self.demo_issuer(world, accounts, &a.org).await?;
                    summary.achievements += 1;
                    // Bound to the registered product version of that name, if any.
                    let bound = a.product.as_ref().and_then(|p| {
                        world
                            .products
                            .iter()
                            .find(|d| d.name == p.name)
                            .and_then(|d| versions.get(&(d.key.clone(), p.version.clone())))
                    });
                    let new = NewAchievement {
                        pathway: a.pathway.as_str().into(),
                        framework: Some(DEFAULT_FRAMEWORK.into()),
                        name: Some(a.name.as_str().into()),
                        description: Some(a.description.clone()),
                        validity_days: a.validity_days,
                        product: a.product.as_ref().map(|p| Product {
                            name: p.name.as_str().into(),
                            version: p.version.as_str().into(),
                        }),
                        suspendable: a.suspendable,
                        awards_public: false,
                        product_version: bound.map(ToString::to_string),
                    };
                    self.with_issuer(&issuer)
                        .create_achievement(new)
                        .await?
                        .uuid
                }
            };
            ids.insert(a.key.clone(), uuid);
        }
        Ok(ids)
    }

    /// Records, submits and decides one persona's evidence, taking each piece from where it
    /// stands (by statement) to where the plan puts it.
    async fn seed_evidence(
        &self,
        world: &World,
        framework: &Framework,
        persona: &Persona,
        accounts: &Accounts,
        versions: &super::products::Versions,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let holder = self.demo_holder(accounts, &persona.account).await?;
        // By statement and the product version it was gained on.
        let existing: HashMap<(String, Option<ProductVersionId>), EvidenceView> = self
            .with_holder(&holder)
            .holder_evidence(Page::new(0, Page::MAX_LIMIT))
            .await?
            .into_iter()
            .map(|e| ((e.statement.clone(), e.product_version.clone()), e))
            .collect();
        let mut assessors = HashMap::new();
        for mut item in items(world, framework, persona)? {
            let version = match item.product {
                Some((p, v)) => Some(
                    versions
                        .get(&(p.to_owned(), v.to_owned()))
                        .cloned()
                        .ok_or_else(|| {
                            ServiceError::internal(format!("no demo version {p} {v}"))
                        })?,
                ),
                None => None,
            };
            let found = existing.get(&(item.statement.code.to_string(), version.clone()));
            item.product_version = version;
            self.seed_item(&holder, item, found, accounts, &mut assessors, summary)
                .await?;
        }
        Ok(())
    }

    /// Takes one piece of evidence from where it stands (`existing`, or nowhere) to where
    /// the plan puts it.
    async fn seed_item(
        &self,
        holder: &Holder,
        item: Item<'_>,
        existing: Option<&EvidenceView>,
        accounts: &Accounts,
        assessors: &mut HashMap<String, Actor>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let (id, mut status) = match existing {
            Some(view) => (view.id.clone(), view.status),
            None => {
                let input = EvidenceInput {
                    kind: item.kind.into(),
                    narrative: item.narrative.clone(),
                    date: item.date.format("%Y-%m-%d").to_string(),
                    provider: item.provider.clone(),
                    framework: DEFAULT_FRAMEWORK.into(),
                    framework_version: None,
                    statement: item.statement.code.to_string(),
                    level: item.claimed.to_string(),
                    product_version: item.product_version.as_ref().map(ToString::to_string),
                };
                let detail = self.with_holder(holder).record_evidence(input).await?;
                summary.evidence_steps += 1;
                (detail.evidence.id, detail.evidence.status)
            }
        };
        if status == EvidenceStatus::Draft {
            if let Some((file_name, text)) = item.attachment {
                let detail = self.with_holder(holder).evidence_detail(&id).await?;
                if detail.attachments.is_empty() {
                    let bytes = text.as_bytes().to_vec();
                    (self.with_holder(holder).add_attachment(
                        &id,
                        file_name,
                        Some("text/plain"),
                        bytes,
                    ))
                    .await?;
                    summary.evidence_steps += 1;
                }
            }
            if !matches!(item.target, Target::Draft) {
                let submitted = self
                    .with_holder(holder)
                    .submit_evidence(&id, item.org)
                    .await?;
                status = submitted.evidence.status;
                summary.evidence_steps += 1;
            }
        }
        let decision = match item.target {
            Target::Attested(level) => DecisionInput {
                decision: "attest".into(),
                level: Some(level.to_string()),
                comment: None,
            },
            Target::Rejected(comment) => DecisionInput {
                decision: "reject".into(),
                level: None,
                comment: Some(comment),
            },
            Target::Draft | Target::Submitted => return Ok(()),
        };
        if status != EvidenceStatus::Submitted {
            return Ok(());
        }
        let assessor = match assessors.get(item.assessor) {
            Some(actor) => actor.clone(),
            None => {
                let actor = self.demo_actor(accounts, item.assessor).await?;
                assessors.insert(item.assessor.to_owned(), actor.clone());
                actor
            }
        };
        self.caller(&assessor)
            .decide_evidence(&id, decision)
            .await?;
        summary.evidence_steps += 1;
        Ok(())
    }

    /// Issues the demo awards (by idempotency key), then revokes, suspends and publishes them
    /// as planned.
    async fn seed_awards(
        &self,
        world: &World,
        accounts: &Accounts,
        achievements: &HashMap<String, AchievementId>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let mut issued: HashMap<&str, String> = HashMap::new();
        for a in &world.awards {
            let missing =
                || ServiceError::internal(format!("no demo achievement {}", a.achievement));
            let spec = world.achievement(&a.achievement).ok_or_else(missing)?;
            let uuid = achievements.get(&a.achievement).ok_or_else(missing)?;
            let issuer = self.demo_issuer(world, accounts, &spec.org).await?;
            let new = NewAward {
                achievement: uuid.to_string(),
                email: email(&a.persona),
                name: None,
                override_justification: None,
                valid_from: match (a.fate, spec.validity_days) {
                    // Left with a few weeks of validity, whenever the demo is seeded.
                    (Fate::Expiring, Some(days)) => Some(
                        (self.now() - chrono::Duration::days(days - EXPIRING_DAYS_LEFT))
                            .to_rfc3339(),
                    ),
                    _ => a.valid_from.clone(),
                },
                renews: a.renews.as_deref().and_then(|k| issued.get(k).cloned()),
                key: Some(a.key.as_str().into()),
            };
            let outcome = self.with_issuer(&issuer).award(new).await?;
            if outcome.created {
                summary.awards += 1;
            }
            let mut award = outcome.award;
            let reason = a.reason.as_deref().unwrap_or_default();
            let change = match a.fate {
                Fate::Revoked if award.status != AwardStatus::Revoked => Some(StatusAction::Revoke),
                Fate::Suspended if award.status == AwardStatus::Active => {
                    Some(StatusAction::Suspend)
                }
                _ => None,
            };
            if let Some(action) = change {
                award = (self
                    .with_issuer(&issuer)
                    .change_award_status(&award.id, action, reason))
                .await?;
                summary.changes += 1;
            }
            let public = matches!(a.fate, Fate::Valid | Fate::Expired | Fate::Expiring)
                && world
                    .persona(&a.persona)
                    .is_some_and(|p| p.public_portfolio);
            if award.public != public {
                let holder = self.demo_holder(accounts, &a.persona).await?;
                self.with_holder(&holder)
                    .set_award_visibility(&award.id, public)
                    .await?;
                summary.changes += 1;
            }
            issued.insert(&a.key, award.id.to_string());
        }
        Ok(())
    }

    /// Awards the world's pending claims (by idempotency key): to addresses without an
    /// account, so each waits for its recipient.
    async fn seed_claims(
        &self,
        world: &World,
        accounts: &Accounts,
        achievements: &HashMap<String, AchievementId>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        for c in &world.claims {
            let missing =
                || ServiceError::internal(format!("no demo achievement {}", c.achievement));
            let spec = world.achievement(&c.achievement).ok_or_else(missing)?;
            let uuid = achievements.get(&c.achievement).ok_or_else(missing)?;
            let issuer = self.demo_issuer(world, accounts, &spec.org).await?;
            let new = NewAward {
                achievement: uuid.to_string(),
                email: email(&c.recipient),
                name: None,
                override_justification: Some(c.justification.clone()),
                valid_from: None,
                renews: None,
                key: Some(c.key.clone()),
            };
            if self.with_issuer(&issuer).award(new).await?.created {
                summary.awards += 1;
            }
        }
        Ok(())
    }

    /// Sets each persona's archetype, publishes the portfolios the world says to publish
    /// (showing progress), and shows their attested evidence beyond the foundational
    /// pathway on them.
    async fn seed_portfolios(
        &self,
        world: &World,
        framework: &Framework,
        accounts: &Accounts,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let foundational: Vec<String> = PathwayCode::new("foundational")
            .map(|code| {
                (framework.pathway_statements(&code))
                    .map(|s| s.code.to_string())
                    .collect()
            })
            .unwrap_or_default();
        for persona in &world.personas {
            self.seed_portfolio(persona, &foundational, accounts, summary)
                .await?;
        }
        Ok(())
    }

    async fn seed_portfolio(
        &self,
        persona: &Persona,
        foundational: &[String],
        accounts: &Accounts,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let holder = self.demo_holder(accounts, &persona.account).await?;
        let me = self.with_holder(&holder).me().await?;
        let archetype = persona.archetype.to_lowercase();
        if me.archetypes != [archetype.clone()] {
            self.with_holder(&holder)
                .set_archetypes(&[archetype])
                .await?;
            summary.changes += 1;
        }
        if !persona.public_portfolio {
            return Ok(());
        }
        if me.portfolio_slug.as_deref() != Some(persona.account.as_str())
            || !me.portfolio_public
            || !me.portfolio_show_progress
        {
            let settings = PortfolioSettings {
                slug: Some(persona.account.as_str().into()),
                public: true,
                show_progress: true,
            };
            self.with_holder(&holder).update_portfolio(settings).await?;
            summary.changes += 1;
        }
        let evidence = self
            .with_holder(&holder)
            .holder_evidence(Page::new(0, Page::MAX_LIMIT))
            .await?;
        for e in evidence {
            let show = e.status == EvidenceStatus::Attested && !foundational.contains(&e.statement);
            if show && !e.public {
                self.with_holder(&holder)
                    .set_evidence_visibility(&e.id, true)
                    .await?;
                summary.changes += 1;
            }
        }
        Ok(())
    }
}
