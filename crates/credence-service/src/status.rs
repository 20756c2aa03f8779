//! Status lists and status changes: each organisation publishes a signed Bitstring Status
//! List per purpose (revocation, suspension), stored with a version, rebuilt and re-signed
//! in the same transaction as any status change, and served from memory while the stored
//! version has not moved.

use std::sync::Arc;

use credence_domain::registry::{AccreditationStatus, AwardStatus, StatusAction};
use credence_domain::{AccreditationId, AwardId, OrgSlug};
use credence_store::registry::{AwardRow, OrgRow, StatusListRow};
use credence_store::{StoreError, Tx};
use credence_vc::proof::sign;
use credence_vc::status_list::{status_list_credential, StatusList, StatusPurpose};
use serde_json::json;

use crate::award_record::{award_view, AwardView, STATUS_LIST_ENTRIES};
pub use crate::caches::StatusListDocument;
use crate::desks::{IssuerDesk, PublicDesk};
use crate::registry::{audit, Registry};
use crate::ServiceError;
use credence_documents::credential::status_list_url;
use credence_documents::date_time;

/// The award status whose awards have their bit set in a list.
fn set_when(purpose: StatusPurpose) -> AwardStatus {
    match purpose {
        StatusPurpose::Revocation => AwardStatus::Revoked,
        StatusPurpose::Suspension => AwardStatus::Suspended,
    }
}

impl Registry {
    /// Rebuilds and re-signs an organisation's list from its awards inside `tx`, one
    /// version after the stored one; returns the stored row.
    pub(crate) async fn rebuild_status_list(
        &self,
        tx: &Tx,
        org: &OrgRow,
        purpose: StatusPurpose,
    ) -> Result<StatusListRow, ServiceError> {
        let now = self.now();
        let version = tx
            .status_list_version(&org.id, purpose.as_str())
            .await?
            .unwrap_or(0);
        let mut list = StatusList::new(STATUS_LIST_ENTRIES)
            .map_err(ServiceError::wrap("making a status list"))?;
        let bits = tx
            .status_bits(
                &org.id,
                set_when(purpose),
                purpose == StatusPurpose::Suspension,
            )
            .await?;
        for index in bits {
            let index =
                usize::try_from(index).map_err(ServiceError::wrap("reading a status index"))?;
            list.set(index, true)
                .map_err(ServiceError::wrap("setting a status bit"))?;
        }
        let url = status_list_url(&self.config.base_url, &org.slug, purpose);
        let unsigned = status_list_credential(&url, &org.did, purpose, &list, now);
        let signer = self.active_signer(tx, org).await?;
        let options = self.proof_options(org, &signer, &date_time(now), None);
        let signed = sign(&unsigned, &signer.key, &options)
            .map_err(ServiceError::wrap("signing a status list"))?;
        let row = StatusListRow {
            org_id: org.id.clone(),
            purpose: purpose.as_str().to_owned(),
            version: version + 1,
            credential: signed.to_string(),
            updated_at: now,
        };
        tx.save_status_list(row.clone()).await?;
        self.metrics.status_list_rebuilt();
        Ok(row)
    }
}

impl PublicDesk<'_> {
    /// An organisation's signed status list, by slug and purpose (public). Made on first
    /// need. Served from memory without asking the database for up to
    /// [`RegistryConfig::status_list_recheck`](crate::RegistryConfig) after the database was
    /// last asked, unless this process has written since ([`Registry::recently`]): a
    /// revocation made here is served at once, one made by another process sharing the
    /// database within that time.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug, purpose = %purpose))]
    pub async fn status_list(
        &self,
        slug: &OrgSlug,
        purpose: &str,
    ) -> Result<StatusListDocument, ServiceError> {
        let key = (slug.as_str().to_owned(), purpose.to_owned());
        self.recently(&self.caches.served_lists, key, || async {
            let parsed: StatusPurpose = purpose
                .parse()
                .map_err(|_| ServiceError::NotFound(format!("a status list '{purpose}'")))?;
            let org = self.org(slug).await?;
            self.status_list_of(&org, parsed).await
        })
        .await
    }
}

