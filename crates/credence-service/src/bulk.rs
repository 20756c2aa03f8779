//! Bulk awards: a CSV or JSON file of rows, each awarded like a single award (idempotent per
//! row key), processed in batches of [`BATCH_ROWS`] rows per transaction with one opened
//! signer and batch queries, and a per-row report (awarded, existing, refused).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::{BulkJobState, BulkRowOutcome, Email};
use credence_domain::{BulkJobId, FormProblems};
use credence_store::registry::{AwardRow, BulkJobRow, BulkRowRow, NewAuditEntry, Page};
use serde::Serialize;
use serde_json::json;

use crate::actor::{Actor, Issuer};
use crate::awards::{free_indices_besides, taken_meanwhile, AwardContext, AwardPlan};
use crate::desks::{CallerDesk, IssuerDesk};
use crate::metrics::IssuedVia;
use crate::registry::{audit, audit_entry, Registry};
use crate::ServiceError;
use credence_documents::{parse_bulk_awards, BulkAwardRow, BulkFormat, RowResult};

/// Rows per transaction.
pub const BATCH_ROWS: usize = 200;
/// How many times a batch is retried when a status index was taken meanwhile.
const MAX_ATTEMPTS: usize = 5;

/// A bulk job's progress.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct BulkJobView {
    #[schema(value_type = String)]
    pub id: BulkJobId,
    pub org_id: String,
    pub achievement_id: String,
    pub total: i64,
    /// Rows processed, whatever their outcome.
    pub done: i64,
    pub refused: i64,
    /// `running`, `finished` or `failed` (which includes a job interrupted by the end of
    /// the process working on it: the rows reported so far are complete, the rest absent).
    #[schema(value_type = String)]
    pub state: BulkJobState,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// One row's outcome.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct BulkRowView {
    pub row: i64,
    pub key: String,
    /// `awarded`, `existing` or `refused`.
    #[schema(value_type = String)]
    pub outcome: BulkRowOutcome,
    pub award_id: Option<String>,
    pub message: Option<String>,
}

/// A created job and the rows it has to process.
#[derive(Debug)]
pub struct BulkWork {
    pub job: BulkJobView,
    issuer: Issuer,
    achievement: String,
    rows: Vec<RowResult<BulkAwardRow>>,
}

/// A batch read and signed, not yet written.
struct SignedBatch {
    /// Rows in the batch, whatever their outcome.
    rows: usize,
    report: Vec<BulkRowRow>,
    awards: Vec<AwardRow>,
    entries: Vec<NewAuditEntry>,
    read: std::time::Duration,
    signed: std::time::Duration,
}

/// A batch being written by a task of its own.
struct Writing<'b> {
    batch: &'b [RowResult<BulkAwardRow>],
    /// The status indices its awards hold, which the next batch must not choose.
    indices: Vec<(i64, i64)>,
    task: tokio::task::JoinHandle<Result<(i64, i64), ServiceError>>,
}

/// A background task stopped when its handle is dropped (also when the job's future is).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn job_view(row: &BulkJobRow, now: DateTime<Utc>) -> BulkJobView {
    let interrupted =
        row.state == BulkJobState::Running && row.lease_until.is_none_or(|until| until < now);
    BulkJobView {
        id: row.id.clone(),
        org_id: row.org_id.clone(),
        achievement_id: row.achievement_id.clone(),
        total: row.total,
        done: row.done,
        refused: row.refused,
        state: if interrupted {
            BulkJobState::Failed
        } else {
            row.state
        },
        created_at: row.created_at.to_rfc3339(),
        finished_at: row.finished_at.map(|t| t.to_rfc3339()),
    }
}

fn row_view(r: BulkRowRow) -> BulkRowView {
    BulkRowView {
        row: r.row_no,
        key: r.idempotency_key,
        outcome: r.outcome,
        award_id: r.award_id.map(String::from),
        message: r.message,
    }
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
    /// How long a running job's lease lasts past each renewal.
    fn lease(&self) -> Duration {
        Duration::seconds(self.config.bulk_job_lease_secs)
    }
}

