//! The console's expiry list: per achievement, the awards that expire in the next N days
//! (60 unless the viewer chooses) and those that have expired, each with its holder and,
//! when a later award renews it, a link to the renewal; as a page or, asked for JSON, as
//! the service's list.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::AchievementId;
use credence_service::expiry::{AchievementExpiry, ExpiryItem, ExpiryList};
use credence_service::ServiceError;
use serde::Deserialize;

use super::{console_for, Console};
use crate::negotiate::Format;
use crate::pages::session::{Nav, SignedIn};
use crate::pages::{error_for, form_errors, render_with, FieldError};
use crate::{AppState, WebError};

/// The days looked ahead unless the viewer chooses.
const DEFAULT_DAYS: u32 = 60;

/// `?days=`: read leniently (empty is the default; anything else is checked by the service).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExpiryQuery {
    #[serde(default)]
    days: String,
}

#[derive(Template)]
#[template(path = "console_expiring.html")]
struct ExpiryPage {
    nav: Nav,
    title: String,
    c: Console,
    days: String,
    list: ExpiryList,
    errors: Vec<FieldError>,
}

impl ExpiryPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    fn date(item: &ExpiryItem) -> String {
        chrono::DateTime::parse_from_rfc3339(&item.valid_until).map_or_else(
            |_| item.valid_until.clone(),
            |t| t.format("%-d %B %Y").to_string(),
        )
    }

    /// The two parts of an achievement's list: caption, date heading, tag class, awards.
    fn parts(
        a: &AchievementExpiry,
    ) -> [(&'static str, &'static str, &'static str, &[ExpiryItem]); 2] {
        [
            ("Expiring", "Expires", "tag-expiring", &a.expiring),
            ("Expired", "Expired", "tag-expired", &a.expired),
        ]
    }

    /// The award form, filled in to renew `item`.
    fn renew_link(&self, achievement: &AchievementId, item: &ExpiryItem) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("achievement", achievement.as_str())
            .append_pair("email", &item.email)
            .append_pair("renews", &item.award_id)
            .finish();
        format!("/console/{}/award?{query}", self.c.slug)
    }

    fn expiring_count(&self) -> usize {
        self.list
            .achievements
            .iter()
            .map(|a| a.expiring.len())
            .sum()
    }

    fn expired_count(&self) -> usize {
        self.list.achievements.iter().map(|a| a.expired.len()).sum()
    }
}

/// `GET /console/{org}/expiring?days=`: the organisation's awards expiring in the next
/// `days` days and those expired, per achievement; 422 with the field named for a bad
/// `days` (a page, or a problem document for JSON).
pub async fn expiring(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<ExpiryQuery>,
    format: Format,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "expiring").await?;
    let text = query.days.trim().to_owned();
    let days = if text.is_empty() {
        Ok(DEFAULT_DAYS)
    } else {
        text.parse::<u32>()
            .map_err(|_| ServiceError::invalid("/days", "Choose a number of days from 1 to 730."))
    };
    let desk = state.services.registry.with_issuer(c.issuer()?);
    let result = match days {
        Ok(days) => desk.expiry_list(days).await,
        Err(e) => Err(e),
    };
    if format == Format::Json {
        return Ok(Json(result?).into_response());
    }
    let (status, list, errors) = match result {
        Ok(list) => (axum::http::StatusCode::OK, list, Vec::new()),
        Err(e @ ServiceError::Invalid(_)) => {
            let (status, errors) = form_errors(e)?;
            (
                status,
                ExpiryList {
                    days: DEFAULT_DAYS,
                    achievements: Vec::new(),
                },
                errors,
            )
        }
        Err(e) => return Err(e.into()),
    };
    let page = ExpiryPage {
        nav: user.nav,
        title: format!("Expiring credentials of {}", c.name),
        days: if text.is_empty() {
            DEFAULT_DAYS.to_string()
        } else {
            text
        },
        c,
        list,
        errors,
    };
    Ok(render_with(status, &page))
}
