//! Who performs an operation, and the permissions as types. An operation reserved to an
//! organisation's issuers takes an [`Issuer`]; the only way to get one is
//! [`Actor::issuer`], which checks the actor's roles. So a handler cannot call an
//! issuer-only operation without the check having been made.

use credence_domain::registry::Role;
use credence_domain::{AccountId, OrgId};
use credence_store::registry::OrgRow;

use crate::ServiceError;

/// The operator of this Credence installation: the person running the `credence` command
/// on the server (who already controls its data directory), or an operator account.
#[derive(Debug, Clone)]
pub struct Operator {
    label: String,
}

impl Operator {
    /// The operator acting through the local command line. Only the CLI calls this: being
    /// able to run it on the server already grants full control of the installation.
    pub fn local_command_line() -> Self {
        Self {
            label: "operator:local-command-line".into(),
        }
    }

    /// A description of the operator, for logs and the audit trail.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// A role in one organisation, as the actor holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub org_id: OrgId,
    pub role: Role,
}

/// Who is calling, as established from a session, an API token or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The account, when a person is signed in (never for tokens).
    account_id: Option<AccountId>,
    /// The roles the actor may use: all of the account's, or the token's one.
    grants: Vec<Grant>,
    operator: bool,
    /// Who, for the audit trail: `account:{id}`, `token:{id}`, `operator:...`, `anonymous`.
    label: String,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self {
            account_id: None,
            grants: Vec::new(),
            operator: false,
            label: "anonymous".into(),
        }
    }

    /// A signed-in account with its roles. Only the account service makes these, after
    /// checking a session or a password.
    pub(crate) fn account(account_id: AccountId, is_operator: bool, grants: Vec<Grant>) -> Self {
        Self {
            label: format!("account:{account_id}"),
            account_id: Some(account_id),
            grants,
            operator: is_operator,
        }
    }

    /// An API token: exactly one organisation role and nothing else.
    pub(crate) fn token(token_id: &credence_domain::TokenId, grant: Grant) -> Self {
        Self {
            account_id: None,
            grants: vec![grant],
            operator: false,
            label: format!("token:{token_id}"),
        }
    }

    /// The operator on the command line.
    pub fn from_operator(operator: &Operator) -> Self {
        Self {
            account_id: None,
            grants: Vec::new(),
            operator: true,
            label: operator.label().to_owned(),
        }
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn account_id(&self) -> Option<&AccountId> {
        self.account_id.as_ref()
    }

    pub fn is_anonymous(&self) -> bool {
        self.account_id.is_none() && self.grants.is_empty() && !self.operator
    }

    pub fn is_operator(&self) -> bool {
        self.operator
    }

    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    fn has(&self, org: &OrgRow, role: Role) -> bool {
        self.grants
            .iter()
            .any(|g| g.org_id == org.id && g.role == role)
    }

    fn refuse(&self, what: &str) -> ServiceError {
        if self.is_anonymous() {
            ServiceError::Unauthenticated(format!("Sign in, or send an API token, to {what}."))
        } else {
            ServiceError::Forbidden(format!("You may not {what}."))
        }
    }

    /// The holder of a portfolio: any signed-in account.
    pub fn holder(&self) -> Result<Holder, ServiceError> {
        match &self.account_id {
            Some(id) => Ok(Holder {
                account_id: id.clone(),
                label: self.label.clone(),
            }),
            None => {
                Err(self
                    .refuse("use a portfolio (API tokens act for an organisation, not a person)"))
            }
        }
    }

    /// The operator, for installation-wide operations.
    pub fn operator(&self) -> Result<OperatorPower, ServiceError> {
        if self.operator {
            Ok(OperatorPower {
                label: self.label.clone(),
            })
        } else {
            Err(self.refuse("do this: it is reserved to the operator"))
        }
    }

    /// An issuer of `org`.
    pub fn issuer(&self, org: &OrgRow) -> Result<Issuer, ServiceError> {
        if self.has(org, Role::Issuer) {
            Ok(Issuer(self.in_org(org)))
        } else {
            Err(self.refuse(&format!(
                "issue for {}: it needs the issuer role there",
                org.slug
            )))
        }
    }

    /// An assessor of `org`.
    pub fn assessor(&self, org: &OrgRow) -> Result<Assessor, ServiceError> {
        if self.has(org, Role::Assessor) {
            Ok(Assessor(self.in_org(org)))
        } else {
            Err(self.refuse(&format!(
                "assess for {}: it needs the assessor role there",
                org.slug
            )))
        }
    }

    /// An administrator of `org`; the operator administers every organisation.
    pub fn org_admin(&self, org: &OrgRow) -> Result<OrgAdmin, ServiceError> {
        if self.operator || self.has(org, Role::Admin) {
            Ok(OrgAdmin(self.in_org(org)))
        } else {
            Err(self.refuse(&format!(
                "administer {}: it needs the admin role there",
                org.slug
            )))
        }
    }

    /// Any member of `org` (or the operator): may read the organisation's work lists.
    pub fn member(&self, org: &OrgRow) -> Result<InOrg, ServiceError> {
        if self.operator || self.grants.iter().any(|g| g.org_id == org.id) {
            Ok(self.in_org(org))
        } else {
            Err(self.refuse(&format!("see {}'s internal records", org.slug)))
        }
    }

    fn in_org(&self, org: &OrgRow) -> InOrg {
        InOrg {
            org: org.clone(),
            label: self.label.clone(),
            account_id: self.account_id.clone(),
        }
    }
}

