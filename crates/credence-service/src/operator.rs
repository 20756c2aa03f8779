//! The operator's use cases behind the operator pages: every organisation with its members
//! and trust, creating an organisation from a form (every problem reported at once), members
//! and roles, and trusting accrediting bodies. Each takes [`OperatorPower`], the same proof
//! the command line's `credence org …` uses, and reuses the organisation use cases, so the
//! rules and audit entries are the CLI's.

use std::collections::BTreeSet;

use credence_domain::registry::{DidMethod, Email, OrgKind, Role};
use credence_domain::{AccountId, OrgSlug, Problem, Problems};
use serde::Serialize;

use crate::desks::OperatorDesk;
use crate::orgs::{org_field_problems, org_view, MemberView, NewOrg, OrgView};
use crate::ServiceError;

/// An organisation as the operator lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OperatorOrgView {
    #[serde(flatten)]
    pub org: OrgView,
    /// How many accounts hold at least one role there.
    pub members: usize,
    /// Whether it is an accrediting body (only those can be trusted).
    pub accrediting_body: bool,
    /// Whether this installation trusts its accreditations.
    pub trusted: bool,
}

/// One organisation with its members, for the operator's page of it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OperatorOrgDetail {
    pub org: OperatorOrgView,
    pub members: Vec<MemberView>,
}

/// A new organisation as typed into the operator's form: every field is text, checked here.
#[derive(Debug, Clone, Default)]
pub struct OrgForm {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub did_method: String,
    pub url: String,
}

