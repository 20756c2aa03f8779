//! How far a holder is along a pathway, from the evidence attested for it.

use super::*;

impl HolderDesk<'_> {
    /// The holder's progress towards a pathway of a framework (latest version), from their
    /// attested evidence at the confirmed levels.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, framework = %framework, pathway = %pathway))]
    pub async fn holder_progress(
        &self,
        framework: &str,
        pathway: &str,
    ) -> Result<ProgressView, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let loaded = framework_by_slug(&tx, framework, None)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("framework '{framework}'")))?;
        drop(tx);
        let pathway_code = PathwayCode::new(pathway)
            .map_err(|_| ServiceError::NotFound(format!("pathway '{pathway}'")))?;
        let progress = self
            .public()
            .progress_of(&holder.account_id, &loaded.framework, &pathway_code)
            .await?;
        let next_step = progress.next_step(&loaded.framework);
        let (met, missing): (Vec<_>, Vec<_>) =
            progress.requirements.iter().cloned().partition(|r| r.met);
        Ok(ProgressView {
            framework: loaded.slug,
            framework_version: loaded.version,
            pathway: pathway_code.as_str().to_owned(),
            complete: progress.complete,
            required: progress.required(),
            met: progress.met(),
            met_statements: met,
            missing_statements: missing,
            gaps: progress.gaps,
            prerequisites: progress.prerequisites,
            not_assessable: progress.not_assessable,
            next_step,
        })
    }
}

impl PublicDesk<'_> {
    /// A holder's progress towards `pathway` of `framework` (the version it is), computed
    /// from their attested evidence in that stored framework version, each piece counted
    /// at its confirmed level. Draft, submitted and rejected evidence never counts.
    ///
    /// For the award use cases, to check completion before awarding a pathway badge.
    /// Not found when the framework version is not stored or has no such pathway.
    #[tracing::instrument(level = "debug", skip_all, fields(holder_account_id = %holder_account_id))]
    pub async fn progress_of(
        &self,
        holder_account_id: &AccountId,
        framework: &Framework,
        pathway: &PathwayCode,
    ) -> Result<PathwayProgress, ServiceError> {
        let tx = self.store.read().await?;
        let (framework_id, _, _) = tx
            .framework_key(framework.slug().as_str(), Some(framework.version()))
            .await?
            .ok_or_else(|| {
                ServiceError::NotFound(format!(
                    "framework '{}' version '{}'",
                    framework.slug(),
                    framework.version()
                ))
            })?;
        drop(tx);
        let rows = self
            .attested_evidence_for(holder_account_id, framework_id)
            .await?;
        credence_domain::progress(framework, pathway, &attainments(&rows))
            .map_err(|_| ServiceError::NotFound(format!("pathway '{pathway}'")))
    }
}

impl Registry {
    /// A holder's attested evidence in one stored framework version (by its row id),
    /// oldest first; each row's `level_confirmed` is the attested level.
    ///
    /// For the award use cases, to link the evidence behind an award.
    #[tracing::instrument(level = "debug", skip_all, fields(holder_account_id = %holder_account_id, framework_id = %framework_id))]
    pub(crate) async fn attested_evidence_for(
        &self,
        holder_account_id: &AccountId,
        framework_id: i64,
    ) -> Result<Vec<EvidenceRow>, ServiceError> {
        let tx = self.store.read().await?;
        Ok(tx
            .attested_evidence(holder_account_id, framework_id)
            .await?)
    }
}

/// What attested evidence attains: each row's statement at its confirmed level (a row not
/// yet attested attains nothing).
pub(crate) fn attainments<'a>(rows: impl IntoIterator<Item = &'a EvidenceRow>) -> Vec<Attainment> {
    rows.into_iter()
        .filter_map(|row| {
            Some(Attainment {
                statement: row.statement_code.clone(),
                level: row.level_confirmed.clone()?,
            })
        })
        .collect()
}
