//! The demo world of `credence serve --demo`: the fictional organisations, product and
//! personas of the report *Developing healthcare workers' confidence in AI* (NHS AI Lab and
//! Health Education England, 2022), seeded through the ordinary use cases. The world is data,
//! `demo/world.toml` (read by `world.rs`); `evidence.rs` makes each persona's evidence from
//! it and `seed.rs` seeds it. Everything it makes is marked as demo data; seeding is
//! deterministic and idempotent (what exists, by organisation slug, e-mail address,
//! statement or idempotency key, is left as it is).

mod evidence;
mod products;
mod seed;
mod teams;
mod world;

use std::sync::LazyLock;

use credence_domain::registry::Role;

use crate::ServiceError;
use world::World;

/// The password of every demo account. The demo is for trying Credence out, never for real
/// data: anyone reading the login page may sign in as anyone.
pub const DEMO_PASSWORD: &str = "credence-demo-password";
/// The reserved domain (RFC 2606 `.invalid`) of every demo account's e-mail address.
pub const DEMO_DOMAIN: &str = "demo.credence.invalid";

/// One account a newcomer may sign in as, for the login page's "sign in as" buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub display_name: String,
    /// The archetype of a persona ("Shaper"), or the role of a staff account
    /// ("Assessor at Linchester ICS").
    pub label: String,
    /// A short line on who this is: a persona's role as the report gives it.
    pub summary: String,
}

/// What one run of the seeder made or changed; all zero when the demo world was complete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub organisations: usize,
    pub accounts: usize,
    pub memberships: usize,
    pub accreditations: usize,
    pub achievements: usize,
    /// Evidence recorded, attachments added, submissions and decisions made.
    pub evidence_steps: usize,
    pub awards: usize,
    /// Revocations, suspensions, visibility and portfolio settings changed.
    pub changes: usize,
    /// Expiry reminders written (the expiring award's, in its holder's notifications).
    pub reminders: usize,
    /// AI products, product versions and answers to their question sets registered.
    pub products: usize,
}

impl DemoSummary {
    /// Whether the run changed nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The bundled world, read once (a unit test proves that it reads).
static WORLD: LazyLock<Result<World, String>> = LazyLock::new(World::bundled);

fn world() -> Result<&'static World, ServiceError> {
    WORLD
        .as_ref()
        .map_err(|e| ServiceError::internal(e.clone()))
}

fn email(local: &str) -> String {
    format!("{local}@{DEMO_DOMAIN}")
}

/// Every demo account a newcomer may sign in as (with [`DEMO_PASSWORD`]): the personas
/// first, then the organisations' staff.
pub fn demo_logins() -> Vec<DemoLogin> {
    let Ok(world) = world() else {
        return Vec::new();
    };
    let personas = world.personas.iter().map(|p| DemoLogin {
        email: email(&p.account),
        display_name: p.name.clone(),
        label: p.archetype.clone(),
        summary: p.role.clone(),
    });
    let staff = world.staff.iter().map(|s| DemoLogin {
        email: email(&s.account),
        display_name: s.display_name.clone(),
        label: s.label.clone(),
        summary: format!(
            "{} {}.",
            match s.roles.as_slice() {
                [Role::Assessor] => "Reviews the evidence submitted to",
                [Role::Admin] => "Manages the members of",
                _ => "Publishes achievements and awards credentials for",
            },
            world
                .org(&s.org)
                .map_or(s.org.as_str(), |o| o.name.as_str())
        ),
    });
    personas.chain(staff).collect()
}

#[cfg(test)]
mod tests {
    use super::evidence::{items, Target};
    use super::world::Fate;
    use super::*;
    use credence_domain::registry::Email;
    use credence_domain::{bundled, Framework};

    #[test]
    fn every_demo_login_is_a_distinct_reserved_address() {
        let world = world().expect("the demo world");
        let logins = demo_logins();
        assert_eq!(logins.len(), world.personas.len() + world.staff.len());
        let mut emails: Vec<&str> = logins.iter().map(|l| l.email.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), logins.len());
        for login in &logins {
            assert!(Email::new(&login.email).is_ok(), "{}", login.email);
            assert!(login.email.ends_with("@demo.credence.invalid"));
            assert!(!login.label.is_empty() && !login.summary.is_empty());
        }
        assert!(DEMO_PASSWORD.chars().count() >= crate::accounts::MIN_PASSWORD_CHARS);
    }

    #[test]
    fn the_plans_name_only_what_the_demo_has() {
        let world = world().expect("the demo world");
        for persona in &world.personas {
            let org = &persona.evidence.assessed_at;
            assert!(world.staff_of(org, Role::Assessor).is_some(), "{org}");
        }
        for award in &world.awards {
            assert!(world.persona(&award.persona).is_some(), "{}", award.persona);
            let achievement = world.achievement(&award.achievement);
            let org = achievement.map(|a| a.org.as_str()).unwrap_or_default();
            assert!(world.staff_of(org, Role::Issuer).is_some(), "{}", award.key);
        }
        let fates = |fate| world.awards.iter().filter(|a| a.fate == fate).count();
        assert_eq!(
            (
                fates(Fate::Revoked),
                fates(Fate::Suspended),
                fates(Fate::Expired)
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn evidence_levels_are_those_of_each_statement_s_taxonomy() {
        let world = world().expect("the demo world");
        let framework = Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .expect("the bundled framework");
        for persona in &world.personas {
            let items = items(world, &framework, persona).expect("the plan's evidence");
            assert!(!items.is_empty());
            for item in &items {
                let taxonomy = framework.taxonomy_of(&item.claimed).expect("a level");
                assert_eq!(taxonomy.code, item.statement.taxonomy);
                if let Target::Attested(confirmed) = &item.target {
                    assert!(framework.satisfies(&item.claimed, confirmed));
                }
            }
        }
    }
}
