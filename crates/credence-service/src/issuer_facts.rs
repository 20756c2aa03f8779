//! What verification reads about an issuer of this registry (its organisation, its keys,
//! the accreditations it holds and the bodies this Credence trusts), about an achievement
//! (its pathway) and about the organisation whose status lists a credential names, kept in
//! memory so that verifying many credentials of one
//! issuer does not ask the database the same dozen questions each time.
//!
//! An answer is reused for at most [`RegistryConfig::status_list_recheck`] (one second by
//! default, the same bound as the status lists this registry serves) and only while this
//! process has committed no write since it was read ([`Store::writes_committed`]): a key
//! rotated, an accreditation granted or a body trusted here is seen by the very next
//! verification; one made by another process sharing the database, within the recheck time.
//! A recheck time of zero turns the memory off. Status lists are not kept here: their
//! stored version is read for every verification, so a status change made by any process
//! is never missed.
//!
//! [`RegistryConfig::status_list_recheck`]: crate::RegistryConfig
//! [`Store::writes_committed`]: credence_store::Store::writes_committed

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use credence_domain::{AchievementId, OrgId, OrgSlug};
use credence_store::registry::{AccreditationRow, OrgRow};
use credence_vc::did::VerificationMethod;
use credence_vc::keys::VerifyingKey;

use crate::registry::Registry;
use crate::ServiceError;

/// How many issuers (or achievements) are kept before the memory starts again.
const MAX_KEPT: usize = 1024;

/// An issuer of this registry as verification sees it.
#[derive(Debug)]
pub(crate) struct IssuerFacts {
    pub(crate) org: OrgRow,
    /// Every key of the organisation, active and retired, as verification methods.
    pub(crate) methods: Vec<VerificationMethod>,
    /// The accrediting bodies this Credence trusts.
    pub(crate) trusted: Vec<OrgId>,
    /// The accreditations the organisation holds (in any state), with their bodies.
    pub(crate) accreditations: Vec<(AccreditationRow, OrgRow)>,
}

/// One answer with when, and after how many of this process's writes, it was read.
#[derive(Debug)]
struct Kept<T> {
    value: T,
    read_at: Instant,
    writes: u64,
}

/// Answers by key, each current while young enough and no write has committed since.
#[derive(Debug)]
struct Recent<T>(RwLock<HashMap<String, Kept<T>>>);

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Self(RwLock::default())
    }
}

impl<T: Clone> Recent<T> {
    fn get(&self, key: &str, recheck: Duration, writes: u64) -> Option<T> {
        let kept = self.0.read().ok()?;
        kept.get(key)
            .filter(|k| k.writes == writes && k.read_at.elapsed() < recheck)
            .map(|k| k.value.clone())
    }

    fn keep(&self, key: &str, value: T, read_at: Instant, writes: u64) {
        if let Ok(mut kept) = self.0.write() {
            if kept.len() >= MAX_KEPT {
                kept.clear();
            }
            let entry = Kept {
                value,
                read_at,
                writes,
            };
            kept.insert(key.to_owned(), entry);
        }
    }
}

/// The registry's memory of issuers and achievements' pathways ([`crate::caches::Caches`]).
#[derive(Debug, Default)]
pub(crate) struct FactsMemo {
    issuers: Recent<Option<Arc<IssuerFacts>>>,
    pathways: Recent<Option<String>>,
    orgs: Recent<Option<OrgRow>>,
}

impl Registry {
    /// What verification needs about the organisation of this registry whose DID is `did`,
    /// or `None` when no organisation here has it.
    pub(crate) async fn issuer_facts(
        &self,
        did: &str,
    ) -> Result<Option<Arc<IssuerFacts>>, ServiceError> {
        let recheck = self.config.status_list_recheck;
        // Counted before reading: a write committed meanwhile makes what is read stale.
        let (writes, read_at) = (self.store.writes_committed(), Instant::now());
        if let Some(known) = self.caches.facts.issuers.get(did, recheck, writes) {
            return Ok(known);
        }
        let tx = self.store.read().await?;
        let facts = match tx.org_by_did(did).await? {
            None => None,
            Some(org) => {
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
                Some(Arc::new(IssuerFacts {
                    org,
                    methods,
                    trusted,
                    accreditations,
                }))
            }
        };
        if !recheck.is_zero() {
            (self.caches.facts.issuers).keep(did, facts.clone(), read_at, writes);
        }
        Ok(facts)
    }

    /// The organisation with this slug, or `None` (for finding the status lists a credential
    /// names; the lists' versions are read from the database every time).
    pub(crate) async fn org_by_slug_recently(
        &self,
        slug: &OrgSlug,
    ) -> Result<Option<OrgRow>, ServiceError> {
        let recheck = self.config.status_list_recheck;
        let (writes, read_at) = (self.store.writes_committed(), Instant::now());
        if let Some(known) = self.caches.facts.orgs.get(slug.as_str(), recheck, writes) {
            return Ok(known);
        }
        let org = {
            let tx = self.store.read().await?;
            tx.org_by_slug(slug.as_str()).await?
        };
        if !recheck.is_zero() {
            (self.caches.facts.orgs).keep(slug.as_str(), org.clone(), read_at, writes);
        }
        Ok(org)
    }

    /// The pathway of an achievement of this registry, or `None` when there is none.
    pub(crate) async fn achievement_pathway(
        &self,
        id: &AchievementId,
    ) -> Result<Option<String>, ServiceError> {
        let recheck = self.config.status_list_recheck;
        let (writes, read_at) = (self.store.writes_committed(), Instant::now());
        let key = id.to_string();
        if let Some(known) = self.caches.facts.pathways.get(&key, recheck, writes) {
            return Ok(known);
        }
        let pathway = {
            let tx = self.store.read().await?;
            tx.achievement(id).await?.map(|a| a.pathway)
        };
        if !recheck.is_zero() {
            (self.caches.facts.pathways).keep(&key, pathway.clone(), read_at, writes);
        }
        Ok(pathway)
    }
}