fn problem(pointer: &str, message: impl Into<String>) -> Problem {
    Problem {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

/// The form as a new organisation, or every problem with it.
fn parse_org_form(form: OrgForm) -> Result<NewOrg, ServiceError> {
    let url = Some(form.url.trim().to_owned()).filter(|u| !u.is_empty());
    let mut problems = org_field_problems(&form.slug, &form.name, url.as_deref());
    let kind = form.kind.parse::<OrgKind>().map_err(|_| {
        problem(
            "/kind",
            "Choose what the organisation is: an accrediting body, a provider, an employer or a healthcare setting.",
        )
    });
    let did_method = form.did_method.parse::<DidMethod>().map_err(|_| {
        problem(
            "/did_method",
            "Choose how its identifier (DID) is made: did:web or did:key.",
        )
    });
    problems.extend(kind.as_ref().err().cloned());
    problems.extend(did_method.as_ref().err().cloned());
    match (kind, did_method) {
        (Ok(kind), Ok(did_method)) if problems.is_empty() => Ok(NewOrg {
            slug: form.slug.trim().to_owned(),
            name: form.name,
            kind,
            did_method,
            url,
            description: None,
        }),
        _ => Err(ServiceError::Invalid(Problems(problems))),
    }
}

/// A role chosen in a form, or the problem with it.
fn parse_role(text: &str) -> Result<Role, Problem> {
    text.parse::<Role>()
        .map_err(|_| problem("/role", "Choose a role: admin, issuer or assessor."))
}

impl OperatorDesk<'_> {
    /// Every organisation with its member count and whether it is trusted, by name.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn operator_orgs(&self) -> Result<Vec<OperatorOrgView>, ServiceError> {
        let tx = self.store.read().await?;
        let trusted = tx.trusted_bodies().await?;
        let mut out = Vec::new();
        for row in tx.orgs().await? {
            let members: BTreeSet<AccountId> = tx
                .memberships_of_org(&row.id)
                .await?
                .into_iter()
                .map(|m| m.account_id)
                .collect();
            out.push(OperatorOrgView {
                members: members.len(),
                accrediting_body: row.kind == OrgKind::AccreditingBody,
                trusted: trusted.contains(&row.id),
                org: org_view(&row),
            });
        }
        out.sort_by_key(|o| o.org.name.to_lowercase());
        Ok(out)
    }

    /// One organisation with its members and their roles.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn operator_org(&self, slug: &OrgSlug) -> Result<OperatorOrgDetail, ServiceError> {
        let operator = &self.operator;
        let row = self.org(slug).await?;
        let members = self
            .with_org_admin(&operator.admin_of(&row))
            .members()
            .await?;
        let trusted = self.store.read().await?.trusted_bodies().await?;
        let accounts: BTreeSet<&str> = members.iter().map(|m| m.account_id.as_str()).collect();
        Ok(OperatorOrgDetail {
            org: OperatorOrgView {
                members: accounts.len(),
                accrediting_body: row.kind == OrgKind::AccreditingBody,
                trusted: trusted.contains(&row.id),
                org: org_view(&row),
            },
            members,
        })
    }

    /// Creates an organisation from the operator's form: every problem with the form is
    /// reported at once (422), a slug already taken is a conflict (409), and nothing is
    /// written unless all is well. The organisation is made as `credence org create` makes it.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn operator_create_org(&self, form: OrgForm) -> Result<OrgView, ServiceError> {
        let new = parse_org_form(form)?;
        self.create_org(new).await
    }

    /// Gives an account (by e-mail address) a role in the organisation, as
    /// `credence org add-member` does; a malformed address and a missing role are reported
    /// together, an address no account has is a problem of the e-mail field.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn operator_add_member(
        &self,
        slug: &OrgSlug,
        email: &str,
        role: &str,
    ) -> Result<MemberView, ServiceError> {
        let operator = &self.operator;
        let org = self.org(slug).await?;
        let mut problems = Vec::new();
        if let Err(e) = Email::new(email) {
            problems.push(problem("/email", e.to_string()));
        }
        let role = parse_role(role).map_err(|p| problems.push(p)).ok();
        match role {
            Some(role) if problems.is_empty() => {
                self.with_org_admin(&operator.admin_of(&org))
                    .add_member(email, role)
                    .await
            }
            _ => Err(ServiceError::Invalid(Problems(problems))),
        }
    }

    /// Takes one role away from a member of the organisation.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug, account_id = %account_id))]
    pub async fn operator_remove_member(
        &self,
        slug: &OrgSlug,
        account_id: &AccountId,
        role: &str,
    ) -> Result<(), ServiceError> {
        let operator = &self.operator;
        let org = self.org(slug).await?;
        let role = parse_role(role).map_err(|p| ServiceError::Invalid(Problems(vec![p])))?;
        self.with_org_admin(&operator.admin_of(&org))
            .remove_member(account_id, role)
            .await
    }

    /// Trusts an accrediting body, or stops trusting it, as `credence org trust` does.
    /// Stopping needs `confirmed`: credentials whose accreditation chain ends at this body
    /// stop reading as accredited at once.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn operator_trust(
        &self,
        slug: &OrgSlug,
        trusted: bool,
        confirmed: bool,
    ) -> Result<(), ServiceError> {
        if !trusted && !confirmed {
            return Err(ServiceError::invalid(
                "/confirm",
                "Tick the box to confirm that this body's accreditations should no longer be trusted.",
            ));
        }
        self.trust_body(slug, trusted).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(form: OrgForm) -> Vec<String> {
        match parse_org_form(form) {
            Ok(_) => Vec::new(),
            Err(ServiceError::Invalid(p)) => p.0.into_iter().map(|p| p.pointer).collect(),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    fn form(slug: &str, name: &str, kind: &str, did_method: &str, url: &str) -> OrgForm {
        OrgForm {
            slug: slug.into(),
            name: name.into(),
            kind: kind.into(),
            did_method: did_method.into(),
            url: url.into(),
        }
    }

    #[test]
    fn every_problem_of_the_form_is_reported_at_once() {
        for (input, expected) in [
            (form("ok-slug", "A name", "provider", "web", ""), vec![]),
            (
                form("ok-slug", "A name", "employer", "key", "https://x.example/"),
                vec![],
            ),
            (
                form("", "", "", "", ""),
                vec!["/slug", "/name", "/kind", "/did_method"],
            ),
            (
                form("Bad Slug!", "A name", "school", "web", "ftp://x"),
                vec!["/slug", "/url", "/kind"],
            ),
            (
                form("ok-slug", &"n".repeat(201), "provider", "plc", "nope"),
                vec!["/name", "/url", "/did_method"],
            ),
        ] {
            assert_eq!(pointers(input.clone()), expected, "{input:?}");
        }
    }

    #[test]
    fn roles_are_parsed_or_named_as_a_problem() {
        assert_eq!(parse_role("issuer").ok(), Some(Role::Issuer));
        assert_eq!(parse_role("owner").unwrap_err().pointer, "/role");
    }
}
