//! The checks of what people type into forms (and send to the API), collecting every
//! problem at once with its field's pointer, in words a person can act on: no codes of
//! kinds, no field names in snake case.

use std::str::FromStr;

use chrono::NaiveDate;
use credence_domain::registry::{EvidenceKind, Role, StatusAction};
use credence_domain::validate::{email_problem, text_problem};
use credence_domain::{
    AwardId, FormProblems, Framework, FrameworkSlug, LevelCode, PathwayCode, StatementCode,
};

use crate::awards::{AwardView, NewAchievement, DEFAULT_FRAMEWORK};
use crate::desks::{IssuerDesk, OrgAdminDesk};
use crate::orgs::{MemberView, NewToken, MAX_TOKEN_DAYS};
use crate::ServiceError;

/// The evidence fields that need no framework, checked; `None` for a field with a problem.
pub(crate) struct EvidenceFields {
    pub kind: Option<EvidenceKind>,
    pub narrative: String,
    pub date: Option<NaiveDate>,
    pub provider: Option<String>,
}

/// The longest narrative and provider's name of a piece of evidence, in characters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EvidenceLimits {
    pub narrative: usize,
    pub provider: usize,
}

/// The evidence fields as typed: kind, narrative, date and provider.
pub(crate) struct EvidenceText<'a> {
    pub kind: &'a str,
    pub narrative: &'a str,
    pub date: &'a str,
    pub provider: Option<&'a str>,
}

/// Checks the kind, date, provider and narrative of a piece of evidence, in the order the
/// form shows them.
pub(crate) fn evidence_fields(
    p: &mut FormProblems,
    typed: EvidenceText<'_>,
    today: NaiveDate,
    limits: EvidenceLimits,
) -> EvidenceFields {
    let EvidenceText {
        kind,
        narrative,
        date,
        provider,
    } = typed;
    let (max_narrative, max_provider) = (limits.narrative, limits.provider);
    let kind = if kind.trim().is_empty() {
        p.add("/kind", "Choose the kind of evidence.");
        None
    } else {
        p.take("/kind", EvidenceKind::from_str(kind.trim()), |_| {
            "Choose the kind of evidence from the list.".into()
        })
    };
    let date = date_field(p, "/date", date, today);
    p.check(
        "/provider",
        text_problem(
            provider.unwrap_or_default(),
            "the provider's name",
            "",
            0,
            max_provider,
        ),
    );
    p.check(
        "/narrative",
        text_problem(
            narrative,
            "the description",
            "Describe what you did and what it shows.",
            1,
            max_narrative,
        ),
    );
    EvidenceFields {
        kind,
        narrative: narrative.trim().to_owned(),
        date,
        provider: provider
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
    }
}

/// A date of something done: written year-month-day, not in the future, not before 1900.
pub(crate) fn date_field(
    p: &mut FormProblems,
    pointer: &str,
    text: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        p.add(pointer, "Enter the date, such as 2026-03-14.");
        return None;
    }
    let date = p.take(
        pointer,
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d"),
        |_| "Enter the date as year-month-day, such as 2026-03-14.".into(),
    )?;
    if date > today {
        p.add(pointer, "The date cannot be in the future.");
        return None;
    }
    if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
        p.add(pointer, "The date cannot be before 1900.");
        return None;
    }
    Some(date)
}

/// The statement chosen and the level claimed for it, checked against `framework`; a
/// missing or unknown statement and a level of another taxonomy are each reported.
pub(crate) fn statement_and_level(
    p: &mut FormProblems,
    framework: &Framework,
    statement: &str,
    level: &str,
) -> Option<(StatementCode, LevelCode)> {
    let code = if statement.trim().is_empty() {
        p.add(
            "/statement",
            "Choose the competency statement your evidence shows.",
        );
        None
    } else {
        let found = StatementCode::new(statement.trim())
            .ok()
            .filter(|s| framework.statement(s).is_some());
        if found.is_none() {
            p.add(
                "/statement",
                "Choose a competency statement from the list; there is none with that code.",
            );
        }
        found
    };
    let level = if level.trim().is_empty() {
        p.add("/level", "Choose the level you reached.");
        None
    } else {
        match &code {
            Some(code) => p.take(
                "/level",
                level_of(framework, code, level),
                std::convert::identity,
            ),
            None => {
                let known = LevelCode::new(level.trim())
                    .ok()
                    .filter(|l| framework.level(l).is_some());
                if known.is_none() {
                    p.add("/level", "Choose the level you reached from the list.");
                }
                known
            }
        }
    };
    Some((code?, level?))
}

