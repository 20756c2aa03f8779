//! One batch of a bulk job read and signed: its rows sorted, what they depend on read in
//! one go, the awards signed in parallel, and the report and audit entries made ready for
//! the writer.

use credence_domain::{AccountId, AwardId, OrgId};

use super::*;

/// A batch read and signed, not yet written.
pub(super) struct SignedBatch {
    /// Rows in the batch, whatever their outcome.
    pub(super) rows: usize,
    pub(super) report: Vec<BulkRowRow>,
    pub(super) awards: Vec<AwardRow>,
    pub(super) entries: Vec<NewAuditEntry>,
    /// The achievement's and the organisation's names, for the messages.
    pub(super) names: (String, String),
    /// The accounts the batch's awards went straight to, each with its award: they are
    /// told, as for a single award.
    pub(super) holders: Vec<(AwardId, AccountRow)>,
    pub(super) read: std::time::Duration,
    pub(super) signed: std::time::Duration,
}

fn refused(job: &BulkJobId, row: usize, key: &str, message: String) -> BulkRowRow {
    BulkRowRow {
        job_id: job.clone(),
        row_no: i64::try_from(row).unwrap_or(i64::MAX),
        idempotency_key: key.to_owned(),
        outcome: BulkRowOutcome::Refused,
        award_id: None,
        message: Some(message),
    }
}

/// The report of a row that names an award: the one made, or the one already made with
/// its key.
fn reported(
    job: &BulkJobId,
    row: usize,
    key: &str,
    outcome: BulkRowOutcome,
    award_id: &AwardId,
) -> BulkRowRow {
    BulkRowRow {
        job_id: job.clone(),
        row_no: i64::try_from(row).unwrap_or(i64::MAX),
        idempotency_key: key.to_owned(),
        outcome,
        award_id: Some(award_id.clone()),
        message: None,
    }
}

