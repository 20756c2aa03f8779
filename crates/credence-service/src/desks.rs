//! The use cases behind role handles ("desks"). A caller opens the desk of its role from
//! the [`Registry`], which checks the actor's permission once and keeps the proof; the desk
//! offers exactly the operations that role may do. So a web handler or a CLI command
//! reaches a use case only through the desk of its role: an operation of another role is
//! not a method it can name.
//!
//! | role | desk | opened by |
//! |---|---|---|
//! | anyone (verification, public reads) | [`PublicDesk`] | [`Registry::public`] |
//! | anyone (register, sign in, sessions, tokens) | [`AccountsDesk`] | [`Registry::accounts`] |
//! | a signed-in person (evidence, portfolio, own awards) | [`HolderDesk`] | [`Registry::holder`] |
//! | an assessor of an organisation | [`AssessorDesk`] | [`Registry::assessor`] |
//! | an issuer of an organisation | [`IssuerDesk`] | [`Registry::issuer`], [`Registry::award_issuer`] |
//! | an issuer of an accrediting body | [`AccreditingDesk`] | [`Registry::accrediting_body`] |
//! | an administrator of an organisation | [`OrgAdminDesk`] | [`Registry::org_admin`] |
//! | the operator | [`OperatorDesk`] | [`Registry::operator`] |
//! | anyone (OAuth 2.0 client registration and the token endpoint of the OB 3.0 API) | [`OAuthDesk`] | [`Registry::oauth`] |
//! | an OB 3.0 API client, for one holder within its scopes | [`ObApiDesk`] | [`Registry::ob_api`] |
//! | whoever the record admits (a credential, an attachment, a decision, a bulk job, the VC-API) | [`CallerDesk`] | [`Registry::caller`] |
//!
//! A desk dereferences to the [`Registry`], whose remaining public methods are only these
//! openers and the installation's settings; its helpers are private to this crate.
//!
//! A holder's desk has no issuer's operations:
//!
//! ```compile_fail
//! # async fn f(registry: &credence_service::Registry, actor: &credence_service::Actor,
//! #            new: credence_service::awards::NewAward) -> Result<(), credence_service::ServiceError> {
//! registry.holder(actor)?.award(new).await?;
//! # Ok(()) }
//! ```
//!
//! while an issuer's has:
//!
//! ```no_run
//! # async fn f(registry: &credence_service::Registry, actor: &credence_service::Actor,
//! #            new: credence_service::awards::NewAward,
//! #            acme: &credence_domain::OrgSlug) -> Result<(), credence_service::ServiceError> {
//! registry.issuer(actor, acme).await?.award(new).await?;
//! # Ok(()) }
//! ```

use credence_domain::OrgSlug;
use std::ops::Deref;

use credence_store::registry::OrgRow;

use crate::actor::{Actor, Assessor, Holder, Issuer, ObApiClient, OperatorPower, OrgAdmin};
use crate::registry::Registry;
use crate::ServiceError;

macro_rules! desk {
    ($(#[$doc:meta])* $name:ident { $field:ident: $proof:ty }) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name<'r> {
            registry: &'r Registry,
            pub(crate) $field: $proof,
        }

        impl Deref for $name<'_> {
            type Target = Registry;

            fn deref(&self) -> &Registry {
                self.registry
            }
        }
    };
}

desk!(
    /// Public reads and verification: anyone may use them.
    PublicDesk { _anyone: () }
);
desk!(
    /// Creating accounts and turning a password, session or token into an [`Actor`].
    AccountsDesk { _anyone: () }
);
desk!(
    /// A signed-in person's own evidence, portfolio, awards and dashboard.
    HolderDesk { holder: Holder }
);
desk!(
    /// An assessor's work list in one organisation.
    AssessorDesk { assessor: Assessor }
);
desk!(
    /// An issuer's work in one organisation: achievements, awards (one, bulk, imported
    /// completions), the award list and status changes.
    IssuerDesk { issuer: Issuer }
);
desk!(
    /// An accrediting body's issuer: accreditations given and revoked.
    AccreditingDesk { issuer: Issuer }
);
desk!(
    /// An organisation's administrator: members, tokens, keys and its audit trail.
    OrgAdminDesk { admin: OrgAdmin }
);
desk!(
    /// The installation's operator: organisations, accounts, trust, the audit chain.
    OperatorDesk { operator: OperatorPower }
);
desk!(
    /// Use cases whose permission depends on the record, checked per record inside: a
    /// credential (public, or its holder's, or its issuers'), an attachment, a decision on
    /// evidence (the assessors of the organisation it was submitted to), a bulk job and
    /// the VC-API (the issuers of the organisation the record names).
    CallerDesk { actor: Actor }
);

desk!(
    /// The Open Badges 3.0 API's OAuth 2.0 server as clients meet it: registration, the
    /// checks of an authorization request, the token endpoint.
    OAuthDesk { _anyone: () }
);
desk!(
    /// An Open Badges 3.0 API client acting for one holder: each operation checks its scope.
    ObApiDesk { client: ObApiClient }
);

