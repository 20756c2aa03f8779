//! Completion records: a CSV file of holders' completed learning.

use chrono::NaiveDate;
use credence_domain::{LevelCode, StatementCode};
use serde::Serialize;

use super::fields::{capitalise, check_email, parse_date, required};
use super::table::{read_table, row_values, Column};
use super::{CsvError, Problem, RowResult};

/// One completion record: a holder's completed learning, evidencing a competency statement
/// at a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionRecord {
    /// As written (trimmed); compare addresses ignoring case.
    pub email: String,
    pub statement: StatementCode,
    pub level: LevelCode,
    pub date: NaiveDate,
    /// The provider's reference for the completion, such as a course run or certificate
    /// number.
    pub reference: String,
}

const COMPLETION_COLUMNS: [Column; 5] = [
    Column {
        name: "email",
        required: true,
    },
    Column {
        name: "statement",
        required: true,
    },
    Column {
        name: "level",
        required: true,
    },
    Column {
        name: "date",
        required: true,
    },
    Column {
        name: "reference",
        required: true,
    },
];

/// Parses completion records: a CSV file with the header `email,statement,level,date,reference`
/// (in any order, no other column). Dates are YYYY-MM-DD and may not be after `today`.
pub fn parse_completion_records(
    text: &str,
    today: NaiveDate,
) -> Result<Vec<RowResult<CompletionRecord>>, CsvError> {
    let table = read_table(text, &COMPLETION_COLUMNS)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (row, record) in &table.rows {
        let mut problems = Vec::new();
        let values = row_values(&table, &COMPLETION_COLUMNS, record, &mut problems);
        let email = check_email("email", values[0], &mut problems);
        let statement = required(
            "statement",
            values[1],
            "The statement code is missing.",
            &mut problems,
        )
        .and_then(|v| match StatementCode::new(v) {
            Ok(code) => Some(code),
            Err(e) => {
                problems.push(Problem::field(
                    "statement",
                    format!("{}.", capitalise(&e.to_string())),
                ));
                None
            }
        });
        let level =
            required("level", values[2], "The level is missing.", &mut problems).and_then(|v| {
                match LevelCode::new(v) {
                    Ok(code) => Some(code),
                    Err(e) => {
                        problems.push(Problem::field(
                            "level",
                            format!("{}.", capitalise(&e.to_string())),
                        ));
                        None
                    }
                }
            });
        let date =
            required("date", values[3], "The date is missing.", &mut problems).and_then(|v| {
                match parse_date(v) {
                    Ok(date) if date > today => {
                        problems.push(Problem::field(
                            "date",
                            format!("The date {date} is in the future (today is {today})."),
                        ));
                        None
                    }
                    Ok(date) => Some(date),
                    Err(message) => {
                        problems.push(Problem::field("date", message));
                        None
                    }
                }
            });
        let reference = required(
            "reference",
            values[4],
            "The reference is missing.",
            &mut problems,
        );
        let outcome = match (email, statement, level, date, reference) {
            (Some(email), Some(statement), Some(level), Some(date), Some(reference))
                if problems.is_empty() =>
            {
                Ok(CompletionRecord {
                    email,
                    statement,
                    level,
                    date,
                    reference: reference.to_owned(),
                })
            }
            _ => Err(problems),
        };
        out.push(RowResult {
            row: *row,
            line: Some(record.line),
            key: None,
            outcome,
        });
    }
    Ok(out)
}