impl Registry {
    /// The organisation's signed status lists for `purposes`, in that order, their stored
    /// versions read in one query (a verification reads both of an award's lists): each
    /// from memory when it is the stored version, else read, or made on first need.
    pub(crate) async fn status_lists_of(
        &self,
        org: &OrgRow,
        purposes: &[StatusPurpose],
    ) -> Result<Vec<StatusListDocument>, ServiceError> {
        let versions = {
            let tx = self.store.read().await?;
            tx.status_list_versions(&org.id).await?
        };
        let mut lists = Vec::with_capacity(purposes.len());
        for purpose in purposes {
            let stored = versions
                .iter()
                .find(|(stored, _)| stored == purpose.as_str())
                .map(|(_, version)| *version);
            lists.push(self.status_list_at(org, *purpose, stored).await?);
        }
        Ok(lists)
    }

    /// One of the organisation's signed status lists (see [`Self::status_lists_of`]).
    pub(crate) async fn status_list_of(
        &self,
        org: &OrgRow,
        purpose: StatusPurpose,
    ) -> Result<StatusListDocument, ServiceError> {
        let mut lists = self.status_lists_of(org, &[purpose]).await?;
        lists
            .pop()
            .ok_or_else(|| ServiceError::internal("no status list was read"))
    }

    /// The list whose stored version is `stored` (`None`: there is none yet): from memory
    /// when it holds that version, else read, or made and stored.
    async fn status_list_at(
        &self,
        org: &OrgRow,
        purpose: StatusPurpose,
        stored: Option<i64>,
    ) -> Result<StatusListDocument, ServiceError> {
        let key = (org.id.clone(), purpose.as_str().to_owned());
        let kept = stored.and_then(|version| {
            let (kept, json) = self.caches.status_lists.lock().ok()?.get(&key).cloned()?;
            (kept == version).then_some(StatusListDocument { version, json })
        });
        if let Some(kept) = kept {
            return Ok(kept);
        }
        let row = match stored {
            Some(_) => {
                let tx = self.store.read().await?;
                tx.status_list(&org.id, purpose.as_str()).await?
            }
            None => None,
        };
        let row = match row {
            Some(row) => row,
            None => {
                let tx = self.store.write().await?;
                tx.lock_status_lists(&org.id).await?;
                match tx.status_list(&org.id, purpose.as_str()).await? {
                    Some(row) => row,
                    None => {
                        let made = match self.rebuild_status_list(&tx, org, purpose).await {
                            Ok(row) => tx.commit().await.map(|()| row),
                            Err(ServiceError::Conflict(detail)) => {
                                Err(StoreError::Duplicate { constraint: detail })
                            }
                            Err(e) => return Err(e),
                        };
                        match made {
                            Ok(row) => row,
                            // Another process made it first: read theirs.
                            Err(StoreError::Duplicate { .. }) => {
                                let tx = self.store.read().await?;
                                tx.status_list(&org.id, purpose.as_str())
                                    .await?
                                    .ok_or_else(|| ServiceError::internal("status list vanished"))?
                            }
                            Err(e) => return Err(e.into()),
                        }
                    }
                }
            }
        };
        let json = Arc::new(row.credential);
        if let Ok(mut cache) = self.caches.status_lists.lock() {
            cache.insert(key, (row.version, json.clone()));
        }
        Ok(StatusListDocument {
            version: row.version,
            json,
        })
    }
}