impl IssuerDesk<'_> {
    /// Parses a bulk file and records the job; [`Registry::run_bulk_job`] processes it.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, achievement = %achievement))]
    pub async fn create_bulk_job(
        &self,
        achievement: &str,
        text: &str,
        format: BulkFormat,
    ) -> Result<BulkWork, ServiceError> {
        let issuer = &self.issuer;
        // The file and the achievement are both checked before either is refused.
        let mut problems = FormProblems::new();
        let rows = problems.take("/file", parse_bulk_awards(text, format), |e| e.to_string());
        let now = self.now();
        let tx = self.store.write().await?;
        // Checks the achievement belongs to the organisation (and opens the key once early,
        // so a broken key is reported now rather than in the background).
        let ctx = if achievement.trim().is_empty() {
            problems.add("/achievement", "Choose the achievement to award.");
            None
        } else {
            match self
                .award_context(&tx, issuer, achievement, "/achievement")
                .await
            {
                Ok(ctx) => Some(ctx),
                Err(ServiceError::Invalid(found)) => {
                    for p in found.0 {
                        problems.add(&p.pointer, p.message);
                    }
                    None
                }
                Err(e) => return Err(e),
            }
        };
        problems.finish().map_err(ServiceError::Invalid)?;
        let (Some(rows), Some(ctx)) = (rows, ctx) else {
            return Err(ServiceError::internal("a checked bulk field is missing"));
        };
        let row = BulkJobRow {
            id: BulkJobId::random(),
            org_id: issuer.0.org.id.clone(),
            achievement_id: ctx.achievement.id.clone(),
            created_by: issuer.0.label.clone(),
            total: i64::try_from(rows.len()).unwrap_or(i64::MAX),
            done: 0,
            refused: 0,
            state: BulkJobState::Running,
            created_at: now,
            finished_at: None,
            lease_until: Some(now + self.lease()),
        };
        tx.insert_bulk_job(row.clone()).await?;
        audit(
            &tx,
            now,
            &issuer.0.label,
            "bulk.create",
            Some(&issuer.0.org.id),
            &format!("bulk:{}", row.id),
            json!({"achievement": row.achievement_id, "rows": row.total}),
        )
        .await?;
        tx.commit().await?;
        Ok(BulkWork {
            job: job_view(&row, now),
            issuer: issuer.clone(),
            achievement: ctx.achievement.id,
            rows,
        })
    }

    /// Creates a job and processes it in a background task; returns at once.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, achievement = %achievement))]
    pub async fn start_bulk_awards(
        &self,
        achievement: &str,
        text: &str,
        format: BulkFormat,
    ) -> Result<BulkJobView, ServiceError> {
        let work = self.create_bulk_job(achievement, text, format).await?;
        let job = work.job.clone();
        let registry = Registry::clone(self);
        tokio::spawn(async move {
            let id = work.job.id.clone();
            if let Err(e) = registry
                .with_issuer(&work.issuer)
                .run_bulk_job(work, &|_, _| {})
                .await
            {
                tracing::error!(job = %id, error = %e, "bulk award job failed");
            }
        });
        Ok(job)
    }

    /// Processes a job's rows, calling `progress(done, total)` after each batch.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn run_bulk_job(
        &self,
        work: BulkWork,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<BulkJobView, ServiceError> {
        let _ = self.config.canonicalizer.warm_up();
        let total = work.rows.len() as u64;
        let mut done = 0i64;
        let mut refused_count = 0i64;
        // Keeps the job's lease ahead of now while it runs, whatever a batch waits for.
        let renewer = {
            let (registry, id) = (Registry::clone(self), work.job.id.clone());
            // Four renewals a lease, so one slow renewal does not let it pass.
            let every = u64::try_from(self.config.bulk_job_lease_secs / 4).unwrap_or(1);
            AbortOnDrop(tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(every.max(1)));
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let until = registry.now() + registry.lease();
                    let renewed = async {
                        let tx = registry.store.write().await?;
                        tx.renew_bulk_lease(&id, until).await?;
                        tx.commit().await
                    }
                    .await;
                    if let Err(e) = renewed {
                        tracing::warn!(job = %id, error = %e, "could not renew a bulk job's lease");
                    }
                }
            }))
        };
        let result = async {
            // The achievement, framework and opened signer, once for the whole job.
            let ctx = {
                let tx = self.store.read().await?;
                self.award_context(&tx, &work.issuer, &work.achievement, "/achievement")
                    .await?
            };
            // A pipeline of two: while one batch is written (in a task of its own), the next
            // is read and signed here. Batches are written one after the other, in order.
            let mut writing: Option<Writing<'_>> = None;
            for batch in work.rows.chunks(BATCH_ROWS) {
                let in_flight = writing.as_ref().map_or(&[][..], |w| &w.indices[..]);
                let signed = self.sign_batch(&work, &ctx, batch, in_flight).await;
                if let Some(previous) = writing.take() {
                    let counts = self
                        .settle(&work, &ctx, previous, done, refused_count)
                        .await?;
                    done += counts.0;
                    refused_count += counts.1;
                    progress(u64::try_from(done).unwrap_or_default(), total);
                }
                let signed = match signed {
                    Ok(signed) => signed,
                    // Retried on its own once the batch before is written.
                    Err(ServiceError::Conflict(_)) => {
                        self.sign_batch(&work, &ctx, batch, &[]).await?
                    }
                    Err(e) => return Err(e),
                };
                writing = Some(self.start_writing(&work, batch, signed, done, refused_count));
            }
            if let Some(last) = writing.take() {
                let counts = self.settle(&work, &ctx, last, done, refused_count).await?;
                done += counts.0;
                refused_count += counts.1;
                progress(u64::try_from(done).unwrap_or_default(), total);
            }
            Ok::<(), ServiceError>(())
        }
        .await;
        drop(renewer);
        let now = self.now();
        let state = if result.is_ok() {
            BulkJobState::Finished
        } else {
            BulkJobState::Failed
        };
        let tx = self.store.write().await?;
        tx.update_bulk_job(&work.job.id, done, refused_count, state, Some(now))
            .await?;
        let row = tx
            .bulk_job(&work.job.id)
            .await?
            .ok_or_else(|| ServiceError::internal("bulk job vanished"))?;
        tx.commit().await?;
        result?;
        Ok(job_view(&row, now))
    }
}

