//! The rows that name the actors and subjects of a page of audit entries, read for the whole
//! page at once: at most one query per kind of thing named, however long the page.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::{
    account, accreditation, achievement, api_token, award, evidence, organisation,
};
use crate::{StoreError, Tx};

use super::{
    AccountRow, AccreditationRow, AchievementRow, AwardRow, EvidenceRow, OrgRow, TokenRow,
};

/// How many keys one `IN (…)` list holds.
const IN_CHUNK: usize = 500;

/// What the labels of a page name (`account:{id}`, `token:{id}`, `org:{slug}`,
/// `accreditation:{id}`, `evidence:{id}`, `achievement:{id}`, `award:{id}`), with the
/// accounts, organisations and achievements those rows refer to, each by its id (an
/// organisation also by its slug). Not `Debug`: the token rows hold their hashes.
#[derive(Default)]
pub struct AuditNameRows {
    pub accounts: HashMap<String, AccountRow>,
    pub tokens: HashMap<String, TokenRow>,
    pub orgs: HashMap<String, OrgRow>,
    pub orgs_by_slug: HashMap<String, OrgRow>,
    pub accreditations: HashMap<String, AccreditationRow>,
    pub evidence: HashMap<String, EvidenceRow>,
    pub achievements: HashMap<String, AchievementRow>,
    pub awards: HashMap<String, AwardRow>,
}

impl Tx {
    /// The rows naming `labels` (audit actors and subjects); a label of another kind, or of
    /// a thing since removed, has none.
    #[tracing::instrument(level = "debug", skip_all, fields(labels = labels.len()))]
    pub async fn audit_name_rows(&self, labels: &[&str]) -> Result<AuditNameRows, StoreError> {
        let ids = |kind: &str| -> BTreeSet<String> {
            (labels.iter())
                .filter_map(|l| l.split_once(':'))
                .filter(|(k, _)| *k == kind)
                .map(|(_, id)| id.to_owned())
                .collect()
        };
        let mut rows = AuditNameRows::default();
        let tokens = self.rows_in::<api_token::Entity, _>(api_token::Column::Id, ids("token"));
        rows.tokens = by(tokens.await?, |t| t.id.to_string());
        let orgs = self.rows_in::<organisation::Entity, _>(organisation::Column::Slug, ids("org"));
        rows.orgs_by_slug = by(orgs.await?, |o| o.slug.clone());
        let accreditations = ids("accreditation");
        let accreditations =
            self.rows_in::<accreditation::Entity, _>(accreditation::Column::Id, accreditations);
        rows.accreditations = by(accreditations.await?, |a| a.id.to_string());
        let evidence = self.rows_in::<evidence::Entity, _>(evidence::Column::Id, ids("evidence"));
        rows.evidence = by(evidence.await?, |e| e.id.to_string());
        let awards = self.rows_in::<award::Entity, _>(award::Column::Id, ids("award"));
        let awards = self.award_rows(awards.await?).await?;
        rows.awards = by(awards, |a| a.id.to_string());
        // What those rows refer to.
        let mut accounts = ids("account");
        accounts.extend(rows.evidence.values().map(|e| e.holder_id.to_string()));
        accounts.extend(
            rows.awards
                .values()
                .filter_map(|a| a.holder_id.as_ref().map(ToString::to_string)),
        );
        let accounts = self.rows_in::<account::Entity, _>(account::Column::Id, accounts);
        rows.accounts = by(accounts.await?, |a| a.id.to_string());
        let providers = rows
            .accreditations
            .values()
            .map(|a| a.provider_org_id.to_string());
        let orgs =
            self.rows_in::<organisation::Entity, _>(organisation::Column::Id, providers.collect());
        rows.orgs = by(orgs.await?, |o| o.id.to_string());
        let mut achievements = ids("achievement");
        achievements.extend(
            rows.awards
                .values()
                .filter_map(|a| a.achievement_id.as_ref().map(ToString::to_string)),
        );
        let achievements =
            self.rows_in::<achievement::Entity, _>(achievement::Column::Id, achievements);
        rows.achievements = by(achievements.await?, |a| a.id.to_string());
        Ok(rows)
    }

    /// The rows of `E` whose `column` is one of `keys` (no query when there are none).
    async fn rows_in<E: EntityTrait, C: ColumnTrait>(
        &self,
        column: C,
        keys: BTreeSet<String>,
    ) -> Result<Vec<E::Model>, StoreError> {
        let keys: Vec<String> = keys.into_iter().collect();
        let mut out = Vec::new();
        for chunk in keys.chunks(IN_CHUNK) {
            let found = E::find().filter(column.is_in(chunk.iter().cloned()));
            out.extend(found.all(self.conn()).await?);
        }
        Ok(out)
    }
}

fn by<T>(rows: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, T> {
    rows.into_iter().map(|r| (key(&r), r)).collect()
}
