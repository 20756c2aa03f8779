//! Awards once made: who may see a credential (the public, its holder, its issuers), a
//! holder's own awards and their visibility, an organisation's list, and the issuer role
//! for an award's organisation.

use credence_store::registry::Page;
use serde_json::json;

use crate::actor::Actor;
use crate::award_record::{award_view, AwardView};
use crate::desks::{CallerDesk, HolderDesk, IssuerDesk};
use crate::registry::{audit, Registry};
use crate::ServiceError;
use credence_domain::AwardId;

/// An award its viewer may see, with its credential as stored and its holder's name.
#[derive(Debug, Clone)]
pub struct VisibleAward {
    pub award: AwardView,
    pub credential: String,
    /// The holder's display name, when the award has a holder account.
    pub holder_name: Option<String>,
}

impl Registry {
    /// The issuer role for the organisation that made an award (404 for an unknown award).
    #[tracing::instrument(level = "info", skip_all, fields(account = actor.account_id().map(|a| a.as_str()), award_id = %award_id))]
    pub async fn award_issuer(
        &self,
        actor: &Actor,
        award_id: &AwardId,
    ) -> Result<IssuerDesk<'_>, ServiceError> {
        let tx = self.store.read().await?;
        let award = tx
            .award(award_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("award '{award_id}'")))?;
        let org = tx
            .org(&award.org_id)
            .await?
            .ok_or_else(|| ServiceError::internal("an award names a missing org"))?;
        Ok(self.with_issuer(&actor.issuer(&org)?))
    }
}

impl CallerDesk<'_> {
    /// The signed credential exactly as stored, if the award is public or the actor is its
    /// holder or an issuer of its organisation; otherwise as if it did not exist.
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), id = %id))]
    pub async fn credential_text(&self, id: &AwardId) -> Result<String, ServiceError> {
        Ok(self.visible_award(id).await?.credential)
    }

    /// The award behind a credential, the credential exactly as stored and its holder's
    /// display name, under the same rule as [`Registry::credential_text`].
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), id = %id))]
    pub async fn visible_award(&self, id: &AwardId) -> Result<VisibleAward, ServiceError> {
        let actor = &self.actor;
        let tx = self.store.read().await?;
        let not_found = || ServiceError::NotFound(format!("credential '{id}'"));
        let award = tx.award(id).await?.ok_or_else(not_found)?;
        let visible = award.public
            || (actor.account_id().is_some() && actor.account_id() == award.holder_id.as_ref())
            || match tx.org(&award.org_id).await? {
                Some(org) => actor.issuer(&org).is_ok(),
                None => false,
            };
        if visible {
            let holder_name = match &award.holder_id {
                Some(holder) => tx.account(holder).await?.map(|a| a.display_name),
                None => None,
            };
            Ok(VisibleAward {
                award: award_view(self, &award),
                credential: award.credential,
                holder_name,
            })
        } else {
            Err(not_found())
        }
    }
}

impl HolderDesk<'_> {
    /// The holder's own awards.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn my_awards(&self) -> Result<Vec<AwardView>, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        Ok(tx
            .awards_of_holder(&holder.account_id)
            .await?
            .iter()
            .map(|a| award_view(self, a))
            .collect())
    }

    /// Makes one of the holder's awards public or private.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn set_award_visibility(
        &self,
        id: &AwardId,
        public: bool,
    ) -> Result<AwardView, ServiceError> {
        let holder = &self.holder;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut award = tx
            .award(id)
            .await?
            .filter(|a| a.holder_id.as_ref() == Some(&holder.account_id))
            .ok_or_else(|| ServiceError::NotFound(format!("award '{id}'")))?;
        if award.public != public {
            tx.set_award_public(id, public, now).await?;
            audit(
                &tx,
                now,
                &holder.label,
                "award.visibility",
                Some(&award.org_id),
                &format!("award:{id}"),
                json!({"public": public}),
            )
            .await?;
            award.public = public;
            award.updated_at = now;
        }
        tx.commit().await?;
        Ok(award_view(self, &award))
    }
}

impl IssuerDesk<'_> {
    /// An organisation's awards, newest first (issuers).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn org_awards(&self, page: Page) -> Result<Vec<AwardView>, ServiceError> {
        let issuer = &self.issuer;
        let tx = self.store.read().await?;
        Ok(tx
            .awards_of_org(&issuer.0.org.id, page)
            .await?
            .iter()
            .map(|a| award_view(self, a))
            .collect())
    }
}
