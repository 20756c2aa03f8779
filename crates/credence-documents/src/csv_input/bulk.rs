//! Bulk award files, CSV or JSON: one award to make per row, each with a unique key.

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, Utc};
use credence_domain::AwardId;
use credence_vc::vcdm::kind as json_kind;
use serde::Serialize;
use serde_json::Value;

use super::fields::{check_email, date_shaped, parse_date, required};
use super::table::{limited, read_table, row_values, Column};
use super::{CsvError, Problem, RowResult, MAX_INPUT_BYTES, MAX_KEY_CHARS, MAX_ROWS};

/// The format of a bulk award file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkFormat {
    /// A header `key,email` and optionally `name`, `valid_from`, `override_justification`,
    /// `renews`.
    Csv,
    /// An array of objects with those fields (strings, or null for an optional one).
    Json,
}

/// One award to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkAwardRow {
    /// The client's idempotency key: the same key twice makes one award.
    pub key: String,
    /// The holder's e-mail address, as written (trimmed).
    pub email: String,
    /// The holder's name, as they are to be addressed.
    pub name: Option<String>,
    /// When the award becomes valid; a date alone means midnight UTC.
    pub valid_from: Option<DateTime<Utc>>,
    /// Why the issuer awards without the attested evidence the pathway requires.
    pub override_justification: Option<String>,
    /// The id of an award of the same organisation this one renews (as a single award's
    /// `renews`): the new credential names it.
    pub renews: Option<AwardId>,
}

const BULK_COLUMNS: [Column; 6] = [
    Column {
        name: "key",
        required: true,
    },
    Column {
        name: "email",
        required: true,
    },
    Column {
        name: "name",
        required: false,
    },
    Column {
        name: "valid_from",
        required: false,
    },
    Column {
        name: "override_justification",
        required: false,
    },
    Column {
        name: "renews",
        required: false,
    },
];

/// A date (midnight UTC) or an RFC 3339 date-time.
fn parse_valid_from(text: &str) -> Result<DateTime<Utc>, String> {
    if date_shaped(text) {
        return parse_date(text).map(|d| d.and_time(NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{text:?} is neither a date (such as 2026-11-28) nor a date-time with a time zone (such as 2026-11-28T09:30:00Z)."
            )
        })
}

/// A row's key as written, for the report of a refused row: shortened to
/// [`MAX_KEY_CHARS`] characters, control characters dropped, absent when empty.
fn written_key(value: Option<&str>) -> Option<String> {
    let key: String = value?
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_KEY_CHARS)
        .collect();
    (!key.is_empty()).then_some(key)
}

/// Checks one bulk award given its trimmed values (in [`BULK_COLUMNS`] order);
/// `first_row_of_key` remembers which row used each key first.
fn bulk_row(
    row: usize,
    values: &[Option<&str>],
    mut problems: Vec<Problem>,
    first_row_of_key: &mut HashMap<String, usize>,
) -> Result<BulkAwardRow, Vec<Problem>> {
    let key = required("key", values[0], "The key is missing.", &mut problems).and_then(|key| {
        let chars = key.chars().count();
        if chars > MAX_KEY_CHARS {
            problems.push(Problem::field(
                "key",
                format!("The key has {chars} characters; at most {MAX_KEY_CHARS} are allowed."),
            ));
            return None;
        }
        if key.chars().any(char::is_control) {
            problems.push(Problem::field(
                "key",
                "The key contains control characters.",
            ));
            return None;
        }
        match first_row_of_key.get(key) {
            Some(first) => {
                problems.push(Problem::field(
                    "key",
                    format!("The key {key:?} was already used by row {first}; each award needs its own key."),
                ));
                None
            }
            None => {
                first_row_of_key.insert(key.to_owned(), row);
                Some(key.to_owned())
            }
        }
    });
    let email = check_email("email", values[1], &mut problems);
    let optional = |v: Option<&str>| v.filter(|v| !v.is_empty()).map(str::to_owned);
    let name = optional(values[2]);
    let valid_from = match values[3].filter(|v| !v.is_empty()) {
        Some(text) => match parse_valid_from(text) {
            Ok(at) => Some(at),
            Err(message) => {
                problems.push(Problem::field("valid_from", message));
                None
            }
        },
        None => None,
    };
    let override_justification = optional(values[4]);
    let renews = match values[5].filter(|v| !v.is_empty()) {
        Some(text) => match AwardId::new(text) {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(Problem::field(
                    "renews",
                    format!(
                        "{:?} is not the id of an award (such as 5f0c8a5e-2b1d-4c47-9a3e-0d6b1f2e3a4b): give the id of the award this one renews, or leave it empty.",
                        text.chars().take(MAX_KEY_CHARS).collect::<String>()
                    ),
                ));
                None
            }
        },
        None => None,
    };
    match (key, email) {
        (Some(key), Some(email)) if problems.is_empty() => Ok(BulkAwardRow {
            key,
            email,
            name,
            valid_from,
            override_justification,
            renews,
        }),
        _ => Err(problems),
    }
}

