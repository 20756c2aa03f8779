//! The console's awards list: who each award is for, its achievement, state and date, with
//! search by name or e-mail, filters, paging with true totals (all in the query, so a view
//! can be bookmarked), its JSON form, and a status change for several selected awards.

use std::collections::HashSet;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::registry::StatusAction;
use credence_service::award_list::{
    AwardList, AwardListFilter, AwardListItem, BatchChange, BatchOutcome, MAX_BATCH,
};
use credence_service::{Page, ServiceError};
use serde::Deserialize;

use super::{console_for, Console};
use crate::negotiate::Format;
use crate::pages::holder::Choice;
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render_with, FieldError};
use crate::{AppState, WebError};

/// Rows per page unless the viewer chooses another of [`PAGE_SIZES`].
const DEFAULT_PER_PAGE: u64 = 50;

/// The page sizes offered; the largest is the batch cap, so a whole page can be selected.
const PAGE_SIZES: [u64; 4] = [25, 50, 100, MAX_BATCH as u64];

/// The highest page number a link may carry (past the end is simply empty).
const MAX_PAGE: u64 = 1_000_000;

/// The list's query: every part optional, read leniently (a bad page number is page 1).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    achievement: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    per: String,
    /// `page`: every award shown starts selected (selecting a page without script).
    #[serde(default)]
    select: String,
    #[serde(default)]
    notice: Option<String>,
}

/// The view a list page shows: search, filters, page and page size.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub q: String,
    pub achievement: String,
    pub status: String,
    pub page: u64,
    pub per: u64,
}

impl View {
    fn new(q: &str, achievement: &str, status: &str, page: &str, per: &str) -> Self {
        let per = per.trim().parse().unwrap_or(DEFAULT_PER_PAGE);
        Self {
            q: q.trim().to_owned(),
            achievement: achievement.trim().to_owned(),
            status: status.trim().to_owned(),
            page: page.trim().parse::<u64>().unwrap_or(1).clamp(1, MAX_PAGE),
            per: if PAGE_SIZES.contains(&per) {
                per
            } else {
                DEFAULT_PER_PAGE
            },
        }
    }

    fn filter(&self) -> AwardListFilter {
        AwardListFilter {
            search: self.q.clone(),
            achievement: self.achievement.clone(),
            state: self.status.clone(),
        }
    }

    fn rows(&self) -> Page {
        Page::new((self.page - 1) * self.per, self.per)
    }

    /// The query string of this view at `page`, with extra pairs.
    fn query(&self, page: u64, extra: &[(&str, &str)]) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", self.q.as_str()),
            ("achievement", &self.achievement),
            ("status", &self.status),
        ] {
            if !value.is_empty() {
                s.append_pair(key, value);
            }
        }
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        if self.per != DEFAULT_PER_PAGE {
            s.append_pair("per", &self.per.to_string());
        }
        for (key, value) in extra {
            s.append_pair(key, value);
        }
        s.finish()
    }
}

/// An award as a row of the list.
pub struct Row {
    pub id: String,
    /// The recipient's name, or what stands for it ("No account").
    pub who: String,
    pub email: Option<String>,
    /// A plain note when the recipient is not a person with an account.
    pub note: Option<&'static str>,
    pub achievement: String,
    pub state: String,
    pub reason: Option<String>,
    pub awarded: String,
    pub checked: bool,
}

/// `2026-12-05T…` as `5 December 2026`.
fn date_in_words(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_owned(),
        |t| {
            t.with_timezone(&chrono::Utc)
                .format("%-d %B %Y")
                .to_string()
        },
    )
}

/// A count with thousands separated: `3,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn row(item: AwardListItem, selected: &HashSet<String>, all: bool) -> Row {
    let r = item.recipient;
    let (who, note) = match r.kind.as_str() {
        "person" => (
            r.name.clone().unwrap_or_else(|| "(no name given)".into()),
            None,
        ),
        "organisation" => (
            r.name.clone().unwrap_or_default(),
            Some("An organisation: this award is an accreditation."),
        ),
        _ => (
            "No account yet".to_owned(),
            Some(match (item.claim, &r.email) {
                (Some(claim), _) => claim.words(),
                (None, Some(_)) => "The recipient has no account here.",
                (None, None) => {
                    "Issued through the VC-API; no account or e-mail address was recorded."
                }
            }),
        ),
    };
    Row {
        checked: all || selected.contains(item.id.as_str()),
        who,
        email: r.email,
        note,
        achievement: item
            .achievement
            .unwrap_or_else(|| "Accreditation or VC-API credential".into()),
        state: item.state,
        reason: item.status_reason,
        awarded: date_in_words(&item.awarded_at),
        id: item.id.into_string(),
    }
}

/// What the batch form holds, kept when it is shown again.
#[derive(Debug, Clone, Default)]
pub struct BatchForm {
    csrf: String,
    action: String,
    reason: String,
    confirm: bool,
    awards: Vec<String>,
    view: View,
}

