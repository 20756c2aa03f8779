//! Renewal in bulk: a row's `renews` names an award of the same organisation, as a single
//! award's does; the batch reads the named awards in one go, and a row naming one the
//! organisation does not have is refused on that field.

use credence_domain::{AwardId, OrgId};

use super::*;

/// The awards a batch's rows renew, by id: those of `org_id` among the ones named.
pub(super) async fn renewed_awards(
    tx: &Tx,
    org_id: &OrgId,
    rows: impl Iterator<Item = &BulkAwardRow>,
) -> Result<HashMap<AwardId, AwardId>, ServiceError> {
    let mut found = HashMap::new();
    for id in rows.filter_map(|r| r.renews.as_ref()) {
        if found.contains_key(id) {
            continue;
        }
        if let Some(award) = tx.award(id).await?.filter(|a| &a.org_id == org_id) {
            found.insert(id.clone(), award.id);
        }
    }
    Ok(found)
}

impl Registry {
    /// What a row's plan says it renews: `Ok(None)` for a row that renews nothing, the award
    /// and its credential's URL for one it may renew, or the refusal's message.
    pub(super) fn renewal_of(
        &self,
        row: &BulkAwardRow,
        renewed: &HashMap<AwardId, AwardId>,
        org_slug: &str,
    ) -> Result<Option<(AwardId, String)>, String> {
        let Some(id) = &row.renews else {
            return Ok(None);
        };
        match renewed.get(id) {
            Some(found) => Ok(Some((
                found.clone(),
                self.url(&format!("/credentials/{found}")),
            ))),
            None => Err(format!("renews: {org_slug} has no award '{id}'.")),
        }
    }
}