impl Registry {
    /// The OAuth 2.0 server's public side.
    pub fn oauth(&self) -> OAuthDesk<'_> {
        OAuthDesk {
            registry: self,
            _anyone: (),
        }
    }

    /// The desk of the client holding the access token `bearer` (401 when it is unknown or
    /// expired).
    pub async fn ob_api(&self, bearer: &str) -> Result<ObApiDesk<'_>, ServiceError> {
        let hash = crate::registry::sha256_hex(bearer);
        let tx = self.store.read().await?;
        let grant = tx
            .oauth_grant(credence_domain::registry::OAuthGrantKind::Access, &hash)
            .await?
            .filter(|g| g.expires_at > self.now())
            .ok_or_else(|| {
                ServiceError::Unauthenticated(
                    "The access token is unknown, expired or revoked.".into(),
                )
            })?;
        Ok(ObApiDesk {
            registry: self,
            client: ObApiClient::new(
                grant.account_id,
                grant.client_id,
                grant.scope.split_whitespace().map(str::to_owned).collect(),
            ),
        })
    }

    /// Public reads and verification.
    pub fn public(&self) -> PublicDesk<'_> {
        PublicDesk {
            registry: self,
            _anyone: (),
        }
    }

    /// Registration, sign-in, sessions and tokens.
    pub fn accounts(&self) -> AccountsDesk<'_> {
        AccountsDesk {
            registry: self,
            _anyone: (),
        }
    }

    /// The actor's own portfolio: any signed-in account.
    pub fn holder(&self, actor: &Actor) -> Result<HolderDesk<'_>, ServiceError> {
        Ok(self.with_holder(&actor.holder()?))
    }

    /// The desk of a holder already established.
    pub fn with_holder(&self, holder: &Holder) -> HolderDesk<'_> {
        HolderDesk {
            registry: self,
            holder: holder.clone(),
        }
    }

    /// An assessor of the organisation `slug`.
    pub async fn assessor(
        &self,
        actor: &Actor,
        slug: &OrgSlug,
    ) -> Result<AssessorDesk<'_>, ServiceError> {
        Ok(self.with_assessor(&actor.assessor(&self.org(slug).await?)?))
    }

    /// The desk of an assessor already established.
    pub fn with_assessor(&self, assessor: &Assessor) -> AssessorDesk<'_> {
        AssessorDesk {
            registry: self,
            assessor: assessor.clone(),
        }
    }

    /// An issuer of the organisation `slug`.
    pub async fn issuer(
        &self,
        actor: &Actor,
        slug: &OrgSlug,
    ) -> Result<IssuerDesk<'_>, ServiceError> {
        Ok(self.with_issuer(&actor.issuer(&self.org(slug).await?)?))
    }

    /// The desk of an issuer already established.
    pub fn with_issuer(&self, issuer: &Issuer) -> IssuerDesk<'_> {
        IssuerDesk {
            registry: self,
            issuer: issuer.clone(),
        }
    }

    /// An issuer of the accrediting body `slug`.
    pub async fn accrediting_body(
        &self,
        actor: &Actor,
        slug: &OrgSlug,
    ) -> Result<AccreditingDesk<'_>, ServiceError> {
        Ok(self.with_accrediting_body(&actor.issuer(&self.org(slug).await?)?))
    }

    /// The desk of an accrediting body's issuer already established.
    pub fn with_accrediting_body(&self, issuer: &Issuer) -> AccreditingDesk<'_> {
        AccreditingDesk {
            registry: self,
            issuer: issuer.clone(),
        }
    }

    /// An administrator of the organisation `slug` (or the operator).
    pub async fn org_admin(
        &self,
        actor: &Actor,
        slug: &OrgSlug,
    ) -> Result<OrgAdminDesk<'_>, ServiceError> {
        Ok(self.with_org_admin(&actor.org_admin(&self.org(slug).await?)?))
    }

    /// The desk of an administrator already established.
    pub fn with_org_admin(&self, admin: &OrgAdmin) -> OrgAdminDesk<'_> {
        OrgAdminDesk {
            registry: self,
            admin: admin.clone(),
        }
    }

    /// The operator.
    pub fn operator(&self, actor: &Actor) -> Result<OperatorDesk<'_>, ServiceError> {
        Ok(self.with_operator(&actor.operator()?))
    }

    /// The desk of the operator already established.
    pub fn with_operator(&self, operator: &OperatorPower) -> OperatorDesk<'_> {
        OperatorDesk {
            registry: self,
            operator: operator.clone(),
        }
    }

    /// Whoever `actor` is, for use cases whose record decides the permission.
    pub fn caller(&self, actor: &Actor) -> CallerDesk<'_> {
        CallerDesk {
            registry: self,
            actor: actor.clone(),
        }
    }
}

impl AssessorDesk<'_> {
    /// The organisation the assessor assesses for.
    pub fn organisation(&self) -> &OrgRow {
        &self.assessor.0.org
    }
}

impl IssuerDesk<'_> {
    /// The organisation the issuer issues for.
    pub fn organisation(&self) -> &OrgRow {
        &self.issuer.0.org
    }
}

impl AccreditingDesk<'_> {
    /// The accrediting body.
    pub fn organisation(&self) -> &OrgRow {
        &self.issuer.0.org
    }
}

impl OrgAdminDesk<'_> {
    /// The organisation administered.
    pub fn organisation(&self) -> &OrgRow {
        &self.admin.0.org
    }
}
