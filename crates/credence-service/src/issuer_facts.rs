//! What verification reads about an issuer of this registry (its organisation, its keys,
//! the accreditations it holds and the bodies this Credence trusts), about an achievement
//! (its pathway) and about the organisation whose status lists a credential names, kept in
//! memory so that verifying many credentials of one issuer does not ask the database the
//! same dozen questions each time.
//!
//! An answer is reused for at most [`RegistryConfig::status_list_recheck`] (one second by
//! default, the same bound as the status lists this registry serves) and only while this
//! process has committed no write since it was read ([`Registry::recently`]): a key
//! rotated, an accreditation granted or a body trusted here is seen by the very next
//! verification; one made by another process sharing the database, within the recheck time.
//! A recheck time of zero turns the memory off. Status lists are not kept here: their
//! stored version is read for every verification, so a status change made by any process
//! is never missed.
//!
//! [`RegistryConfig::status_list_recheck`]: crate::RegistryConfig

use std::sync::Arc;

use credence_domain::{AchievementId, OrgSlug};
use credence_store::registry::OrgRow;
use credence_vc::did::VerificationMethod;
use credence_vc::keys::VerifyingKey;

use crate::caches::IssuerFacts;
use crate::registry::Registry;
use crate::ServiceError;

impl Registry {
    /// What verification needs about the organisation of this registry whose DID is `did`,
    /// or `None` when no organisation here has it.
    pub(crate) async fn issuer_facts(
        &self,
        did: &str,
    ) -> Result<Option<Arc<IssuerFacts>>, ServiceError> {
        let memory = &self.caches.issuers;
        self.recently(memory, did.to_owned(), || self.read_issuer_facts(did))
            .await
    }

    async fn read_issuer_facts(&self, did: &str) -> Result<Option<Arc<IssuerFacts>>, ServiceError> {
        let tx = self.store.read().await?;
        let Some(org) = tx.org_by_did(did).await? else {
            return Ok(None);
        };
        let mut methods = Vec::new();
        for key in tx.keys_of_org(&org.id).await? {
            let public_key = VerifyingKey::from_multibase(&key.public_key_multibase)
                .map_err(ServiceError::wrap("reading a stored public key"))?;
            methods.push(VerificationMethod {
                id: format!("{}#{}", org.did, key.fragment),
                controller: org.did.clone(),
                public_key,
            });
        }
        let trusted = tx.trusted_bodies().await?;
        let mut accreditations = Vec::new();
        for row in tx.accreditations_of(&org.id, false).await? {
            if let Some(body) = tx.org(&row.body_org_id).await? {
                accreditations.push((row, body));
            }
        }
        Ok(Some(Arc::new(IssuerFacts {
            org,
            methods,
            trusted,
            accreditations,
        })))
    }

    /// The organisation with this slug, or `None` (for finding the status lists a credential
    /// names; the lists' versions are read from the database every time).
    pub(crate) async fn org_by_slug_recently(
        &self,
        slug: &OrgSlug,
    ) -> Result<Option<OrgRow>, ServiceError> {
        self.recently(&self.caches.orgs, slug.to_string(), || async {
            let tx = self.store.read().await?;
            Ok(tx.org_by_slug(slug.as_str()).await?)
        })
        .await
    }

    /// The pathway of an achievement of this registry, or `None` when there is none.
    pub(crate) async fn achievement_pathway(
        &self,
        id: &AchievementId,
    ) -> Result<Option<String>, ServiceError> {
        self.recently(&self.caches.pathways, id.to_string(), || async {
            let tx = self.store.read().await?;
            Ok(tx.achievement(id).await?.map(|a| a.pathway))
        })
        .await
    }
}
