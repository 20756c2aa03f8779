//! An issuer's import of completions (a CSV of holders who completed a pathway elsewhere),
//! recorded as attested evidence.

use chrono::{DateTime, Utc};
use credence_documents::csv_input::CompletionRecord;

use super::*;

impl IssuerDesk<'_> {
    /// Imports a provider's completion records (CSV) as attested course-completion
    /// evidence, one transaction for the whole file. A row already imported (same
    /// organisation, reference, e-mail and statement) is reported as a duplicate and
    /// changes nothing; a row naming an e-mail without an account is refused.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn import_completions(
        &self,
        framework: Option<&str>,
        csv: &str,
    ) -> Result<CompletionImportReport, ServiceError> {
        let issuer = &self.issuer;
        let org = &issuer.0.org;
        if org.kind != OrgKind::Provider {
            return Err(ServiceError::Forbidden(format!(
                "Only an education provider may import completion records; {} is not one.",
                org.slug
            )));
        }
        // Only an accredited provider's records become attested evidence: it must hold a
        // standing accreditation from a body this installation trusts.
        if !self.is_accredited(&org.id).await? {
            return Err(ServiceError::Forbidden(format!(
                "{} holds no standing accreditation from a trusted accrediting body, so its completion records cannot be imported.",
                org.slug
            )));
        }
        let now = self.now();
        let records = parse_completion_records(csv, now.date_naive())
            .map_err(|e| ServiceError::invalid("", e.to_string()))?;
        let tx = self.store.write().await?;
        let loaded = self.completions_framework(&tx, framework).await?;
        let mut rows = Vec::with_capacity(records.len());
        for result in records {
            let report = match &result.outcome {
                Ok(record) => self.import_record(&tx, &loaded, record, now).await?,
                Err(problems) => (
                    "refused",
                    problems.iter().map(ToString::to_string).collect(),
                    None,
                ),
            };
            let (outcome, messages, evidence_id) = report;
            rows.push(ImportRowReport {
                row: result.row,
                outcome,
                messages,
                evidence_id,
            });
        }
        let count = |outcome: &str| rows.iter().filter(|r| r.outcome == outcome).count();
        let (imported, duplicates, refused) =
            (count("imported"), count("duplicate"), count("refused"));
        audit(
            &tx,
            now,
            &issuer.0.label,
            "evidence.import",
            Some(&org.id),
            &format!("org:{}", org.slug),
            json!({
                "framework": loaded.slug,
                "version": loaded.version,
                "imported": imported,
                "duplicates": duplicates,
                "refused": refused,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(CompletionImportReport {
            framework: loaded.slug,
            framework_version: loaded.version,
            imported,
            duplicates,
            refused,
            rows,
        })
    }

    /// The framework of a completion-record file: the one named, or the only one stored.
    async fn completions_framework(
        &self,
        tx: &Tx,
        framework: Option<&str>,
    ) -> Result<LoadedFramework, ServiceError> {
        match framework {
            Some(slug) => framework_by_slug(tx, slug, None).await?,
            None => {
                let slugs: std::collections::BTreeSet<String> = self
                    .store
                    .list_frameworks()
                    .await?
                    .into_iter()
                    .map(|f| f.slug)
                    .collect();
                match slugs.iter().next() {
                    Some(only) if slugs.len() == 1 => framework_by_slug(tx, only, None).await?,
                    _ => {
                        return Err(ServiceError::invalid(
                            "/framework",
                            "Name the framework of the records (?framework=slug).",
                        ))
                    }
                }
            }
        }
        .ok_or_else(|| ServiceError::invalid("/framework", "No such framework is stored."))
    }

    /// Imports one well-formed completion record as attested evidence, unless its holder
    /// has no account, its level does not fit the statement or it was imported before:
    /// the row's outcome, its messages and the evidence it names.
    async fn import_record(
        &self,
        tx: &Tx,
        loaded: &LoadedFramework,
        record: &CompletionRecord,
        now: DateTime<Utc>,
    ) -> Result<(&'static str, Vec<String>, Option<EvidenceId>), ServiceError> {
        let issuer = &self.issuer;
        let org = &issuer.0.org;
        let account = match Email::new(&record.email) {
            Ok(email) => tx.account_by_email(email.as_str()).await?,
            Err(_) => None,
        };
        let Some(account) = account else {
            return Ok((
                "refused",
                vec![format!(
                    "email: No account has the e-mail address {}; the person must create one first.",
                    record.email
                )],
                None,
            ));
        };
        let level = match check_level(
            &loaded.framework,
            &record.statement,
            record.level.as_str(),
            "/level",
        ) {
            Ok(level) => level,
            Err(ServiceError::Invalid(problems)) => {
                return Ok((
                    "refused",
                    problems
                        .0
                        .iter()
                        .map(|p| format!("{}: {}", p.pointer.trim_start_matches('/'), p.message))
                        .collect(),
                    None,
                ));
            }
            Err(other) => return Err(other),
        };
        if let Some(existing) = tx
            .imported_evidence(
                &org.id,
                &record.reference,
                &account.id,
                record.statement.as_str(),
            )
            .await?
        {
            return Ok((
                "duplicate",
                vec!["Already imported.".into()],
                Some(existing.id),
            ));
        }
        let row = EvidenceRow {
            id: EvidenceId::random(),
            holder_id: account.id.clone(),
            framework_id: loaded.id,
            statement_code: record.statement.clone(),
            level_claimed: level.clone(),
            kind: EvidenceKind::CourseCompletion,
            narrative: format!(
                "Completion recorded by {} (reference {}).",
                org.name, record.reference
            ),
            occurred_on: record.date,
            provider: Some(org.name.clone()),
            org_id: Some(org.id.clone()),
            status: EvidenceStatus::Attested,
            level_confirmed: Some(level.clone()),
            source: "import".into(),
            external_ref: Some(record.reference.clone()),
            public: false,
            created_at: now,
            updated_at: now,
            product_version_id: None,
        };
        tx.insert_evidence(row.clone()).await?;
        tx.insert_decision(NewDecision {
            evidence_id: row.id.clone(),
            actor_id: issuer.0.account_id.clone(),
            decision: "attested".into(),
            level: Some(level.as_str().to_owned()),
            comment: Some(format!("Imported from {}'s completion records.", org.name)),
            decided_at: now,
        })
        .await?;
        Ok(("imported", Vec::new(), Some(row.id)))
    }
}