/// A batch's rows sorted: those the file already refuses (and those whose e-mail address
/// is malformed) reported, the others left to award with their addresses.
fn triage<'b>(
    job: &BulkJobId,
    batch: &'b [RowResult<BulkAwardRow>],
) -> (Vec<BulkRowRow>, Vec<(usize, &'b BulkAwardRow, Email)>) {
    let mut report: Vec<BulkRowRow> = Vec::with_capacity(batch.len());
    let mut candidates = Vec::new();
    for row in batch {
        match &row.outcome {
            Err(problems) => {
                let message = problems
                    .iter()
                    .map(|p| match &p.field {
                        Some(f) => format!("{f}: {}", p.message),
                        None => p.message.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                // The line lets the issuer find the row in the file they sent.
                let message = match row.line {
                    Some(line) => format!("Line {line} of the file: {message}"),
                    None => message,
                };
                let key = row.key.as_deref().unwrap_or("");
                report.push(refused(job, row.row, key, message));
            }
            Ok(award) => match Email::new(&award.email) {
                Ok(email) => candidates.push((row.row, award, email)),
                Err(e) => report.push(refused(job, row.row, &award.key, e.to_string())),
            },
        }
    }
    (report, candidates)
}

/// What a batch's awards depend on, read in one go: the awards already made with the
/// batch's keys, the accounts of its e-mail addresses, and their attested evidence.
struct BatchFacts {
    /// A salt for each candidate, used by an award to an address without a proven
    /// account (its credential hashes the address with it).
    salts: Vec<String>,
    existing: HashMap<String, AwardRow>,
    accounts: HashMap<String, AccountRow>,
    evidence_by_holder: HashMap<AccountId, Vec<EvidenceRow>>,
}

impl BatchFacts {
    async fn read(
        tx: &Tx,
        org_id: &OrgId,
        framework_id: i64,
        candidates: &[(usize, &BulkAwardRow, Email)],
    ) -> Result<Self, ServiceError> {
        let keys: Vec<String> = candidates.iter().map(|(_, a, _)| a.key.clone()).collect();
        let existing: HashMap<String, AwardRow> = tx
            .awards_by_keys(org_id, &keys)
            .await?
            .into_iter()
            .filter_map(|a| Some((a.idempotency_key.clone()?, a)))
            .collect();
        let emails: Vec<String> = candidates
            .iter()
            .filter(|(_, a, _)| !existing.contains_key(&a.key))
            .map(|(_, _, e)| e.as_str().to_owned())
            .collect();
        let accounts: HashMap<String, _> = tx
            .accounts_by_emails(&emails)
            .await?
            .into_iter()
            .map(|a| (a.email.clone(), a))
            .collect();
        let holder_ids: Vec<AccountId> = accounts.values().map(|a| a.id.clone()).collect();
        let mut evidence_by_holder: HashMap<AccountId, Vec<_>> = HashMap::new();
        for e in tx
            .attested_evidence_of_holders(&holder_ids, framework_id)
            .await?
        {
            evidence_by_holder
                .entry(e.holder_id.clone())
                .or_default()
                .push(e);
        }
        Ok(Self {
            salts: candidates
                .iter()
                .map(|_| crate::accounts::random_salt())
                .collect::<Result<_, _>>()?,
            existing,
            accounts,
            evidence_by_holder,
        })
    }
}

impl BatchFacts {
    /// The accounts `awards` went straight to, each with its award.
    fn holders_of(&self, awards: &[AwardRow]) -> Vec<(AwardId, AccountRow)> {
        awards
            .iter()
            .filter(|a| a.holder_id.is_some())
            .filter_map(|a| {
                let account = self.accounts.get(a.recipient_email.as_deref()?)?;
                Some((a.id.clone(), account.clone()))
            })
            .collect()
    }
}

/// The audit entry of an award a bulk job made.
fn issue_entry(
    award: &AwardRow,
    now: DateTime<Utc>,
    label: &str,
    org_id: &OrgId,
    job: &BulkJobId,
) -> NewAuditEntry {
    audit_entry(
        now,
        label,
        "award.issue",
        Some(org_id),
        &format!("award:{}", award.id),
        &json!({
            "achievement": award.achievement_id,
            "holder": award.holder_id,
            "override_justification": award.override_justification,
            "key": award.idempotency_key,
            "renews": award.replaces_award_id,
            "bulk_job": job,
        }),
    )
}

/// `sign(item)` for every item, in order, spread over the machine's cores: signing is
/// nearly all of a bulk award's work, and each signature is independent of the others.
///
/// Threads take the next item as they finish one (not a fixed share each), so that a thread
/// the batch writer preempts does not leave the other waiting at the end of the batch.
fn sign_in_parallel<T: Sync, R: Send>(items: &[T], sign: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    if threads < 2 || items.len() < 2 {
        return items.iter().map(&sign).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, sign(item)));
        }
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads.min(items.len()))
            .map(|_| scope.spawn(work))
            .collect();
        // The calling thread signs too.
        let mut all = work();
        for handle in others {
            match handle.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

impl Registry {
    /// Reads and signs one batch, choosing status indices other than `in_flight` (those of
    /// the batch being written meanwhile). Nothing is written: [`Registry::write_batch`]
    /// writes the outcome in one transaction, whose unique constraints catch an index or a
    /// key taken meanwhile by anyone else (the batch is then read and signed again).
    pub(super) async fn sign_batch(
        &self,
        work: &BulkWork,
        ctx: &AwardContext,
        batch: &[RowResult<BulkAwardRow>],
        in_flight: &[(i64, i64)],
    ) -> Result<SignedBatch, ServiceError> {
        let now = self.now();
        let job = &work.job.id;
        let org_id = &work.issuer.0.org.id;
        let started = std::time::Instant::now();
        let tx = self.store.read().await?;
        let (mut report, candidates) = triage(job, batch);
        let facts =
            BatchFacts::read(&tx, org_id, ctx.achievement.framework_id, &candidates).await?;
        let renewed =
            super::renewals::renewed_awards(&tx, org_id, candidates.iter().map(|c| c.1)).await?;
        let mut indices = free_indices_besides(&tx, org_id, candidates.len(), in_flight)
            .await?
            .into_iter();
        // The rows to sign, in file order; the rest are reported now.
        let mut to_sign: Vec<(usize, &BulkAwardRow, AwardPlan<'_>, (i64, i64))> = Vec::new();
        for ((row_no, award, email), salt) in candidates.iter().zip(&facts.salts) {
            if let Some(found) = facts.existing.get(&award.key) {
                report.push(reported(
                    job,
                    *row_no,
                    &award.key,
                    BulkRowOutcome::Existing,
                    &found.id,
                ));
                continue;
            }
            // An address without a proven account gets the award by a claim.
            let account = facts
                .accounts
                .get(email.as_str())
                .filter(|a| self.address_proven(a));
            let renews = match self.renewal_of(award, &renewed, &work.issuer.0.org.slug) {
                Ok(renews) => renews,
                Err(message) => {
                    report.push(refused(job, *row_no, &award.key, message));
                    continue;
                }
            };
            let plan = AwardPlan {
                recipient: match account {
                    Some(account) => PlanRecipient::account(account),
                    None => PlanRecipient::address(email.as_str(), salt),
                },
                evidence: account
                    .and_then(|a| facts.evidence_by_holder.get(&a.id))
                    .map(|v| v.iter().collect())
                    .unwrap_or_default(),
                name: award.name.as_deref(),
                override_justification: award.override_justification.as_deref(),
                valid_from: award.valid_from.unwrap_or(now),
                renews,
                key: Some(&award.key),
            };
            let pair = indices
                .next()
                .ok_or_else(|| ServiceError::internal("too few status indices"))?;
            to_sign.push((*row_no, award, plan, pair));
        }
        drop(tx);
        let label = &work.issuer.0.label;
        let read = started.elapsed();
        // Only the stored row is kept: the credential's parsed form is dropped where it was
        // made, so a batch does not hold 200 of them at once.
        let prepared = sign_in_parallel(&to_sign, |(_, _, plan, pair)| {
            self.prepare_award(ctx, plan, *pair, label, now)
                .map(|prepared| prepared.row)
        });
        let mut awards: Vec<AwardRow> = Vec::with_capacity(to_sign.len());
        for ((row_no, award, _, _), outcome) in to_sign.iter().zip(prepared) {
            match outcome {
                Ok(row) => {
                    report.push(reported(
                        job,
                        *row_no,
                        &award.key,
                        BulkRowOutcome::Awarded,
                        &row.id,
                    ));
                    awards.push(row);
                }
                Err(Ok(problems)) => {
                    let message = problems
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect::<Vec<_>>()
                        .join(" ");
                    report.push(refused(job, *row_no, &award.key, message));
                }
                Err(Err(e)) => return Err(e),
            }
        }
        let entries = awards
            .iter()
            .map(|award| issue_entry(award, now, label, org_id, job))
            .collect();
        let holders = facts.holders_of(&awards);
        Ok(SignedBatch {
            rows: batch.len(),
            report,
            awards,
            entries,
            names: (ctx.achievement.name.clone(), ctx.org.name.clone()),
            holders,
            read,
            signed: started.elapsed() - read,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::sign_in_parallel;

    /// Every item's result, in the items' order, however unevenly the work falls.
    #[test]
    fn parallel_signing_keeps_the_order() {
        let items: Vec<u64> = (0..500).collect();
        let out = sign_in_parallel(&items, |i| {
            if i % 97 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            i * 3
        });
        assert_eq!(out, items.iter().map(|i| i * 3).collect::<Vec<_>>());
        assert_eq!(sign_in_parallel(&[7_u64], |i| i + 1), vec![8]);
        assert!(sign_in_parallel(&[] as &[u64], |i| *i).is_empty());
    }
}