impl Registry {
    /// Reads and signs one batch, choosing status indices other than `in_flight` (those of
    /// the batch being written meanwhile). Nothing is written: [`Registry::write_batch`]
    /// writes the outcome in one transaction, whose unique constraints catch an index or a
    /// key taken meanwhile by anyone else (the batch is then read and signed again).
    async fn sign_batch(
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
        let mut report: Vec<BulkRowRow> = Vec::with_capacity(batch.len());
        let mut candidates: Vec<(usize, &BulkAwardRow, Email)> = Vec::new();
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
        let holder_ids: Vec<String> = accounts.values().map(|a| a.id.clone()).collect();
        let mut evidence_by_holder: HashMap<String, Vec<_>> = HashMap::new();
        for e in tx
            .attested_evidence_of_holders(&holder_ids, ctx.achievement.framework_id)
            .await?
        {
            evidence_by_holder
                .entry(e.holder_id.clone())
                .or_default()
                .push(e);
        }
        let mut indices = free_indices_besides(&tx, org_id, candidates.len(), in_flight)
            .await?
            .into_iter();
        // The rows to sign, in file order; the rest are reported now.
        let mut to_sign: Vec<(usize, &BulkAwardRow, AwardPlan<'_>, (i64, i64))> = Vec::new();
        for (row_no, award, email) in &candidates {
            if let Some(found) = existing.get(&award.key) {
                report.push(BulkRowRow {
                    job_id: job.clone(),
                    row_no: i64::try_from(*row_no).unwrap_or(i64::MAX),
                    idempotency_key: award.key.clone(),
                    outcome: BulkRowOutcome::Existing,
                    award_id: Some(found.id.clone()),
                    message: None,
                });
                continue;
            }
            let Some(account) = accounts.get(email.as_str()) else {
                report.push(refused(
                    job,
                    *row_no,
                    &award.key,
                    format!("No account has the e-mail address {email}."),
                ));
                continue;
            };
            let plan = AwardPlan {
                account,
                evidence: evidence_by_holder
                    .get(&account.id)
                    .map(|v| v.iter().collect())
                    .unwrap_or_default(),
                name: award.name.as_deref(),
                override_justification: award.override_justification.as_deref(),
                valid_from: award.valid_from.unwrap_or(now),
                renews: None,
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
                    report.push(BulkRowRow {
                        job_id: job.clone(),
                        row_no: i64::try_from(*row_no).unwrap_or(i64::MAX),
                        idempotency_key: award.key.clone(),
                        outcome: BulkRowOutcome::Awarded,
                        award_id: Some(row.id.clone()),
                        message: None,
                    });
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
            .map(|award| {
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
                        "bulk_job": job,
                    }),
                )
            })
            .collect();
        Ok(SignedBatch {
            rows: batch.len(),
            report,
            awards,
            entries,
            read,
            signed: started.elapsed() - read,
        })
    }