impl BatchForm {
    /// Reads a form body; `award` may repeat (one per ticked box).
    fn parse(body: &[u8]) -> Self {
        let mut form = Self::default();
        let [mut search, mut achievement, mut status, mut page, mut per] =
            std::array::from_fn(|_| String::new());
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "csrf" => form.csrf = value.into_owned(),
                "action" => form.action = value.into_owned(),
                "reason" => form.reason = value.into_owned(),
                "confirm" => form.confirm = !value.is_empty(),
                "award" => form.awards.push(value.into_owned()),
                "q" => search = value.into_owned(),
                "achievement" => achievement = value.into_owned(),
                "status" => status = value.into_owned(),
                "page" => page = value.into_owned(),
                "per" => per = value.into_owned(),
                _ => {}
            }
        }
        form.view = View::new(&search, &achievement, &status, &page, &per);
        form
    }
}

#[derive(Template)]
#[template(path = "console_awards.html")]
struct ListPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    view: View,
    achievements: Vec<Choice>,
    statuses: Vec<Choice>,
    page_sizes: Vec<u64>,
    rows: Vec<Row>,
    total: u64,
    /// The filters' refusals (an unknown achievement or status, a search too long).
    filter_errors: Vec<FieldError>,
    batch: BatchForm,
    batch_errors: Vec<FieldError>,
    outcome: Option<BatchOutcome>,
    max_batch: usize,
}

impl ListPage {
    fn filter_err(&self, field: &str) -> Option<&str> {
        error_for(&self.filter_errors, field)
    }

    fn batch_err(&self, field: &str) -> Option<&str> {
        error_for(&self.batch_errors, field)
    }

    /// Messages about the batch as a whole: the selection, a conflict.
    fn batch_general(&self) -> Vec<&str> {
        self.batch_errors
            .iter()
            .filter(|e| !matches!(e.field.as_str(), "action" | "reason" | "confirm"))
            .map(|e| e.message.as_str())
            .collect()
    }

    /// "3,000 awards · showing 1–50", or what the view found.
    fn count_line(&self) -> String {
        let noun = if self.total == 1 { "award" } else { "awards" };
        let filtered = !self.view.q.is_empty()
            || !self.view.achievement.is_empty()
            || !self.view.status.is_empty();
        let total = format!(
            "{} {noun}{}",
            grouped(self.total),
            if filtered { " match" } else { "" }
        );
        if self.rows.is_empty() {
            return total;
        }
        let first = (self.view.page - 1) * self.view.per + 1;
        let last = first + self.rows.len() as u64 - 1;
        format!("{total} · showing {}–{}", grouped(first), grouped(last))
    }

    fn last_page(&self) -> u64 {
        self.total.div_ceil(self.view.per).max(1)
    }

    fn has_prev(&self) -> bool {
        self.view.page > 1
    }

    fn has_next(&self) -> bool {
        self.view.page < self.last_page()
    }

    fn link(&self, page: u64) -> String {
        let query = self.view.query(page, &[]);
        if query.is_empty() {
            format!("/console/{}/awards", self.c.slug)
        } else {
            format!("/console/{}/awards?{query}", self.c.slug)
        }
    }

    /// This page with every row ticked, for browsers without script.
    fn select_all_link(&self) -> String {
        format!(
            "/console/{}/awards?{}",
            self.c.slug,
            self.view.query(self.view.page, &[("select", "page")])
        )
    }

    fn prev_link(&self) -> String {
        self.link(self.view.page - 1)
    }

    fn next_link(&self) -> String {
        self.link(self.view.page + 1)
    }

    fn page_of(&self) -> String {
        format!(
            "Page {} of {}",
            grouped(self.view.page),
            grouped(self.last_page())
        )
    }
}

/// What else a list page shows besides the list.
#[derive(Default)]
struct Extras {
    notice: Option<&'static str>,
    select_all: bool,
    batch: BatchForm,
    batch_errors: Vec<FieldError>,
    outcome: Option<BatchOutcome>,
}

/// The list page of `view`, with the status its content calls for: 422 when the filters
/// or the batch were refused.
async fn list_page(
    state: &AppState,
    nav: Nav,
    c: Console,
    view: View,
    extras: Extras,
) -> Result<(StatusCode, ListPage), WebError> {
    let registry = &state.services.registry;
    let achievements = registry
        .public()
        .achievements(&c.slug)
        .await?
        .into_iter()
        .map(|a| Choice {
            value: a.uuid.into_string(),
            label: a.name,
        })
        .collect();
    let (list, filter_errors) = match registry
        .with_issuer(c.issuer()?)
        .award_list(&view.filter(), view.rows())
        .await
    {
        Ok(list) => (list, Vec::new()),
        Err(e @ ServiceError::Invalid(_)) => (
            AwardList {
                total: 0,
                offset: 0,
                limit: view.per,
                items: Vec::new(),
            },
            form_errors(e)?.1,
        ),
        Err(e) => return Err(e.into()),
    };
    let selected: HashSet<String> = extras.batch.awards.iter().cloned().collect();
    let rows = list
        .items
        .into_iter()
        .map(|item| row(item, &selected, extras.select_all))
        .collect();
    let status = if filter_errors.is_empty() && extras.batch_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let statuses = [
        ("active", "Active"),
        ("suspended", "Suspended"),
        ("revoked", "Revoked"),
        ("expired", "Expired"),
    ]
    .into_iter()
    .map(|(value, label)| Choice {
        value: value.into(),
        label: label.into(),
    })
    .collect();
    Ok((
        status,
        ListPage {
            nav,
            title: format!("Awards of {}", c.name),
            notice: extras.notice,
            c,
            view,
            achievements,
            statuses,
            page_sizes: PAGE_SIZES.to_vec(),
            rows,
            total: list.total,
            filter_errors,
            batch: extras.batch,
            batch_errors: extras.batch_errors,
            outcome: extras.outcome,
            max_batch: MAX_BATCH,
        },
    ))
}

