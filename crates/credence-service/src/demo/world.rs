//! The demo world as data: the types of `demo/world.toml` (every table refuses fields it
//! does not know), and the loader that reads the file and checks that everything it names
//! (organisations, accounts, achievements, case studies) is in it.

use std::collections::HashSet;

use credence_domain::registry::{OrgKind, Role};
use serde::{Deserialize, Deserializer};

/// The bundled demo world, read by [`World::bundled`].
pub const WORLD_TOML: &str = include_str!("../../demo/world.toml");

/// The whole demo world, in the order it is seeded.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    pub texts: Texts,
    pub organisations: Vec<Org>,
    pub staff: Vec<Staff>,
    pub personas: Vec<Persona>,
    pub case_studies: Vec<CaseStudy>,
    /// AI products, their versions and sites (issue 19), and their answers to the
    /// report's question sets.
    #[serde(default)]
    pub products: Vec<super::products::DemoProduct>,
    #[serde(default)]
    pub product_answers: Vec<super::products::DemoAnswer>,
    pub product_training: Vec<ProductTraining>,
    pub accreditations: Vec<Accreditation>,
    pub achievements: Vec<Achievement>,
    pub awards: Vec<Award>,
    /// Awards to addresses without an account, waiting for their recipients to claim them.
    #[serde(default)]
    pub claims: Vec<PendingClaim>,
    /// Teams, their invitations and who accepted.
    #[serde(default)]
    pub teams: Vec<Team>,
    /// Numbered staff of an organisation with attested foundational (and advanced)
    /// evidence, so that its workforce view has counts to show.
    #[serde(default)]
    pub workforce: Vec<Workforce>,
    /// Workforce targets organisations set.
    #[serde(default)]
    pub targets: Vec<WorkforceTarget>,
    /// Organisations affiliated (accepted) to a system.
    #[serde(default)]
    pub affiliations: Vec<Affiliation>,
}

/// An organisation affiliated to a system, the affiliation accepted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Affiliation {
    pub system: String,
    pub member: String,
}

/// A team of a demo organisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub org: String,
    pub name: String,
    pub product_name: Option<String>,
    pub product_pathway: Option<String>,
    pub members: Vec<TeamMember>,
}

/// A persona invited to a team, with the archetypes they play there.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub persona: String,
    pub archetypes: Vec<String>,
    /// Whether they accepted (otherwise the invitation waits, and they do not count).
    pub accepted: bool,
}

/// Numbered staff accounts of one organisation, in groups.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workforce {
    pub org: String,
    /// Accounts are `{prefix}-{n}` (two digits), named by `display_name` with `{n}`.
    pub account_prefix: String,
    pub display_name: String,
    /// How many months before seeding the first group's evidence was attested (the first
    /// of that month); each next group a month later.
    pub months_ago: u32,
    pub groups: Vec<WorkforceGroup>,
}

/// A number of staff following one archetype, with as much attested evidence each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkforceGroup {
    pub archetype: String,
    pub count: usize,
    /// Statements of the foundational pathway attested, in the framework's order.
    #[serde(deserialize_with = "number_or_all")]
    pub foundational: usize,
    /// Statements of the archetype's advanced pathway attested.
    #[serde(default, deserialize_with = "number_or_all")]
    pub advanced: usize,
}

/// A workforce target.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkforceTarget {
    pub org: String,
    pub archetype: Option<String>,
    pub pathway: String,
    pub percent: u32,
    pub due: String,
}

/// Sentences the seeder puts together with the world's entries. Narratives name their
/// parts in braces (`{persona}`), filled in by [`fill`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// What every organisation's description says first.
    pub fictional: String,
    /// The assessor's comment on rejected evidence.
    pub rejection: String,
    /// The first day of foundational and of advanced evidence (`YYYY-MM-DD`); each further
    /// statement is a day later.
    pub foundational_from: String,
    pub advanced_from: String,
    /// Foundational evidence: `{persona}`, `{line}`, `{course}`.
    pub foundational_narrative: String,
    /// Advanced evidence on a case study's responsibility: `{what}`, `{archetype}`, `{line}`,
    /// `{text}`.
    pub case_study_narrative: String,
    /// Advanced evidence of a persona without a case study: `{what}`, `{persona}`, `{role}`,
    /// `{first}`, `{last}`, `{responsibilities}`.
    pub role_narrative: String,
    /// The kinds of advanced evidence, taken in turn, with what a narrative says of each.
    pub advanced_kinds: Vec<AdvancedKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvancedKind {
    pub kind: String,
    pub what: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    /// What the report says of it, after [`Texts::fictional`].
    pub about: String,
    /// Whether the operator trusts it as an accrediting body.
    #[serde(default)]
    pub trusted: bool,
}

