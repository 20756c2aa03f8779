//! A holder's attachments to a piece of evidence, and who may download them (its holder and
//! the assessors of the organisation it was submitted to).

use super::*;

impl HolderDesk<'_> {
    /// Attaches a file to a draft. `media_type` is the request's `Content-Type` (its
    /// parameters are ignored).
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id, id = %id))]
    pub async fn add_attachment(
        &self,
        id: &EvidenceId,
        file_name: &str,
        media_type: Option<&str>,
        content: Vec<u8>,
    ) -> Result<AttachmentView, ServiceError> {
        let holder = &self.holder;
        let file_name = check_file_name(file_name)?;
        let media_type = media_type
            .and_then(|m| m.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| ATTACHMENT_TYPES.contains(&m.as_str()))
            .ok_or_else(|| {
                ServiceError::invalid(
                    "/content-type",
                    format!(
                        "An attachment must be sent with one of the types {}.",
                        ATTACHMENT_TYPES.join(", ")
                    ),
                )
            })?;
        if content.is_empty() {
            return Err(ServiceError::invalid("/content", "The file is empty."));
        }
        if content.len() > MAX_ATTACHMENT_BYTES {
            return Err(ServiceError::invalid(
                "/content",
                format!("An attachment may have at most {MAX_ATTACHMENT_BYTES} bytes."),
            ));
        }
        let now = self.now();
        let tx = self.store.write().await?;
        let row = self.own_evidence(&tx, holder, id).await?;
        require_draft(&row, "given attachments")?;
        let quota = self.config.quotas.attachment_bytes;
        if quota > 0 {
            let used = tx
                .usage_of_holder(&holder.account_id)
                .await?
                .attachment_bytes;
            let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
            if used.saturating_add(size) > quota {
                return Err(ServiceError::QuotaExceeded(format!(
                    "This file ({}) would take your attachments past the {} one account may keep here ({} used). Delete attachments you no longer need, or ask the operator of this Credence for more room.",
                    human_bytes(size),
                    human_bytes(quota),
                    human_bytes(used)
                )));
            }
        }
        if tx.count_attachments(&row.id).await? >= MAX_ATTACHMENTS {
            return Err(ServiceError::invalid(
                "/content",
                format!("A piece of evidence may have at most {MAX_ATTACHMENTS} attachments."),
            ));
        }
        let size = i64::try_from(content.len())
            .map_err(|_| ServiceError::internal("attachment size overflow"))?;
        let attachment = AttachmentRow {
            id: AttachmentId::random(),
            evidence_id: row.id.clone(),
            file_name,
            media_type,
            size,
            sha256: hex::encode(Sha256::digest(&content)),
            content,
            created_at: now,
        };
        let meta = AttachmentMeta {
            id: attachment.id.clone(),
            evidence_id: attachment.evidence_id.clone(),
            file_name: attachment.file_name.clone(),
            media_type: attachment.media_type.clone(),
            size,
            sha256: attachment.sha256.clone(),
            created_at: now,
        };
        tx.insert_attachment(attachment).await?;
        audit(
            &tx,
            now,
            &holder.label,
            "evidence.attach",
            None,
            &format!("evidence:{}", row.id),
            json!({"attachment": meta.id, "file_name": meta.file_name, "sha256": meta.sha256, "size": size}),
        )
        .await?;
        tx.commit().await?;
        Ok(attachment_view(&meta))
    }
}

impl CallerDesk<'_> {
    /// An attachment's content, for the evidence's holder or an assessor of the
    /// organisation it was submitted to; anyone else is told it does not exist.
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), evidence_id = %evidence_id, attachment_id = %attachment_id))]
    pub async fn attachment_download(
        &self,
        evidence_id: &EvidenceId,
        attachment_id: &AttachmentId,
    ) -> Result<Download, ServiceError> {
        let actor = &self.actor;
        if actor.is_anonymous() {
            return Err(ServiceError::Unauthenticated(
                "Sign in, or send an API token, to download attachments.".into(),
            ));
        }
        let tx = self.store.read().await?;
        let row = tx
            .evidence(evidence_id)
            .await?
            .ok_or_else(|| not_found(evidence_id))?;
        let is_holder = actor.account_id() == Some(&row.holder_id);
        let is_assessor = match &row.org_id {
            Some(org_id) if !is_holder => match tx.org(org_id).await? {
                Some(org) => actor.assessor(&org).is_ok(),
                None => false,
            },
            _ => false,
        };
        if !is_holder && !is_assessor {
            return Err(not_found(evidence_id));
        }
        let attachment = tx
            .attachment(attachment_id)
            .await?
            .filter(|a| a.evidence_id == row.id)
            .ok_or_else(|| ServiceError::NotFound(format!("attachment '{attachment_id}'")))?;
        Ok(Download {
            file_name: attachment.file_name,
            media_type: attachment.media_type,
            content: attachment.content,
        })
    }
}