/// `GET /console/{org}/awards?q=&achievement=&status=&page=&per=`: the organisation's
/// awards, newest first, as a page or (asked for JSON) as `{total, offset, limit, items}`.
pub async fn awards(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
    format: Format,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "awards").await?;
    let view = View::new(
        &query.q,
        &query.achievement,
        &query.status,
        &query.page,
        &query.per,
    );
    if format == Format::Json {
        let list = state
            .services
            .registry
            .with_issuer(c.issuer()?)
            .award_list(&view.filter(), view.rows())
            .await?;
        return Ok(Json(list).into_response());
    }
    let extras = Extras {
        notice: notice(query.notice.as_deref()),
        select_all: query.select == "page",
        ..Extras::default()
    };
    let (status, page) = list_page(&state, user.nav, c, view, extras).await?;
    Ok(render_with(status, &page))
}

/// `POST /console/{org}/awards/batch` (form: `csrf`, `action`, `reason`, `confirm`, `award`
/// repeated, and the view's `q`, `achievement`, `status`, `page`, `per`): changes the
/// status of the selected awards and shows the list again with what was done, or (asked
/// for JSON) returns the outcome.
pub async fn batch(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    format: Format,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = BatchForm::parse(&body);
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "awards").await?;
    let issuer = c.issuer()?.clone();
    let result = match form.action.parse::<StatusAction>() {
        Err(_) => Err(ServiceError::invalid(
            "/action",
            "Choose what to do with the selected awards: revoke, suspend or reinstate.",
        )),
        Ok(action) => {
            let change = BatchChange {
                ids: form.awards.clone(),
                action,
                reason: form.reason.clone(),
                confirmed: form.confirm,
            };
            state
                .services
                .registry
                .with_issuer(&issuer)
                .change_awards_status(&change)
                .await
        }
    };
    if format == Format::Json {
        return Ok(Json(result?).into_response());
    }
    let view = form.view.clone();
    let extras = match result {
        Ok(outcome) => Extras {
            // The form starts afresh; the rows changed are shown in their new state.
            outcome: Some(outcome),
            ..Extras::default()
        },
        Err(e) => Extras {
            batch_errors: form_errors(e)?.1,
            batch: form,
            ..Extras::default()
        },
    };
    let (status, page) = list_page(&state, user.nav, c, view, extras).await?;
    Ok(render_with(status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_in_thousands() {
        for (n, expected) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (3000, "3,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(grouped(n), expected);
        }
    }

    #[test]
    fn dates_are_in_words() {
        assert_eq!(
            date_in_words("2026-12-05T04:26:01+00:00"),
            "5 December 2026"
        );
        assert_eq!(
            date_in_words("2026-01-31T23:30:00-02:00"),
            "1 February 2026"
        );
        assert_eq!(date_in_words("not a date"), "not a date");
    }

    #[test]
    fn views_read_leniently_and_link_back() {
        let check = |q: [&str; 5], expected: &str| {
            let view = View::new(q[0], q[1], q[2], q[3], q[4]);
            assert_eq!(view.query(view.page, &[]), expected, "{q:?}");
        };
        check(["", "", "", "", ""], "");
        check(["  Ann ", "", "", "2", "100"], "q=Ann&page=2&per=100");
        check(
            ["a&b", "x", "revoked", "abc", "7"],
            "q=a%26b&achievement=x&status=revoked",
        );
        check(["", "", "", "0", "200"], "per=200");
        check(["", "", "", "99999999999", ""], "page=1000000");
    }

    #[test]
    fn batch_forms_keep_every_ticked_award() {
        let form = BatchForm::parse(
            b"csrf=t&action=revoke&reason=Wrong+person&confirm=yes&award=a&award=b&q=ann&page=3",
        );
        assert_eq!(form.csrf, "t");
        assert_eq!(form.action, "revoke");
        assert_eq!(form.reason, "Wrong person");
        assert!(form.confirm);
        assert_eq!(form.awards, ["a", "b"]);
        assert_eq!(form.view.q, "ann");
        assert_eq!(form.view.page, 3);
        assert!(!BatchForm::parse(b"award=a").confirm);
    }
}