/// A staff account of a demo organisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// The e-mail address's local part.
    pub account: String,
    pub org: String,
    pub roles: Vec<Role>,
    pub display_name: String,
    pub label: String,
}

/// A line of the report, with its number.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub text: String,
    pub line: u32,
}

/// One of the personas of the report, quoted word for word, with their evidence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// The e-mail address's local part, and the public portfolio's address.
    pub account: String,
    pub name: String,
    pub archetype: String,
    pub role: String,
    pub responsibilities: String,
    pub source_lines: (u32, u32),
    /// The step of the education journey that covers foundational AI education.
    pub foundational_course: Quote,
    /// The case study whose responsibilities their advanced evidence is about.
    pub case_study: Option<String>,
    pub public_portfolio: bool,
    /// A role the persona holds in an organisation as well.
    pub member: Option<Membership>,
    pub evidence: EvidencePlan,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub org: String,
    pub roles: Vec<Role>,
}

/// A persona's evidence: where it is submitted, and how far each pathway has come.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidencePlan {
    /// The organisation whose assessors review it.
    pub assessed_at: String,
    pub foundational: Counts,
    /// Towards the advanced pathway of the persona's archetype.
    pub advanced: Counts,
    /// Every statement of a product's pathway, as each product training named says (in
    /// turn: a version's training, then a later version's refresher).
    #[serde(default)]
    pub product_training: Vec<String>,
}

/// How many statements of a pathway a persona has evidence for, in each state; statements
/// are taken in the framework's order: attested first, then rejected, submitted, drafts.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    #[serde(default, deserialize_with = "number_or_all")]
    pub attested: usize,
    #[serde(default)]
    pub rejected: usize,
    #[serde(default)]
    pub submitted: usize,
    #[serde(default)]
    pub drafts: usize,
}

/// A count, or `"all"` for every statement.
fn number_or_all<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Amount {
        Number(usize),
        Word(String),
    }
    match Amount::deserialize(d)? {
        Amount::Number(n) => Ok(n),
        Amount::Word(w) if w == "all" => Ok(usize::MAX),
        Amount::Word(w) => Err(serde::de::Error::custom(format!(
            "'{w}' is not a count: use a number or \"all\""
        ))),
    }
}

/// Responsibilities of one archetype in the report's tri-X case study.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub key: String,
    pub lines: Vec<Quote>,
}

/// Training on a product, as evidence of every statement of its pathway.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductTraining {
    pub key: String,
    pub pathway: String,
    pub assessed_at: String,
    /// The account that attests it.
    pub assessor: String,
    pub provider: String,
    /// The day of the first four statements' evidence; each next four a day later.
    pub first_day: String,
    /// `{persona}`, `{line}`, `{text}` (of the training), `{duty_line}`, `{duty}`.
    pub narrative: String,
    /// The case study whose responsibilities the training prepares for.
    pub duties: String,
    /// Attached to the first statement's evidence.
    pub attachment: Attachment,
    pub training: Vec<Quote>,
    /// The demo product (its key) and version the training was on: its evidence names
    /// that version, which the product's awards need.
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub file_name: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accreditation {
    pub body: String,
    pub provider: String,
    pub pathway: String,
}

/// An achievement a demo organisation publishes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Achievement {
    pub key: String,
    pub org: String,
    pub pathway: String,
    pub name: String,
    pub description: String,
    pub validity_days: Option<i64>,
    pub product: Option<Product>,
    /// Whether its awards can be suspended (and so carry two status entries).
    #[serde(default)]
    pub suspendable: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub version: String,
}

/// How many days of validity an `expiring` award has left when the demo is seeded.
pub const EXPIRING_DAYS_LEFT: i64 = 21;

