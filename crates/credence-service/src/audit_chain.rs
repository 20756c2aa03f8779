//! Reading and checking the audit chain. Checking walks every entry in order, recomputing
//! each hash from the entry's fields and the previous hash, and names the first broken link.

use credence_domain::registry::AUDIT_GENESIS;
use std::collections::HashMap;

use credence_store::registry::{AuditRow, Page};
use credence_store::Tx;
use serde::Serialize;

use crate::actor::{Issuer, OperatorPower, OrgAdmin};
use crate::registry::Registry;
use crate::ServiceError;

/// What a chain check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Entries checked.
    pub entries: i64,
    /// The first broken link, if any: its sequence number and what is wrong.
    pub broken: Option<(i64, String)>,
}

/// An audit entry as shown.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AuditView {
    pub seq: i64,
    pub at: String,
    /// The actor's label: `account:{id}`, `token:{id}`, `operator:…` or `anonymous`.
    pub actor: String,
    /// Who that is, for people: an account's display name and e-mail address, an API
    /// token's label (absent for the operator, and for an account or token since removed).
    pub actor_name: Option<String>,
    pub action: String,
    pub subject: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub hash: String,
}

fn audit_view(row: AuditRow, actor_name: Option<String>) -> AuditView {
    AuditView {
        seq: row.seq,
        at: row.at.to_rfc3339(),
        actor: row.actor,
        actor_name,
        action: row.action,
        subject: row.subject,
        detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
        hash: row.hash,
    }
}

/// Views of `rows`, each with its actor's name: one read per distinct account or token.
async fn named_views(tx: &Tx, rows: Vec<AuditRow>) -> Result<Vec<AuditView>, ServiceError> {
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    for row in &rows {
        if names.contains_key(&row.actor) {
            continue;
        }
        let name = if let Some(id) = row.actor.strip_prefix("account:") {
            tx.account(id)
                .await?
                .map(|a| format!("{} <{}>", a.display_name, a.email))
        } else if let Some(id) = row.actor.strip_prefix("token:") {
            tx.token(id)
                .await?
                .map(|t| format!("API token \u{201c}{}\u{201d}", t.label))
        } else {
            None
        };
        names.insert(row.actor.clone(), name);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = names.get(&row.actor).cloned().flatten();
            audit_view(row, name)
        })
        .collect())
}

impl Registry {
    /// Checks the whole chain; `progress` is told how many entries are done.
    pub async fn verify_audit_chain(
        &self,
        _operator: &OperatorPower,
        mut progress: impl FnMut(i64, i64),
    ) -> Result<ChainReport, ServiceError> {
        let tx = self.store.read().await?;
        let (head_seq, head_hash) = tx.audit_head().await?;
        let mut prev_hash = AUDIT_GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut checked = 0;
        loop {
            let batch = tx.audit_chain(expected_seq - 1, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                if row.seq != expected_seq {
                    return Ok(ChainReport {
                        entries: checked,
                        broken: Some((
                            expected_seq,
                            format!(
                                "entry {expected_seq} is missing (the next entry is {})",
                                row.seq
                            ),
                        )),
                    });
                }
                if row.prev_hash != prev_hash {
                    return Ok(ChainReport {
                        entries: checked,
                        broken: Some((
                            row.seq,
                            format!(
                                "entry {} does not link to entry {}: its previous hash differs",
                                row.seq,
                                row.seq - 1
                            ),
                        )),
                    });
                }
                let recomputed = row.expected_hash(&prev_hash);
                if recomputed != row.hash {
                    return Ok(ChainReport {
                        entries: checked,
                        broken: Some((
                            row.seq,
                            format!(
                                "entry {} was altered: its content no longer matches its hash",
                                row.seq
                            ),
                        )),
                    });
                }
                prev_hash = row.hash;
                expected_seq += 1;
                checked += 1;
            }
            progress(checked, head_seq);
        }
        if checked != head_seq || prev_hash != head_hash {
            let seq = checked + 1;
            return Ok(ChainReport {
                entries: checked,
                broken: Some((seq, format!("the chain ends at entry {checked}, but its head records entry {head_seq}: later entries were removed"))),
            });
        }
        Ok(ChainReport {
            entries: checked,
            broken: None,
        })
    }

    /// One organisation's audit trail, newest first.
    pub async fn org_audit(
        &self,
        admin: &OrgAdmin,
        page: Page,
    ) -> Result<Vec<AuditView>, ServiceError> {
        let tx = self.store.read().await?;
        let rows = tx.audit_page(Some(&admin.0.org.id), page).await?;
        named_views(&tx, rows).await
    }

    /// The history of one award of the issuer's organisation, oldest first: who issued
    /// it and who changed its status or visibility, when and why (404 for another
    /// organisation's award).
    pub async fn award_history(
        &self,
        issuer: &Issuer,
        award_id: &str,
    ) -> Result<Vec<AuditView>, ServiceError> {
        let id = crate::awards::uuid_id(award_id, "award")?;
        let tx = self.store.read().await?;
        let org = &issuer.0.org;
        tx.award(&id)
            .await?
            .filter(|a| a.org_id == org.id)
            .ok_or_else(|| ServiceError::NotFound(format!("award '{id}'")))?;
        let rows = tx
            .audit_of_subject(
                &org.id,
                &format!("award:{id}"),
                Page::new(0, Page::MAX_LIMIT),
            )
            .await?;
        named_views(&tx, rows).await
    }

    /// The whole audit trail, newest first (operator only).
    pub async fn all_audit(
        &self,
        _operator: &OperatorPower,
        page: Page,
    ) -> Result<Vec<AuditView>, ServiceError> {
        let tx = self.store.read().await?;
        let rows = tx.audit_page(None, page).await?;
        named_views(&tx, rows).await
    }
}