impl IssuerDesk<'_> {
    /// Revokes, suspends or reinstates an award of the issuer's organisation, with a
    /// reason; both lists are re-signed in the same transaction.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, award_id = %award_id))]
    pub async fn change_award_status(
        &self,
        award_id: &AwardId,
        action: StatusAction,
        reason: &str,
    ) -> Result<AwardView, ServiceError> {
        let issuer = &self.issuer;
        let reason = reason.trim();
        if let Some(message) = credence_domain::validate::text_problem(
            reason,
            "the reason",
            "Give a reason for the change; the holder is shown it.",
            1,
            1000,
        ) {
            return Err(ServiceError::invalid("/reason", message));
        }
        let now = self.now();
        let org = &issuer.0.org;
        let tx = self.store.write().await?;
        // Before reading the award: a concurrent change to it, or to any award of the
        // organisation, is then committed and seen (its state and the lists' version).
        tx.lock_status_lists(&org.id).await?;
        let award = tx
            .award(award_id)
            .await?
            .filter(|a| a.org_id == org.id)
            .ok_or_else(|| ServiceError::NotFound(format!("award '{award_id}'")))?;
        let award = self
            .apply_status_in(&tx, award, action, reason, now)
            .await?;
        tx.commit().await?;
        Ok(award_view(self, &award))
    }

    /// Changes the state of `award` (of the issuer's organisation) inside `tx`, whose
    /// caller has locked the organisation's status lists: both lists re-signed, the change
    /// audited and the holder told. The caller commits.
    pub(crate) async fn apply_status_in(
        &self,
        tx: &Tx,
        mut award: AwardRow,
        action: StatusAction,
        reason: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<AwardRow, ServiceError> {
        let org = &self.issuer.0.org;
        let id = award.id.clone();
        let current: AwardStatus = award.status;
        let next = current
            .apply(action)
            .map_err(|why| ServiceError::Conflict(format!("Cannot {action} the award: {why}.")))?;
        if next == AwardStatus::Suspended && !award.suspendable {
            return Err(ServiceError::Conflict(
                "Cannot suspend the award: its credential carries a revocation entry only (its achievement does not opt in to suspension, which keeps it valid against the Open Badges 3.0 schema). Revoke it instead, or award again from an achievement that allows suspension.".into(),
            ));
        }
        tx.set_award_status(&id, next, reason, now).await?;
        // An accreditation is stored as an award of its body: its own row follows the
        // award's state in the same transaction, whichever route revoked it.
        if next == AwardStatus::Revoked {
            let accreditation_id = AccreditationId::from(id.clone());
            if let Some(accreditation) = tx.accreditation(&accreditation_id).await? {
                tx.set_accreditation_status(
                    &accreditation_id,
                    AccreditationStatus::Revoked,
                    reason,
                    now,
                )
                .await?;
                self.notify_accreditation(
                    tx,
                    &accreditation,
                    crate::notifications::AccreditationNews::Revoked(reason),
                    now,
                )
                .await?;
            }
        }
        // A wallet's copies of the award (OpenID4VCI) follow it, on the same lists.
        let mut copies = Vec::new();
        for copy in tx.reissues_of(&id).await? {
            match copy.status.apply(action) {
                Ok(then) if then != AwardStatus::Suspended || copy.suspendable => {
                    tx.set_award_status(&copy.id, then, reason, now).await?;
                    copies.push(copy.id);
                }
                _ => {}
            }
        }
        let mut versions = Vec::new();
        for purpose in [StatusPurpose::Revocation, StatusPurpose::Suspension] {
            versions.push(self.rebuild_status_list(tx, org, purpose).await?.version);
        }
        audit(
            tx,
            now,
            &self.issuer.0.label,
            &format!("award.{action}"),
            Some(&org.id),
            &format!("award:{id}"),
            json!({"from": current, "to": next, "reason": reason, "list_versions": versions, "wallet_copies": copies}),
        )
        .await?;
        self.notify_status(tx, &award, next, reason, &org.name, now)
            .await?;
        award.status = next;
        award.status_reason = Some(reason.to_owned());
        award.updated_at = now;
        Ok(award)
    }
}