/// What becomes of an award after it is issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fate {
    Valid,
    Revoked,
    Suspended,
    /// Issued with a `valid_from` far enough in the past that its validity has ended.
    Expired,
    /// Issued with a `valid_from` that leaves [`EXPIRING_DAYS_LEFT`] days of its
    /// achievement's validity: its holder is reminded, and the dashboard shows it expiring.
    Expiring,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// The idempotency key, unique in the issuing organisation.
    pub key: String,
    pub achievement: String,
    pub persona: String,
    pub fate: Fate,
    /// Why it was revoked or suspended.
    pub reason: Option<String>,
    pub valid_from: Option<String>,
    /// The key of an earlier award this one renews.
    pub renews: Option<String>,
}

/// An award made to an address that has no account: its claim link waits in the outbox
/// (the demo has no mail server) and the issuer's console shows it waiting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingClaim {
    /// The idempotency key, unique in the issuing organisation.
    pub key: String,
    pub achievement: String,
    /// The local part of the recipient's address (`@demo.credence.invalid`); no account
    /// of the world may have it.
    pub recipient: String,
    /// Why the issuer awards without evidence recorded here (there is no account to hold it).
    pub justification: String,
}

/// Puts `values` into the braces of `template` that name them.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

impl World {
    /// The world of `demo/world.toml`.
    pub fn bundled() -> Result<World, String> {
        World::from_toml(WORLD_TOML)
    }

    /// Reads a world and checks that each name in it refers to something it has.
    pub fn from_toml(text: &str) -> Result<World, String> {
        let world: World = toml::from_str(text).map_err(|e| format!("the demo world: {e}"))?;
        world.check().map_err(|e| format!("the demo world: {e}"))?;
        Ok(world)
    }

    pub fn org(&self, slug: &str) -> Option<&Org> {
        self.organisations.iter().find(|o| o.slug == slug)
    }