    /// Writes a signed batch (the awards, their audit entries, the batch's report and the
    /// job's progress) in one transaction in a task of its own, so that the next batch can
    /// be signed meanwhile.
    fn start_writing<'b>(
        &self,
        work: &BulkWork,
        batch: &'b [RowResult<BulkAwardRow>],
        signed: SignedBatch,
        done_before: i64,
        refused_before: i64,
    ) -> Writing<'b> {
        let indices = signed
            .awards
            .iter()
            .map(|a| (a.revocation_index, a.suspension_index))
            .collect();
        let (registry, job) = (self.clone(), work.job.id.clone());
        let task = tokio::spawn(async move {
            registry
                .write_batch(&job, signed, done_before, refused_before)
                .await
        });
        Writing {
            batch,
            indices,
            task,
        }
    }

    /// Waits for a batch's writing; when an index or key was taken meanwhile, reads, signs
    /// and writes the batch again (up to [`MAX_ATTEMPTS`] times in all). Returns (rows done,
    /// rows refused).
    async fn settle(
        &self,
        work: &BulkWork,
        ctx: &AwardContext,
        writing: Writing<'_>,
        done_before: i64,
        refused_before: i64,
    ) -> Result<(i64, i64), ServiceError> {
        let mut outcome = writing
            .task
            .await
            .map_err(ServiceError::wrap("writing a bulk batch"))?;
        let mut attempt = 1;
        loop {
            match outcome {
                Err(ServiceError::Conflict(_)) if attempt < MAX_ATTEMPTS => {
                    attempt += 1;
                    outcome = match self.sign_batch(work, ctx, writing.batch, &[]).await {
                        Ok(signed) => {
                            self.write_batch(&work.job.id, signed, done_before, refused_before)
                                .await
                        }
                        Err(e) => Err(e),
                    };
                }
                other => return other,
            }
        }
    }

    /// One signed batch in one transaction; returns (rows done, rows refused).
    async fn write_batch(
        &self,
        job: &BulkJobId,
        signed: SignedBatch,
        done_before: i64,
        refused_before: i64,
    ) -> Result<(i64, i64), ServiceError> {
        let started = std::time::Instant::now();
        let SignedBatch {
            rows,
            mut report,
            awards,
            entries,
            read,
            signed,
        } = signed;
        let tx = self.store.write().await?;
        let now = self.now();
        tx.append_audit_many(entries).await?;
        let issued = u64::try_from(awards.len()).unwrap_or(u64::MAX);
        tx.insert_awards(awards).await.map_err(taken_meanwhile)?;
        report.sort_by_key(|r| r.row_no);
        let done = i64::try_from(report.len()).unwrap_or(i64::MAX);
        let refused_now = i64::try_from(
            report
                .iter()
                .filter(|r| r.outcome == BulkRowOutcome::Refused)
                .count(),
        )
        .unwrap_or(i64::MAX);
        tx.insert_bulk_rows(report).await?;
        tx.update_bulk_job(
            job,
            done_before + done,
            refused_before + refused_now,
            BulkJobState::Running,
            None,
        )
        .await?;
        tx.renew_bulk_lease(job, now + self.lease()).await?;
        let written = started.elapsed();
        tx.commit().await?;
        tracing::debug!(
            job = %job,
            rows,
            read_ms = read.as_millis(),
            signed_ms = signed.as_millis(),
            written_ms = written.as_millis(),
            committed_ms = (started.elapsed() - written).as_millis(),
            "bulk batch"
        );
        self.metrics.awards_issued(IssuedVia::Bulk, issued);
        Ok((done, refused_now))
    }

    async fn bulk_job_row(
        &self,
        actor: &Actor,
        id: &BulkJobId,
    ) -> Result<BulkJobRow, ServiceError> {
        let tx = self.store.read().await?;
        let job = tx
            .bulk_job(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("bulk job '{id}'")))?;
        let org = tx
            .org(&job.org_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a bulk job names a missing org"))?;
        actor.issuer(&org)?;
        Ok(job)
    }
}