/// Parses a bulk award file, CSV or JSON. Keys must be unique within the file: a row
/// repeating a key is refused, naming the row that used it first.
pub fn parse_bulk_awards(
    text: &str,
    format: BulkFormat,
) -> Result<Vec<RowResult<BulkAwardRow>>, CsvError> {
    match format {
        BulkFormat::Csv => bulk_csv(text),
        BulkFormat::Json => bulk_json(text),
    }
}

fn bulk_csv(text: &str) -> Result<Vec<RowResult<BulkAwardRow>>, CsvError> {
    let table = read_table(text, &BULK_COLUMNS)?;
    let mut first_row_of_key = HashMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for (row, record) in &table.rows {
        let mut problems = Vec::new();
        let values = row_values(&table, &BULK_COLUMNS, record, &mut problems);
        let key = written_key(values[0]);
        let outcome = bulk_row(*row, &values, problems, &mut first_row_of_key);
        out.push(RowResult {
            row: *row,
            line: Some(record.line),
            key,
            outcome,
        });
    }
    Ok(out)
}

fn bulk_json(text: &str) -> Result<Vec<RowResult<BulkAwardRow>>, CsvError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(CsvError::TooLarge {
            limit: MAX_INPUT_BYTES,
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| CsvError::Json(e.to_string()))?;
    let Value::Array(items) = value else {
        return Err(CsvError::NotAnArray);
    };
    if items.len() > MAX_ROWS {
        return Err(CsvError::TooManyRows { limit: MAX_ROWS });
    }
    let names: Vec<&'static str> = BULK_COLUMNS.iter().map(|c| c.name).collect();
    let mut first_row_of_key = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let row = index + 1;
        let Value::Object(object) = item else {
            out.push(RowResult {
                row,
                line: None,
                key: None,
                outcome: Err(vec![Problem::row(format!(
                    "Each entry must be a JSON object; this one is {}.",
                    json_kind(item)
                ))]),
            });
            continue;
        };
        let mut problems = Vec::new();
        for name in object.keys() {
            if !names.contains(&name.as_str()) {
                problems.push(Problem::field(
                    &name.chars().take(MAX_KEY_CHARS).collect::<String>(),
                    format!(
                        "This is not a field of a bulk award; the fields are {}.",
                        names.join(", ")
                    ),
                ));
            }
        }
        let mut values = Vec::with_capacity(BULK_COLUMNS.len());
        for column in &BULK_COLUMNS {
            let value = match object.get(column.name) {
                None | Some(Value::Null) if column.required => Some(""),
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => limited(column.name, s.trim(), &mut problems),
                Some(other) => {
                    problems.push(Problem::field(
                        column.name,
                        format!("The value must be a string, not {}.", json_kind(other)),
                    ));
                    None
                }
            };
            values.push(value);
        }
        let key = written_key(values[0]);
        let outcome = bulk_row(row, &values, problems, &mut first_row_of_key);
        out.push(RowResult {
            row,
            line: None,
            key,
            outcome,
        });
    }
    Ok(out)
}