    pub fn persona(&self, account: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| p.account == account)
    }

    pub fn achievement(&self, key: &str) -> Option<&Achievement> {
        self.achievements.iter().find(|a| a.key == key)
    }

    pub fn case_study(&self, key: &str) -> Option<&CaseStudy> {
        self.case_studies.iter().find(|c| c.key == key)
    }

    pub fn product_training(&self, key: &str) -> Option<&ProductTraining> {
        self.product_training.iter().find(|p| p.key == key)
    }

    /// The staff account of `org` holding `role`.
    pub fn staff_of(&self, org: &str, role: Role) -> Option<&Staff> {
        self.staff
            .iter()
            .find(|s| s.org == org && s.roles.contains(&role))
    }

    /// Every account's local part, with its display name: staff first, then personas.
    pub fn accounts(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let staff = self
            .staff
            .iter()
            .map(|s| (s.account.as_str(), s.display_name.as_str()));
        let personas = (self.personas.iter()).map(|p| (p.account.as_str(), p.name.as_str()));
        staff.chain(personas)
    }

    /// Every membership, as (organisation, account, role): staff first, then personas.
    pub fn memberships(&self) -> impl Iterator<Item = (&str, &str, Role)> + '_ {
        let staff = self
            .staff
            .iter()
            .flat_map(|s| (s.roles.iter()).map(move |r| (s.org.as_str(), s.account.as_str(), *r)));
        let personas = self.personas.iter().flat_map(|p| {
            p.member.iter().flat_map(move |m| {
                (m.roles.iter()).map(move |r| (m.org.as_str(), p.account.as_str(), *r))
            })
        });
        staff.chain(personas)
    }

    /// Whether `account` holds `role` at `org`.
    fn holds(&self, org: &str, account: &str, role: Role) -> bool {
        self.memberships().any(|m| m == (org, account, role))
    }

    /// Checks that every key is there once and every name refers to something in the world.
    fn check(&self) -> Result<(), String> {
        let unique = |what: &str, keys: Vec<&str>| {
            let mut seen = HashSet::new();
            match keys.into_iter().find(|k| !seen.insert(*k)) {
                Some(k) => Err(format!("{what} '{k}' is there twice")),
                None => Ok(()),
            }
        };
        let organisations = self.organisations.iter().map(|o| o.slug.as_str());
        unique("organisation", organisations.collect())?;
        unique("account", self.accounts().map(|(a, _)| a).collect())?;
        let achievements = self.achievements.iter().map(|a| a.key.as_str());
        unique("achievement", achievements.collect())?;
        unique(
            "award",
            self.awards.iter().map(|a| a.key.as_str()).collect(),
        )?;
        super::products::check(self)?;
        if self.texts.advanced_kinds.is_empty() {
            return Err("texts.advanced_kinds is empty".into());
        }
        date("texts.foundational_from", &self.texts.foundational_from)?;
        date("texts.advanced_from", &self.texts.advanced_from)?;
        for (slug, account, _) in self.memberships() {
            found(
                self.org(slug),
                &format!("the account '{account}'"),
                "organisation",
                slug,
            )?;
        }
        self.check_evidence()?;
        for a in &self.accreditations {
            self.has_staff(&a.body, Role::Issuer, "an accreditation")?;
            found(
                self.org(&a.provider),
                "an accreditation",
                "organisation",
                &a.provider,
            )?;
        }
        for a in &self.achievements {
            self.has_staff(
                &a.org,
                Role::Issuer,
                &format!("the achievement '{}'", a.key),
            )?;
        }
        self.check_awards()?;
        self.check_claims()
    }

    fn check_claims(&self) -> Result<(), String> {
        let accounts: HashSet<&str> = self.accounts().map(|(a, _)| a).collect();
        let mut keys: HashSet<&str> = self.awards.iter().map(|a| a.key.as_str()).collect();
        for c in &self.claims {
            let whose = format!("the pending claim '{}'", c.key);
            found(
                self.achievement(&c.achievement),
                &whose,
                "achievement",
                &c.achievement,
            )?;
            if !keys.insert(&c.key) {
                return Err(format!("{whose}: its key is an award's already"));
            }
            if accounts.contains(c.recipient.as_str()) {
                return Err(format!(
                    "{whose}: '{}' has an account, so the award would not wait for a claim",
                    c.recipient
                ));
            }
        }
        Ok(())
    }

    fn has_staff(&self, slug: &str, role: Role, whose: &str) -> Result<(), String> {
        match self.staff_of(slug, role) {
            Some(_) => Ok(()),
            None => Err(format!(
                "{whose} needs a staff account with the {role} role at '{slug}'"
            )),
        }
    }

    /// The personas' plans and the product training they name.
    /// Teams name organisations with an administrator and personas of the world; workforce
    /// staff and targets name organisations with an assessor.
    fn check_teams(&self) -> Result<(), String> {
        for t in &self.teams {
            self.has_staff(&t.org, Role::Admin, "a team")?;
            for m in &t.members {
                found(self.persona(&m.persona), "a team", "persona", &m.persona)?;
            }
        }
        for w in &self.workforce {
            self.has_staff(&w.org, Role::Assessor, "the workforce")?;
            if w.groups.len() > w.months_ago as usize + 1 {
                return Err("workforce: more groups than months_ago leaves months".into());
            }
        }
        for t in &self.targets {
            found(self.org(&t.org), "a target", "organisation", &t.org)?;
        }
        Ok(())
    }

    fn check_evidence(&self) -> Result<(), String> {
        self.check_teams()?;
        for p in &self.personas {
            let whose = format!("the persona '{}'", p.account);
            self.has_staff(&p.evidence.assessed_at, Role::Assessor, &whose)?;
            if let Some(key) = &p.case_study {
                found(self.case_study(key), &whose, "case study", key)?;
            }
            for key in &p.evidence.product_training {
                found(self.product_training(key), &whose, "product training", key)?;
            }
        }
        for t in &self.product_training {
            let whose = format!("the product training '{}'", t.key);
            if !self.holds(&t.assessed_at, &t.assessor, Role::Assessor) {
                return Err(format!(
                    "{whose}: '{}' is not an assessor at '{}'",
                    t.assessor, t.assessed_at
                ));
            }
            found(self.case_study(&t.duties), &whose, "case study", &t.duties)?;
            if t.training.is_empty() {
                return Err(format!("{whose} has no training lines"));
            }
            date(&format!("{whose}: first_day"), &t.first_day)?;
            if let (Some(product), Some(version)) = (&t.product, &t.version) {
                super::products::check_version(self, product, version, &whose)?;
            }
        }
        Ok(())
    }

    fn check_awards(&self) -> Result<(), String> {
        for (n, a) in self.awards.iter().enumerate() {
            let whose = format!("the award '{}'", a.key);
            found(
                self.achievement(&a.achievement),
                &whose,
                "achievement",
                &a.achievement,
            )?;
            found(self.persona(&a.persona), &whose, "persona", &a.persona)?;
            let needs_reason = matches!(a.fate, Fate::Revoked | Fate::Suspended);
            if needs_reason != a.reason.is_some() {
                return Err(format!(
                    "{whose}: a reason is given for, and only for, a revoked or suspended award"
                ));
            }
            if (a.fate == Fate::Expired) != a.valid_from.is_some() {
                return Err(format!(
                    "{whose}: valid_from is given for, and only for, an expired award"
                ));
            }
            let validity = self
                .achievement(&a.achievement)
                .and_then(|spec| spec.validity_days);
            if a.fate == Fate::Expiring && validity.is_none_or(|d| d <= EXPIRING_DAYS_LEFT) {
                return Err(format!(
                    "{whose}: an expiring award's achievement needs validity_days above {EXPIRING_DAYS_LEFT}"
                ));
            }
            if let Some(from) = &a.valid_from {
                chrono::DateTime::parse_from_rfc3339(from).map_err(|e| {
                    format!("{whose}: valid_from '{from}' is not an RFC 3339 time ({e})")
                })?;
            }
            if let Some(earlier) = &a.renews {
                let before = self.awards[..n].iter().find(|b| &b.key == earlier);
                before.ok_or_else(|| {
                    format!("{whose} renews '{earlier}', which is not an award before it")
                })?;
            }
        }
        Ok(())
    }
}

