//! An organisation's workforce targets: a share of everyone, or of one archetype's people,
//! through a pathway by a month; set and removed by its administrators.

use credence_domain::{ArchetypeCode, PathwayCode, PathwayKind, TargetId};
use credence_store::registry::TargetRow;
use serde_json::json;

use crate::achievements::DEFAULT_FRAMEWORK;
use crate::desks::OrgAdminDesk;
use crate::evidence::framework_by_slug;
use crate::registry::audit;
use crate::ServiceError;

/// A new target, as an administrator writes it.
#[derive(Debug, Clone, Default)]
pub struct NewTarget {
    /// An archetype code, or empty for everyone.
    pub archetype: String,
    pub pathway: String,
    pub percent: String,
    /// `YYYY-MM`.
    pub due: String,
}

impl OrgAdminDesk<'_> {
    /// Sets a target: `percent` (1 to 100) of everyone, or of one archetype's people,
    /// through a pathway of the framework by the month `due` (`YYYY-MM`).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn add_target(&self, new: NewTarget) -> Result<(), ServiceError> {
        let org = &self.admin.0.org;
        let tx = self.store.read().await?;
        let loaded = framework_by_slug(&tx, DEFAULT_FRAMEWORK, None)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{DEFAULT_FRAMEWORK}'")))?;
        drop(tx);
        let framework = &loaded.framework;
        let archetype = match new.archetype.trim() {
            "" => None,
            a => Some(
                ArchetypeCode::new(a)
                    .ok()
                    .filter(|c| framework.archetype(c).is_some())
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            "/archetype",
                            "Choose an archetype from the list, or everyone.",
                        )
                    })?
                    .to_string(),
            ),
        };
        let pathway = PathwayCode::new(new.pathway.trim())
            .ok()
            .filter(|p| {
                framework
                    .pathway(p)
                    .is_some_and(|p| p.kind != PathwayKind::ProductTemplate)
            })
            .ok_or_else(|| {
                ServiceError::invalid(
                    "/pathway",
                    "Choose the foundational pathway or an advanced one.",
                )
            })?;
        let percent: i32 = new
            .percent
            .trim()
            .trim_end_matches('%')
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| {
                ServiceError::invalid("/percent", "Give a share from 1 to 100 per cent.")
            })?;
        let due = new.due.trim();
        let well_formed = due.len() == 7
            && chrono::NaiveDate::parse_from_str(&format!("{due}-01"), "%Y-%m-%d").is_ok();
        if !well_formed {
            return Err(ServiceError::invalid(
                "/due",
                "Give the month it is due as YYYY-MM, e.g. 2027-03.",
            ));
        }
        let now = self.now();
        let row = TargetRow {
            id: TargetId::random(),
            org_id: org.id.clone(),
            archetype,
            pathway: pathway.to_string(),
            percent,
            due: due.to_owned(),
            created_at: now,
        };
        let tx = self.store.write().await?;
        tx.insert_target(row.clone()).await?;
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "workforce.target.add",
            Some(&org.id),
            &format!("target:{}", row.id),
            json!({"pathway": row.pathway, "percent": percent, "due": row.due}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a target (404 when the organisation has no such target).
    pub async fn remove_target(&self, id: &TargetId) -> Result<(), ServiceError> {
        let org = &self.admin.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        if !tx.delete_target(&org.id, id).await? {
            return Err(ServiceError::NotFound(format!("target {id}")));
        }
        audit(
            &tx,
            now,
            &self.admin.0.label,
            "workforce.target.remove",
            Some(&org.id),
            &format!("target:{id}"),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