/// The level `level` if it is one of the levels of the taxonomy `statement` is measured
/// in; otherwise what to choose instead, naming the levels in words.
pub(crate) fn level_of(
    framework: &Framework,
    statement: &StatementCode,
    level: &str,
) -> Result<LevelCode, String> {
    let Some(statement) = framework.statement(statement) else {
        return Err("Choose a competency statement from the list.".into());
    };
    let taxonomy = framework
        .document()
        .taxonomies
        .iter()
        .find(|t| t.code == statement.taxonomy);
    let wrong = || {
        let (name, levels) = taxonomy.map_or((String::new(), Vec::new()), |t| {
            (
                t.name.to_lowercase(),
                t.levels.iter().map(|l| l.name.clone()).collect::<Vec<_>>(),
            )
        });
        format!(
            "Statement {} is measured in {name} levels: choose {}.",
            statement.code,
            one_of(&levels)
        )
    };
    let code = LevelCode::new(level.trim()).map_err(|_| wrong())?;
    match framework.taxonomy_of(&code) {
        Some(t) if t.code == statement.taxonomy => Ok(code),
        _ => Err(wrong()),
    }
}

/// "A", "A or B", "A, B or C".
pub(crate) fn one_of(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The role chosen in a form, in words when it is not one.
fn role_field(p: &mut FormProblems, role: &str) -> Option<Role> {
    if role.trim().is_empty() {
        p.add("/role", "Choose a role: admin, issuer or assessor.");
        return None;
    }
    p.take("/role", Role::from_str(role.trim()), |_| {
        "Choose a role from the list: admin, issuer or assessor.".into()
    })
}

/// The lifetime of a token typed in a form, in days.
fn days_field(p: &mut FormProblems, days: &str) -> Option<i64> {
    let days = p.take("/days", days.trim().parse::<i64>(), |_| {
        "Give the lifetime as a whole number of days, such as 90.".into()
    })?;
    if (1..=MAX_TOKEN_DAYS).contains(&days) {
        Some(days)
    } else {
        p.add(
            "/days",
            format!("Give a lifetime between 1 and {MAX_TOKEN_DAYS} days."),
        );
        None
    }
}

impl IssuerDesk<'_> {
    /// Checks an achievement before it is published, adding every problem to `problems`
    /// (which may already hold the caller's own, such as a validity that is not a number);
    /// `Err` with all of them when there is any. Nothing is written.
    pub async fn check_achievement(
        &self,
        new: &NewAchievement,
        problems: &mut FormProblems,
    ) -> Result<(), ServiceError> {
        let slug = new.framework.as_deref().unwrap_or(DEFAULT_FRAMEWORK);
        let stored = match FrameworkSlug::new(slug.trim()) {
            Ok(slug) => self.store.find_framework(slug.as_str(), None).await?,
            Err(_) => None,
        };
        let framework = match &stored {
            Some(stored) => {
                let tx = self.store.read().await?;
                Some(self.framework_by_id(&tx, stored.summary.id).await?)
            }
            None => {
                problems.add("/framework", "No such framework is stored.");
                None
            }
        };
        if new.pathway.trim().is_empty() {
            problems.add("/pathway", "Choose the pathway the achievement is for.");
        } else if let Some(framework) = &framework {
            let known = PathwayCode::new(new.pathway.trim())
                .ok()
                .filter(|code| framework.pathway(code).is_some());
            if known.is_none() {
                problems.add("/pathway", "Choose a pathway from the list.");
            }
        }
        problems.check(
            "/name",
            text_problem(
                new.name.as_deref().unwrap_or_default(),
                "the name",
                "",
                0,
                200,
            ),
        );
        problems.check(
            "/description",
            text_problem(
                new.description.as_deref().unwrap_or_default(),
                "the description",
                "",
                0,
                4000,
            ),
        );
        if let Some(days) = new.validity_days {
            if !(1..=36_600).contains(&days) {
                problems.add(
                    "/validity_days",
                    "Give a validity between 1 and 36600 days, or leave it empty for no expiry.",
                );
            }
        }
        if let Some(p) = &new.product {
            if p.name.trim().is_empty() || p.version.trim().is_empty() {
                problems.add(
                    "/product",
                    "Give the product's name and its version: a product-specific pathway is published once per product and version.",
                );
            }
        }
        std::mem::take(problems)
            .finish()
            .map_err(ServiceError::Invalid)
    }
}