/// `Ok` when `thing` was found; else says that `whose` names a `what` the world lacks.
fn found<T>(thing: Option<T>, whose: &str, what: &str, name: &str) -> Result<(), String> {
    match thing {
        Some(_) => Ok(()),
        None => Err(format!(
            "{whose} names the {what} '{name}', which is not in it"
        )),
    }
}

/// `Ok` when `text`, the value of `field`, is a day (`YYYY-MM-DD`).
fn date(field: &str, text: &str) -> Result<(), String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|e| format!("{field}: '{text}' is not a day (YYYY-MM-DD): {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_world_loads() {
        let world = World::bundled().expect("the bundled demo world");
        assert_eq!(world.organisations.len(), 5);
        assert_eq!(world.personas.len(), 11);
    }

    /// A broken world is refused, and the message says what and where.
    #[test]
    fn a_broken_world_names_the_fault() {
        let check = |from: &str, to: &str, says: &[&str]| {
            assert!(WORLD_TOML.contains(from), "{from}");
            let broken = WORLD_TOML.replacen(from, to, 1);
            let message = World::from_toml(&broken).expect_err(to);
            for part in says {
                assert!(message.contains(part), "{message} lacks {part:?}");
            }
        };
        check(
            "display_name = ",
            "display_nmae = ",
            &["unknown field `display_nmae`", "line "],
        );
        check(
            "kind = \"accrediting-body\"",
            "kind = \"club\"",
            &["club", "line "],
        );
        check("fate = \"revoked\"", "fate = \"lost\"", &["lost", "line "]);
        check(
            "attested = \"all\"",
            "attested = \"most\"",
            &["'most' is not a count"],
        );
        check(
            "achievement = \"tri-x-1\"",
            "achievement = \"tri-x-9\"",
            &["the achievement 'tri-x-9', which is not in it"],
        );
        check(
            "assessed_at = \"holpot-hill-gp\"",
            "assessed_at = \"triadix\"",
            &["the persona 'user-persona-3' needs a staff account with the assessor role at 'triadix'"],
        );
        check(
            "foundational_from = \"2025-02-03\"",
            "foundational_from = \"2025-02-30\"",
            &["texts.foundational_from: '2025-02-30' is not a day"],
        );
    }

    #[test]
    fn fill_puts_values_in_their_braces() {
        assert_eq!(
            fill(
                "{who} said \"{what}\" ({who})",
                &[("who", "A"), ("what", "b")]
            ),
            "A said \"b\" (A)"
        );
    }
}