/// Proof that the actor holds a role in `org`.
#[derive(Debug, Clone)]
pub struct InOrg {
    pub org: OrgRow,
    /// The actor's audit label.
    pub label: String,
    pub account_id: Option<AccountId>,
}

/// Proof that the actor is a signed-in account, acting on its own portfolio.
#[derive(Debug, Clone)]
pub struct Holder {
    pub account_id: AccountId,
    pub label: String,
}

/// Proof that the actor is the operator.
#[derive(Debug, Clone)]
pub struct OperatorPower {
    pub label: String,
}

impl OperatorPower {
    /// The operator as the framework service names it in its logs.
    pub(crate) fn as_operator(&self) -> Operator {
        Operator {
            label: self.label.clone(),
        }
    }

    /// The operator issuing for `org` from the server's command line (a bulk award run
    /// directly on the database). Audit entries name the operator.
    pub fn issuer_for(&self, org: &OrgRow) -> Issuer {
        Issuer(InOrg {
            org: org.clone(),
            label: self.label.clone(),
            account_id: None,
        })
    }

    /// The operator administering `org` (the operator administers every organisation).
    pub fn admin_of(&self, org: &OrgRow) -> OrgAdmin {
        OrgAdmin(InOrg {
            org: org.clone(),
            label: self.label.clone(),
            account_id: None,
        })
    }
}

/// Proof that the actor is an issuer of the organisation it carries.
#[derive(Debug, Clone)]
pub struct Issuer(pub InOrg);

/// Proof that the actor is an assessor of the organisation it carries.
#[derive(Debug, Clone)]
pub struct Assessor(pub InOrg);

/// Proof that the actor administers the organisation it carries.
#[derive(Debug, Clone)]
pub struct OrgAdmin(pub InOrg);

/// Proof that the caller is an Open Badges API client holding a live access token that a
/// holder granted it: it acts for that holder only, and only within the granted scopes.
/// Only [`crate::desks`]'s `Registry::ob_api` makes one, from the token.
#[derive(Debug, Clone)]
pub struct ObApiClient {
    pub account_id: AccountId,
    pub client_id: credence_domain::OAuthClientId,
    pub(crate) scopes: Vec<String>,
    /// The audit label: `oauth-client:{client_id}:account:{account_id}`.
    pub label: String,
}

impl ObApiClient {
    pub(crate) fn new(
        account_id: AccountId,
        client_id: credence_domain::OAuthClientId,
        scopes: Vec<String>,
    ) -> Self {
        Self {
            label: format!("oauth-client:{client_id}:account:{account_id}"),
            account_id,
            client_id,
            scopes,
        }
    }

    /// Refuses (403) an operation whose scope the holder did not grant.
    pub(crate) fn needs(&self, scope: &str) -> Result<(), ServiceError> {
        if self.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "The access token lacks the scope {scope}."
            )))
        }
    }
}
