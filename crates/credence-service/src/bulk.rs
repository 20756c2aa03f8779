//! Bulk awards: a CSV or JSON file of rows, each awarded like a single award (idempotent per
//! row key), processed in batches of [`BATCH_ROWS`] rows per transaction with one opened
//! signer and batch queries, and a per-row report (awarded, existing, refused).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::{BulkJobState, BulkRowOutcome, Email, NotificationKind};
use credence_domain::{AchievementId, BulkJobId, FormProblems, OrgId};
use credence_store::registry::{
    AccountRow, AwardRow, BulkJobRow, BulkRowRow, EvidenceRow, NewAuditEntry, Page,
};
use credence_store::Tx;
use serde::Serialize;
use serde_json::json;

use crate::actor::{Actor, Issuer};
use crate::awards::{
    free_indices_besides, taken_meanwhile, AwardContext, AwardPlan, PlanRecipient,
};
use crate::desks::{CallerDesk, IssuerDesk};
use crate::metrics::IssuedVia;
use crate::registry::{audit, audit_entry, Registry};
use crate::ServiceError;
use credence_documents::{parse_bulk_awards, BulkAwardRow, BulkFormat, RowResult};

mod batch;
mod renewals;

use batch::SignedBatch;

/// Rows per transaction.
pub const BATCH_ROWS: usize = 200;
/// How many times a batch is retried when a status index was taken meanwhile.
const MAX_ATTEMPTS: usize = 5;

/// A bulk job's progress.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct BulkJobView {
    #[schema(value_type = String)]
    pub id: BulkJobId,
    #[schema(value_type = String)]
    pub org_id: OrgId,
    #[schema(value_type = String)]
    pub achievement_id: AchievementId,
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
    achievement: AchievementId,
    rows: Vec<RowResult<BulkAwardRow>>,
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
                self.award_context_of(&tx, &work.issuer, &work.achievement, "/achievement")
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
            names,
            holders,
            read,
            signed,
        } = signed;
        let tx = self.store.write().await?;
        let now = self.now();
        tx.append_audit_many(entries).await?;
        let issued = u64::try_from(awards.len()).unwrap_or(u64::MAX);
        let waiting: Vec<AwardRow> = awards
            .iter()
            .filter(|a| a.holder_id.is_none())
            .cloned()
            .collect();
        tx.insert_awards(awards).await.map_err(taken_meanwhile)?;
        if !waiting.is_empty() {
            let waiting: Vec<&AwardRow> = waiting.iter().collect();
            self.open_claims(&tx, &waiting, &names.0, &names.1, now)
                .await?;
        }
        let tells = holders
            .iter()
            .map(|(award, account)| {
                let tell = Self::awarded_tell(&account.id, award, &names.0, &names.1);
                (account, tell)
            })
            .collect();
        self.notify_many(&tx, NotificationKind::CredentialAwarded, tells, now)
            .await?;
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
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), id = %id))]
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
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), id = %id))]
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
