//! Affiliations: an organisation (an integrated care system, say) proposes that another
//! affiliate to it; the other's administrators accept or decline; either side may end it.
//! Once accepted, the system's administrators see a workforce view across the
//! organisations affiliated to it (`workforce.rs`, [`crate::workforce::Scope::System`]):
//! aggregates only, as suppressed as the organisation's own view; no name of another
//! organisation's people is shown. An affiliation is one level deep: the affiliates of an
//! affiliate are not counted.

use chrono::{DateTime, Utc};
use credence_domain::registry::{AffiliationState, NotificationKind, Role};
use credence_domain::OrgSlug;
use credence_store::registry::{AffiliationRow, OrgRow};
use credence_store::Tx;
use serde::Serialize;
use serde_json::json;

use crate::desks::OrgAdminDesk;
use crate::notifications::Tell;
use crate::registry::audit;
use crate::ServiceError;

/// One affiliation as either side sees it.
#[derive(Debug, Clone, Serialize)]
pub struct AffiliationView {
    /// The other organisation.
    pub org: String,
    pub org_name: String,
    pub state: AffiliationState,
    pub invited_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// An organisation's affiliations: those affiliated to it (or asked to be), and those it
/// is affiliated to (or asked to be).
#[derive(Debug, Clone, Serialize)]
pub struct Affiliations {
    pub org: String,
    pub members: Vec<AffiliationView>,
    pub systems: Vec<AffiliationView>,
}

fn view(row: &AffiliationRow, other: &OrgRow) -> AffiliationView {
    AffiliationView {
        org: other.slug.clone(),
        org_name: other.name.clone(),
        state: row.state,
        invited_at: row.invited_at,
        answered_at: row.answered_at,
    }
}

impl OrgAdminDesk<'_> {
    /// The other organisation of an affiliation, by slug (404 when there is none).
    async fn other_org(&self, tx: &Tx, slug: &OrgSlug) -> Result<OrgRow, ServiceError> {
        tx.org_by_slug(slug.as_str())
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("organisation '{slug}'")))
    }

    /// The organisation's affiliations, on both sides.
    pub async fn affiliations(&self) -> Result<Affiliations, ServiceError> {
        let org = &self.admin.0.org;
        let tx = self.store.read().await?;
        let mut out = Affiliations {
            org: org.slug.clone(),
            members: Vec::new(),
            systems: Vec::new(),
        };
        for row in tx.affiliations_of(&org.id).await? {
            let (other, list) = if row.parent_org_id == org.id {
                (&row.member_org_id, &mut out.members)
            } else {
                (&row.parent_org_id, &mut out.systems)
            };
            if let Some(other) = tx.org(other).await? {
                list.push(view(&row, &other));
            }
        }
        for list in [&mut out.members, &mut out.systems] {
            list.sort_by(|a, b| a.org_name.cmp(&b.org_name));
        }
        Ok(out)
    }

    /// Proposes that `member` affiliate to this organisation; its administrators are told
    /// and decide. 409 when the two are already affiliated either way (or proposed).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn propose_affiliation(
        &self,
        member: &OrgSlug,
    ) -> Result<AffiliationView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let other = self.other_org(&tx, member).await?;
        if other.id == org.id {
            return Err(ServiceError::invalid(
                "/org",
                "An organisation cannot affiliate to itself.",
            ));
        }
        if tx.affiliation(&org.id, &other.id).await?.is_some()
            || tx.affiliation(&other.id, &org.id).await?.is_some()
        {
            return Err(ServiceError::Conflict(format!(
                "{} and {} are already affiliated, or asked to be",
                org.name, other.name
            )));
        }
        let row = AffiliationRow {
            parent_org_id: org.id.clone(),
            member_org_id: other.id.clone(),
            state: AffiliationState::Invited,
            invited_by: self.admin.0.label.clone(),
            invited_at: now,
            answered_by: None,
            answered_at: None,
        };
        tx.insert_affiliation(row.clone()).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "affiliation.propose",
            Some(&org.id),
            &format!("org:{}", other.slug),
            json!({"member": other.slug}),
        )
        .await?;
        let paragraphs = vec![
            format!("{} asks {} to affiliate to it.", org.name, other.name),
            format!("If you accept, {}'s administrators see its workforce view across the organisations affiliated to it, your people included: aggregate counts only, with small numbers suppressed, and no names. Either side can end the affiliation later.", org.name),
        ];
        self.tell_admins(
            &tx,
            &other,
            format!("{} asks {} to affiliate", org.name, other.name),
            paragraphs,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(view(&row, &other))
    }

    /// Accepts the affiliation `system` proposed to this organisation.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn accept_affiliation(
        &self,
        system: &OrgSlug,
    ) -> Result<AffiliationView, ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let parent = self.other_org(&tx, system).await?;
        let Some(row) = tx.affiliation(&parent.id, &org.id).await? else {
            return Err(ServiceError::NotFound(format!(
                "an affiliation proposed by '{system}'"
            )));
        };
        if row.state == AffiliationState::Accepted {
            return Err(ServiceError::Conflict(format!(
                "{} is already affiliated to {}",
                org.name, parent.name
            )));
        }
        tx.accept_affiliation(&parent.id, &org.id, &self.admin.0.label, now)
            .await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "affiliation.accept",
            Some(&org.id),
            &format!("org:{}", parent.slug),
            json!({"system": parent.slug}),
        )
        .await?;
        self.tell_admins(
            &tx,
            &parent,
            format!("{} is now affiliated to {}", org.name, parent.name),
            vec![format!(
                "{} accepted the affiliation: its people now count in {}'s system workforce view.",
                org.name, parent.name
            )],
            now,
        )
        .await?;
        tx.commit().await?;
        let row = AffiliationRow {
            state: AffiliationState::Accepted,
            answered_by: Some(self.admin.0.label.clone()),
            answered_at: Some(now),
            ..row
        };
        Ok(view(&row, &parent))
    }

    /// Ends an affiliation with `other` on either side (or declines or withdraws one
    /// proposed). 404 when there is none.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn end_affiliation(&self, other: &OrgSlug) -> Result<(), ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let other = self.other_org(&tx, other).await?;
        let ended = tx.delete_affiliation(&org.id, &other.id).await?
            || tx.delete_affiliation(&other.id, &org.id).await?;
        if !ended {
            return Err(ServiceError::NotFound(format!(
                "an affiliation between {} and {}",
                org.slug, other.slug
            )));
        }
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "affiliation.end",
            Some(&org.id),
            &format!("org:{}", other.slug),
            json!({"with": other.slug}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Tells every administrator of `org`, in `tx`.
    async fn tell_admins(
        &self,
        tx: &Tx,
        org: &OrgRow,
        title: String,
        paragraphs: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        for m in tx.memberships_of_org(&org.id).await? {
            if m.role != Role::Admin {
                continue;
            }
            self.notify(
                tx,
                Tell {
                    account_id: m.account_id,
                    kind: NotificationKind::Affiliation,
                    title: title.clone(),
                    paragraphs: paragraphs.clone(),
                    link: format!("/console/{}/affiliations", org.slug),
                    action: "See the affiliations",
                },
                now,
            )
            .await?;
        }
        Ok(())
    }
}
