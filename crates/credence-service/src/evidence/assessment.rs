//! An assessor's side of evidence: the queue of what was submitted to the organisation, and
//! decisions (attest or reject), appended to the evidence's history.

use super::*;

impl AssessorDesk<'_> {
    /// The assessor's work queue: evidence submitted to the organisation, oldest first.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.assessor.0.org.slug))]
    pub async fn evidence_queue(&self, page: Page) -> Result<Vec<QueueItem>, ServiceError> {
        let assessor = &self.assessor;
        let tx = self.store.read().await?;
        let org = &assessor.0.org;
        let rows = tx.evidence_queue(&org.id, page).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let framework = framework_by_id(&tx, row.framework_id).await?;
            let holder = tx
                .account(&row.holder_id)
                .await?
                .ok_or_else(|| ServiceError::internal("evidence names a missing account"))?;
            let statement_text = framework
                .framework
                .statement(&row.statement_code)
                .map(|s| s.text.clone())
                .unwrap_or_default();
            out.push(QueueItem {
                evidence: evidence_view(row, &framework, Some(org)),
                holder_name: holder.display_name,
                holder_email: holder.email,
                statement_text,
                attachments: tx
                    .attachments_of(&row.id)
                    .await?
                    .iter()
                    .map(attachment_view)
                    .collect(),
            });
        }
        Ok(out)
    }
}

impl CallerDesk<'_> {
    /// Attests or rejects submitted evidence. Only an assessor of the organisation it was
    /// submitted to may decide; the decision is appended to the history.
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), id = %id))]
    pub async fn decide_evidence(
        &self,
        id: &EvidenceId,
        input: DecisionInput,
    ) -> Result<EvidenceDetail, ServiceError> {
        let actor = &self.actor;
        let now = self.now();
        let tx = self.store.write().await?;
        let Some(mut row) = tx.evidence(id).await? else {
            return Err(not_found(id));
        };
        let org = match &row.org_id {
            Some(org_id) => tx.org(org_id).await?,
            None => None,
        };
        let Some(org) = org else {
            // Never submitted: only its holder knows it exists.
            return Err(if actor.account_id() == Some(&row.holder_id) {
                ServiceError::Conflict("Only submitted evidence can be decided.".into())
            } else if actor.is_anonymous() {
                actor.holder().err().unwrap_or_else(|| not_found(id))
            } else {
                not_found(id)
            });
        };
        let assessor = actor.assessor(&org)?;
        if assessor.0.account_id.as_ref() == Some(&row.holder_id) {
            return Err(ServiceError::Forbidden(
                "You may not assess your own evidence: another assessor must decide.".into(),
            ));
        }
        if row.status != EvidenceStatus::Submitted {
            return Err(ServiceError::Conflict(format!(
                "Only submitted evidence can be decided; this evidence is {}.",
                row.status
            )));
        }
        let framework = framework_by_id(&tx, row.framework_id).await?;
        let comment = optional_text(input.comment.as_deref(), "/comment", MAX_COMMENT_CHARS)?;
        let (status, level) = decision_of(&input, &framework.framework, &row, comment.is_some())?;
        let decision = match status {
            EvidenceStatus::Attested => "attested",
            _ => "rejected",
        };
        row.status = status;
        row.level_confirmed = level.clone();
        row.updated_at = now;
        tx.update_evidence(row.clone()).await?;
        tx.insert_decision(NewDecision {
            evidence_id: row.id.clone(),
            actor_id: assessor.0.account_id.clone(),
            decision: decision.into(),
            level: level.as_ref().map(LevelCode::to_string),
            comment: comment.clone(),
            decided_at: now,
        })
        .await?;
        audit(
            &tx,
            now,
            &assessor.0.label,
            &format!(
                "evidence.{}",
                if level.is_some() { "attest" } else { "reject" }
            ),
            Some(&org.id),
            &format!("evidence:{}", row.id),
            json!({"level": level, "claimed": row.level_claimed, "comment": comment}),
        )
        .await?;
        self.notify_decided(
            &tx,
            &row,
            level.is_some(),
            comment.as_deref(),
            &org.name,
            now,
        )
        .await?;
        let detail = self.detail(&tx, &row).await?;
        tx.commit().await?;
        Ok(detail)
    }
}

/// The state and confirmed level a decision gives, or why it is refused.
fn decision_of(
    input: &DecisionInput,
    framework: &Framework,
    row: &EvidenceRow,
    has_comment: bool,
) -> Result<(EvidenceStatus, Option<LevelCode>), ServiceError> {
    Ok(match input.decision.trim() {
        "attest" => {
            let level = input
                .level
                .as_deref()
                .ok_or_else(|| ServiceError::invalid("/level", "Give the level you confirm."))?;
            let level = check_level(framework, &row.statement_code, level, "/level")?;
            let claimed = row.level_claimed.clone();
            if !framework.satisfies(&claimed, &level) {
                return Err(ServiceError::invalid(
                    "/level",
                    format!("The confirmed level may not be above the level claimed ({claimed})."),
                ));
            }
            (EvidenceStatus::Attested, Some(level))
        }
        "reject" => {
            if input.level.is_some() {
                return Err(ServiceError::invalid(
                    "/level",
                    "A rejection confirms no level.",
                ));
            }
            if !has_comment {
                return Err(ServiceError::invalid(
                    "/comment",
                    "Say why the evidence is rejected.",
                ));
            }
            (EvidenceStatus::Rejected, None)
        }
        _ => {
            return Err(ServiceError::invalid(
                "/decision",
                "The decision must be 'attest' or 'reject'.",
            ))
        }
    })
}
