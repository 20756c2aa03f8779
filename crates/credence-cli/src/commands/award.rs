//! `credence award bulk`: the bulk award service run directly on the database, with a
//! progress line on a terminal and a summary at the end.

use std::io::IsTerminal;
use std::time::Instant;

use anyhow::Context;
use credence_documents::BulkFormat;
use credence_service::{Actor, Operator, Page};

use super::{org_slug, service_failure, services};
use crate::cli::{AwardCommand, BulkFormatArg};
use crate::config::Config;
use crate::Failure;

pub async fn run(config: Config, command: AwardCommand) -> Result<(), Failure> {
    let AwardCommand::Bulk {
        org,
        achievement,
        file,
        format,
    } = command;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let services = services(&config).await?;
    let registry = &services.registry;
    let operator = Actor::from_operator(&Operator::local_command_line())
        .operator()
        .map_err(|e| Failure::Failed(anyhow::anyhow!("{e}")))?;
    let org_row = registry
        .public()
        .org(&org_slug("award bulk", &org)?)
        .await
        .map_err(|e| service_failure("award bulk", e))?;
    let issuer = registry.with_issuer(&operator.issuer_for(&org_row));
    let format = match format {
        BulkFormatArg::Csv => BulkFormat::Csv,
        BulkFormatArg::Json => BulkFormat::Json,
    };
    let work = issuer
        .create_bulk_job(&achievement, &text, format)
        .await
        .map_err(|e| service_failure(&file.display().to_string(), e))?;
    let job_id = work.job.id.clone();
    let started = Instant::now();
    let interactive = std::io::stderr().is_terminal();
    let progress = move |done: u64, total: u64| {
        if interactive {
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!("\r{done}/{total} rows, {rate:.0} rows/s   ");
        }
    };
    let job = issuer
        .run_bulk_job(work, &progress)
        .await
        .map_err(|e| service_failure("award bulk", e))?;
    if interactive {
        eprintln!();
    }
    let seconds = started.elapsed().as_secs_f64();
    // The per-row report of refused rows, read back from the store.
    let mut refused_lines = Vec::new();
    let mut offset = 0;
    if job.refused > 0 {
        loop {
            let rows = issuer
                .bulk_rows_of(&job_id, Page::new(offset, Page::MAX_LIMIT))
                .await
                .map_err(|e| service_failure("award bulk", e))?;
            if rows.is_empty() {
                break;
            }
            offset += rows.len() as u64;
            refused_lines.extend(
                rows.into_iter()
                    .filter(|r| r.outcome == credence_domain::registry::BulkRowOutcome::Refused)
                    .map(|r| format!("row {}: {}", r.row, r.message.unwrap_or_default())),
            );
        }
    }
    for line in &refused_lines {
        eprintln!("{line}");
    }
    println!(
        "Bulk job {job_id}: {} rows, {} processed, {} refused, in {seconds:.1} s ({:.0} rows/s).",
        job.total,
        job.done,
        job.refused,
        job.done as f64 / seconds.max(0.001)
    );
    if job.refused > 0 {
        return Err(Failure::Refused(format!(
            "{} of {} rows were refused",
            job.refused, job.total
        )));
    }
    Ok(())
}