impl CallerDesk<'_> {
    /// A job's progress (issuers of its organisation).
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id(), id = %id))]
    pub async fn bulk_job(&self, id: &BulkJobId) -> Result<BulkJobView, ServiceError> {
        let actor = &self.actor;
        Ok(job_view(&self.bulk_job_row(actor, id).await?, self.now()))
    }
}

impl IssuerDesk<'_> {
    /// The organisation's bulk jobs, newest first (issuers).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug))]
    pub async fn org_bulk_jobs(&self, page: Page) -> Result<Vec<BulkJobView>, ServiceError> {
        let issuer = &self.issuer;
        let tx = self.store.read().await?;
        let now = self.now();
        Ok(tx
            .bulk_jobs_of_org(&issuer.0.org.id, page)
            .await?
            .iter()
            .map(|row| job_view(row, now))
            .collect())
    }

    /// A job's per-row report, for an issuer already established (the command line).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, id = %id))]
    pub async fn bulk_rows_of(
        &self,
        id: &BulkJobId,
        page: Page,
    ) -> Result<Vec<BulkRowView>, ServiceError> {
        self.bulk_rows_where(id, false, page).await
    }

    /// A page of a job's rows, only the refused ones when `refused_only` (issuers).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, id = %id))]
    pub async fn bulk_rows_where(
        &self,
        id: &BulkJobId,
        refused_only: bool,
        page: Page,
    ) -> Result<Vec<BulkRowView>, ServiceError> {
        let issuer = &self.issuer;
        let tx = self.store.read().await?;
        let job = tx
            .bulk_job(id)
            .await?
            .filter(|j| j.org_id == issuer.0.org.id)
            .ok_or_else(|| ServiceError::NotFound(format!("bulk job '{id}'")))?;
        Ok(tx
            .bulk_rows_with(
                &job.id,
                refused_only.then_some(BulkRowOutcome::Refused),
                page,
            )
            .await?
            .into_iter()
            .map(row_view)
            .collect())
    }
}

impl CallerDesk<'_> {
    /// A job's per-row report, in file order (issuers of its organisation).
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id(), id = %id))]
    pub async fn bulk_rows(
        &self,
        id: &BulkJobId,
        page: Page,
    ) -> Result<Vec<BulkRowView>, ServiceError> {
        let actor = &self.actor;
        let job = self.bulk_job_row(actor, id).await?;
        let tx = self.store.read().await?;
        Ok(tx
            .bulk_rows(&job.id, page)
            .await?
            .into_iter()
            .map(row_view)
            .collect())
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
