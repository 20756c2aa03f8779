//! Checks of single field values shared by the parsers: e-mail addresses, required values,
//! dates.

use chrono::NaiveDate;
use credence_domain::registry::Email;

use super::Problem;

/// Checks a required e-mail address with the registry's one e-mail check.
pub(super) fn check_email(
    field: &str,
    value: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let value = required(field, value, "The e-mail address is missing.", problems)?;
    match Email::new(value) {
        Err(e) => {
            problems.push(Problem::field(field, e.sentence()));
            None
        }
        // Kept as written; the service compares addresses through `Email`.
        Ok(_) => Some(value.to_owned()),
    }
}

/// `value` when present and not empty; otherwise a problem saying `missing`.
pub(super) fn required<'v>(
    field: &str,
    value: Option<&'v str>,
    missing: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'v str> {
    match value {
        Some(v) if !v.is_empty() => Some(v),
        Some(_) => {
            problems.push(Problem::field(field, missing));
            None
        }
        // Absent because the row is short or the value too long: already reported.
        None => None,
    }
}

/// Whether `text` has the shape YYYY-MM-DD.
pub(super) fn date_shaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// A date written YYYY-MM-DD.
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    if !date_shaped(text) {
        return Err(format!(
            "{text:?} is not a date written YYYY-MM-DD (such as 2026-11-28)."
        ));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text} is not a day of the calendar."))
}

/// The first letter in upper case (for messages that start with a quoted value, this
/// changes nothing).
pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