impl OrgAdminDesk<'_> {
    /// Gives an account a role, from the members form (the role as chosen there); every
    /// problem of the form is reported at once.
    pub async fn add_member_from_form(
        &self,
        email: &str,
        role: &str,
    ) -> Result<MemberView, ServiceError> {
        let mut p = FormProblems::new();
        p.check(
            "/email",
            email_problem(
                email,
                "Enter the e-mail address of the person's Credence account.",
            ),
        );
        let role = role_field(&mut p, role);
        p.finish().map_err(ServiceError::Invalid)?;
        let role = role.ok_or_else(|| ServiceError::internal("a checked role is missing"))?;
        self.add_member(email, role).await
    }
}

impl IssuerDesk<'_> {
    /// Revokes, suspends or reinstates an award from the status form (the action as
    /// chosen there, and whether a revocation was confirmed); every problem of the form is
    /// reported at once.
    pub async fn change_award_status_from_form(
        &self,
        award_id: &AwardId,
        action: &str,
        reason: &str,
        confirmed: bool,
    ) -> Result<AwardView, ServiceError> {
        let mut p = FormProblems::new();
        let action = p.take("/action", StatusAction::from_str(action.trim()), |_| {
            "Choose the new status: revoke, suspend or reinstate.".into()
        });
        if action == Some(StatusAction::Revoke) && !confirmed {
            p.add(
                "/confirm",
                "A revocation cannot be undone: tick the box to confirm it.",
            );
        }
        p.check(
            "/reason",
            text_problem(
                reason,
                "the reason",
                "Give a reason for the change; the holder is shown it.",
                1,
                1000,
            ),
        );
        p.finish().map_err(ServiceError::Invalid)?;
        let action = action.ok_or_else(|| ServiceError::internal("a checked action is missing"))?;
        self.change_award_status(award_id, action, reason).await
    }
}

impl OrgAdminDesk<'_> {
    /// Makes an API token from the tokens form (the role and lifetime as typed there);
    /// every problem of the form is reported at once.
    pub async fn create_token_from_form(
        &self,
        role: &str,
        label: &str,
        days: &str,
    ) -> Result<NewToken, ServiceError> {
        let mut p = FormProblems::new();
        let role = role_field(&mut p, role);
        p.check("/label", text_problem(label, "the label", "", 0, 200));
        let days = days_field(&mut p, days);
        p.finish().map_err(ServiceError::Invalid)?;
        match (role, days) {
            (Some(role), Some(days)) => self.create_token(role, label, days).await,
            _ => Err(ServiceError::internal("a checked field is missing")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date")
    }

    /// The problems of the evidence fields, as (pointer, message) pairs.
    fn check(kind: &str, narrative: &str, date: &str, provider: &str, expected: &[(&str, &str)]) {
        let mut p = FormProblems::new();
        evidence_fields(
            &mut p,
            EvidenceText {
                kind,
                narrative,
                date,
                provider: Some(provider),
            },
            today(),
            EvidenceLimits {
                narrative: 50,
                provider: 10,
            },
        );
        let got = match p.finish() {
            Ok(()) => Vec::new(),
            Err(problems) => problems
                .0
                .into_iter()
                .map(|p| (p.pointer, p.message))
                .collect(),
        };
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn evidence_fields_report_every_problem_in_words() {
        check("assessment", "Did it.", "2026-01-01", "", &[]);
        check(
            "",
            "",
            "",
            "",
            &[
                ("/kind", "Choose the kind of evidence."),
                ("/date", "Enter the date, such as 2026-03-14."),
                ("/narrative", "Describe what you did and what it shows."),
            ],
        );
        check(
            "essay",
            &"x".repeat(51),
            "14/03/2026",
            "A provider with a long name",
            &[
                ("/kind", "Choose the kind of evidence from the list."),
                (
                    "/date",
                    "Enter the date as year-month-day, such as 2026-03-14.",
                ),
                (
                    "/provider",
                    "Shorten the provider's name to at most 10 characters; it has 27 characters.",
                ),
                (
                    "/narrative",
                    "Shorten the description to at most 50 characters; it has 51 characters.",
                ),
            ],
        );
        check(
            "project",
            "Did it.",
            "2027-01-01",
            "",
            &[("/date", "The date cannot be in the future.")],
        );
        check(
            "project",
            "Did it.",
            "1899-12-31",
            "",
            &[("/date", "The date cannot be before 1900.")],
        );
    }

    #[test]
    fn lists_read_as_words() {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(one_of(&words(&[])), "");
        assert_eq!(one_of(&words(&["A"])), "A");
        assert_eq!(one_of(&words(&["A", "B"])), "A or B");
        assert_eq!(one_of(&words(&["A", "B", "C"])), "A, B or C");
    }
}
