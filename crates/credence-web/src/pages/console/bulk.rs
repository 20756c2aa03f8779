//! Bulk awards in the issuer's console: the form that takes a CSV file of awards of one
//! achievement, and the job page that shows its progress and per-row results, with the
//! results as a CSV download.

use credence_domain::BulkJobId;

use crate::error::record_id;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use credence_documents::BulkFormat;
use credence_domain::registry::BulkJobState;
use credence_service::bulk::{BulkJobView, BulkRowView};
use credence_service::Page;
use serde::Deserialize;

use super::awards::achievement_choices;
use super::{console_for, job_lines, when, Console, JobLine};
use crate::pages::holder::Choice;
use crate::pages::session::{Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError, MultipartForm};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "console_bulk.html")]
struct BulkPage {
    nav: Nav,
    title: String,
    c: Console,
    achievements: Vec<Choice>,
    achievement: String,
    jobs: Vec<JobLine>,
    errors: Vec<FieldError>,
}

impl BulkPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn bulk_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    achievement: String,
    errors: Vec<FieldError>,
) -> Result<BulkPage, WebError> {
    let registry = &state.services.registry;
    let all = registry.public().achievements(&c.slug).await?;
    let jobs = job_lines(
        registry
            .with_issuer(c.issuer()?)
            .org_bulk_jobs(Page::new(0, 20))
            .await?,
        &all,
    );
    Ok(BulkPage {
        nav: user.nav,
        title: "Bulk award from a file".into(),
        achievements: achievement_choices(&all),
        c,
        achievement,
        jobs,
        errors,
    })
}

/// `GET /console/{org}/bulk`: the upload form and the latest jobs.
pub async fn bulk_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "bulk").await?;
    Ok(render(
        &bulk_page(&state, user, c, String::new(), Vec::new()).await?,
    ))
}

/// `POST /console/{org}/bulk/upload` (multipart: `csrf`, `achievement`, `file`): starts a job and
/// shows its page.
pub async fn bulk_upload(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let form = MultipartForm::read(multipart).await?;
    user.check_csrf(form.field("csrf"))?;
    let achievement = form.field("achievement").to_owned();
    let file = form.file.map(|f| f.bytes);
    let c = console_for(&state, &user, &slug, "bulk").await?;
    let issuer = c.issuer()?.clone();
    let file_error = |message: &str| {
        Err(vec![FieldError {
            field: "file".into(),
            message: message.into(),
        }])
    };
    let outcome = match file.as_deref().map(std::str::from_utf8) {
        None => file_error("Choose a CSV file to upload."),
        Some(Err(_)) => {
            file_error("The file is not UTF-8 text; save it as CSV UTF-8 and try again.")
        }
        Some(Ok(text)) => match state
            .services
            .registry
            .with_issuer(&issuer)
            .start_bulk_awards(&achievement, text, BulkFormat::Csv)
            .await
        {
            Ok(job) => Ok(job),
            Err(e) => Err(form_errors(e)?.1),
        },
    };
    match outcome {
        Ok(job) => {
            Ok(Redirect::to(&format!("/console/{}/bulk/{}", c.slug, job.id)).into_response())
        }
        Err(errors) => {
            let page = bulk_page(&state, user, c, achievement, errors).await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "console_bulk_job.html")]
struct BulkJobPage {
    nav: Nav,
    title: String,
    c: Console,
    job: BulkJobView,
    created: String,
    rows: Vec<BulkRowView>,
    /// Rows awarded or already awarded, from the job's own counts (every row, not a page).
    awarded: i64,
    /// The page shown (1-based), and whether only refused rows are.
    page: u64,
    refused_only: bool,
    has_next: bool,
}

impl BulkJobPage {
    fn running(&self) -> bool {
        self.job.state == BulkJobState::Running
    }

    /// The address of page `page` of this view.
    fn page_link(&self, page: u64) -> String {
        format!(
            "/console/{}/bulk/{}?page={page}{}",
            self.c.slug,
            self.job.id,
            if self.refused_only {
                "&only=refused"
            } else {
                ""
            }
        )
    }
}

/// Rows of a bulk job page.
const BULK_PAGE_ROWS: u64 = 200;

/// Which rows of a bulk job to show.
#[derive(Debug, Default, Deserialize)]
pub struct BulkJobQuery {
    #[serde(default)]
    page: Option<u64>,
    /// `refused`: only the refused rows.
    #[serde(default)]
    only: Option<String>,
}

/// `GET /console/{org}/bulk/{id}`: a job's progress and its per-row results. While the job
/// runs, `credence.js` polls `/api/v1/bulk/{id}` and reloads the page when it ends; without
/// the script, a link refreshes the page.
pub async fn bulk_job(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Query(query): Query<BulkJobQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "bulk").await?;
    let issuer = c.issuer()?;
    let registry = &state.services.registry;
    let id: BulkJobId = record_id(&id, "bulk job")?;
    let job = registry.caller(&user.actor).bulk_job(&id).await?;
    if job.org_id != c.org_id {
        return Err(WebError::not_found(format!(
            "{} has no bulk job '{id}'.",
            c.name
        )));
    }
    // Any page number a link can carry, without overflow: past the last page is empty.
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let refused_only = query.only.as_deref() == Some("refused");
    // One row more than a page, to know whether there is a next one.
    let mut rows = registry
        .with_issuer(issuer)
        .bulk_rows_where(
            &job.id,
            refused_only,
            Page::new((page - 1) * BULK_PAGE_ROWS, BULK_PAGE_ROWS + 1),
        )
        .await?;
    let has_next = rows.len() as u64 > BULK_PAGE_ROWS;
    rows.truncate(BULK_PAGE_ROWS as usize);
    let achievement = registry
        .public()
        .achievements(&c.slug)
        .await?
        .into_iter()
        .find(|a| a.uuid == job.achievement_id)
        .map_or_else(|| job.achievement_id.to_string(), |a| a.name);
    let awarded = job.done - job.refused;
    Ok(render(&BulkJobPage {
        nav: user.nav,
        title: format!("Bulk award of {achievement}"),
        created: when(&job.created_at),
        c,
        job,
        rows,
        awarded,
        page,
        refused_only,
        has_next,
    }))
}

/// `GET /console/{org}/bulk/{id}/report.csv`: every row's result, for a spreadsheet.
pub async fn bulk_report(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "bulk").await?;
    let issuer = c.issuer()?;
    let registry = &state.services.registry;
    let id: BulkJobId = record_id(&id, "bulk job")?;
    let mut csv = String::from("row,key,outcome,award,message\r\n");
    let mut offset = 0;
    loop {
        let rows = registry
            .with_issuer(issuer)
            .bulk_rows_where(&id, false, Page::new(offset, Page::MAX_LIMIT))
            .await?;
        if rows.is_empty() {
            break;
        }
        offset += rows.len() as u64;
        for r in rows {
            let award = r
                .award_id
                .as_deref()
                .map(|a| registry.url(&format!("/credentials/{a}")))
                .unwrap_or_default();
            let fields = [
                r.row.to_string(),
                r.key,
                r.outcome.to_string(),
                award,
                r.message.unwrap_or_default(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&line.join(","));
            csv.push_str("\r\n");
        }
    }
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bulk-{id}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading
/// =, +, - or @ is prefixed with a quote mark so a spreadsheet does not run it as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
    }
}
