//! Parsers of the files issuers upload: completion records (CSV) and bulk awards (CSV or
//! JSON). A file that cannot be read as a whole (no header, unknown columns, a quote left
//! open, too many rows) is refused with a [`CsvError`]; otherwise every data row gets a
//! [`RowResult`], either the parsed record or every problem found in it, so that an issuer
//! can fix them all at once. Nothing here panics on any input.
//!
//! CSV follows RFC 4180: fields separated by commas, records by CRLF or LF, a field with a
//! comma, quote or line break in double quotes with quotes doubled. A byte order mark is
//! ignored; so are rows whose fields are all empty (they keep their row number). Header names
//! are matched ignoring case and surrounding spaces, in any order; field values are trimmed.
//!
//! These parsers check shape only; whether a statement or a level exists in a framework,
//! or an e-mail address belongs to an account, is for the service to decide.

mod bulk;
mod completions;
mod fields;
mod table;

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

pub use bulk::{parse_bulk_awards, BulkAwardRow, BulkFormat};
pub use completions::{parse_completion_records, CompletionRecord};

/// The most data rows a file may have.
pub const MAX_ROWS: usize = 100_000;
/// The most characters a field may have.
pub const MAX_FIELD_CHARS: usize = 1_000;
/// The most characters an idempotency key may have.
pub const MAX_KEY_CHARS: usize = 200;
/// The largest file accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Why a whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("The file is larger than {limit} bytes, the most Credence accepts.")]
    TooLarge { limit: usize },
    #[error("The file is empty: it needs a header line naming its columns ({}).", .expected.join(", "))]
    NoHeader { expected: Vec<&'static str> },
    #[error("Line {line} cannot be read: {message}")]
    Malformed { line: usize, message: String },
    #[error("The header lacks the column{} {}.", plural(.columns), .columns.join(", "))]
    MissingColumns { columns: Vec<&'static str> },
    #[error("The header has the column{} {}, which {} not expected; the columns are {}.", plural(.columns), .columns.join(", "), if .columns.len() == 1 { "is" } else { "are" }, .expected.join(", "))]
    UnknownColumns {
        columns: Vec<String>,
        expected: Vec<&'static str>,
    },
    #[error("The header names the column {0} more than once.")]
    RepeatedColumn(String),
    #[error(
        "The file has more than {limit} rows, the most Credence accepts in one file; split it."
    )]
    TooManyRows { limit: usize },
    #[error("The file is not valid JSON: {0}.")]
    Json(String),
    #[error("The JSON file must hold an array of objects, one per award.")]
    NotAnArray,
}

fn plural<T>(items: &[T]) -> &'static str {
    if items.len() == 1 {
        ""
    } else {
        "s"
    }
}

/// One problem with one row: the field it concerns (none for the row as a whole) and a
/// sentence saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    fn field(field: &str, message: impl Into<String>) -> Self {
        Problem {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    fn row(message: impl Into<String>) -> Self {
        Problem {
            field: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The outcome of one data row: its 1-based number (the header excluded; for JSON, the
/// array index plus one), the line of the file it starts on (CSV only; a quoted field may
/// span lines), its key as written when it has one, and the record, or every problem found
/// in it. The line and key let an issuer find a refused row in the file they sent.
#[derive(Debug, Clone, PartialEq)]
pub struct RowResult<T> {
    pub row: usize,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub outcome: Result<T, Vec<Problem>>,
}

/// Written as `{"row": 3, "line": 4, "record": {...}}` or `{"row": 3, "problems": [...]}`.
impl<T: Serialize> Serialize for RowResult<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RowResult", 3)?;
        s.serialize_field("row", &self.row)?;
        if let Some(line) = self.line {
            s.serialize_field("line", &line)?;
        }
        match &self.outcome {
            Ok(record) => s.serialize_field("record", record)?,
            Err(problems) => s.serialize_field("problems", problems)?,
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::fields::parse_date;
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
    use credence_domain::{LevelCode, StatementCode};
    use serde_json::{json, Value};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
    }

    fn record(
        email: &str,
        statement: &str,
        level: &str,
        date: &str,
        reference: &str,
    ) -> CompletionRecord {
        CompletionRecord {
            email: email.into(),
            statement: StatementCode::new(statement).expect("statement"),
            level: LevelCode::new(level).expect("level"),
            date: parse_date(date).expect("date"),
            reference: reference.into(),
        }
    }

    /// The (field, part of the message) of each problem expected.
    type Wanted = Vec<(Option<&'static str>, &'static str)>;

    /// What a row is expected to give: a record, or its problems.
    enum Expect<T> {
        Ok(T),
        Problems(Wanted),
    }

    fn check_rows<T: PartialEq + fmt::Debug>(
        name: &str,
        rows: &[RowResult<T>],
        expected: Vec<(usize, Expect<T>)>,
    ) {
        assert_eq!(rows.len(), expected.len(), "{name}: {rows:#?}");
        for (result, (row, expect)) in rows.iter().zip(expected) {
            assert_eq!(result.row, row, "{name}");
            match (&result.outcome, expect) {
                (Ok(record), Expect::Ok(wanted)) => assert_eq!(record, &wanted, "{name}"),
                (Err(problems), Expect::Problems(wanted)) => {
                    assert_eq!(problems.len(), wanted.len(), "{name}: {problems:#?}");
                    for (problem, (field, part)) in problems.iter().zip(wanted) {
                        assert_eq!(problem.field.as_deref(), field, "{name}: {problem}");
                        assert!(
                            problem.message.contains(part),
                            "{name}: {:?} lacks {part:?}",
                            problem.message
                        );
                        assert!(
                            problem.message.ends_with('.'),
                            "{name}: not a sentence: {problem}"
                        );
                    }
                }
                (outcome, _) => panic!("{name}: row {row} gave {outcome:?}"),
            }
        }
    }

    /// (name, file, expected rows)
    fn check_completions(name: &str, text: &str, expected: Vec<(usize, Expect<CompletionRecord>)>) {
        let rows =
            parse_completion_records(text, today()).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_rows(name, &rows, expected);
    }

    fn check_file_error(name: &str, result: Result<impl fmt::Debug, CsvError>, part: &str) {
        match result {
            Ok(rows) => panic!("{name}: expected an error, got {rows:?}"),
            Err(e) => assert!(e.to_string().contains(part), "{name}: {e} lacks {part:?}"),
        }
    }

    #[test]
    fn completion_records_that_parse() {
        let ada = || {
            record(
                "ada@nhs.example",
                "T1-01",
                "awareness",
                "2026-11-28",
                "RUN-7",
            )
        };
        check_completions(
            "plain",
            "email,statement,level,date,reference\nada@nhs.example,T1-01,awareness,2026-11-28,RUN-7\n",
            vec![(1, Expect::Ok(ada()))],
        );
        check_completions(
            "columns in another order, CRLF, BOM, spaces and case in the header, no final newline",
            "\u{feff} Reference ,DATE,level,statement,email\r\nRUN-7,2026-11-28,awareness,T1-01,ada@nhs.example",
            vec![(1, Expect::Ok(ada()))],
        );
        check_completions(
            "quoted fields, doubled quotes, a line break in a field, trimmed values",
            "email,statement,level,date,reference\n\"ada@nhs.example\", T1-01 ,awareness,2026-01-31,\"Course \"\"AI\"\", run 7\nsecond line\"\n",
            vec![(
                1,
                Expect::Ok(record(
                    "ada@nhs.example",
                    "T1-01",
                    "awareness",
                    "2026-01-31",
                    "Course \"AI\", run 7\nsecond line",
                )),
            )],
        );
        check_completions(
            "blank rows are skipped but keep their numbers",
            "email,statement,level,date,reference\n\nada@nhs.example,T1-01,awareness,2026-11-28,RUN-7\n,,,,\n\nbob@nhs.example,T1-02,familiarity,2020-02-29,X\n\n",
            vec![
                (2, Expect::Ok(ada())),
                (
                    5,
                    Expect::Ok(record(
                        "bob@nhs.example",
                        "T1-02",
                        "familiarity",
                        "2020-02-29",
                        "X",
                    )),
                ),
            ],
        );
        check_completions(
            "header only",
            "email,statement,level,date,reference\n",
            vec![],
        );
    }

    #[test]
    fn completion_records_refused_row_by_row() {
        let header = "email,statement,level,date,reference\n";
        let cases: Vec<(&str, &str, Wanted)> = vec![
            (
                "no @",
                "ada.nhs.example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "has no @")],
            ),
            (
                "two @",
                "a@b@nhs.example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "more than one @")],
            ),
            (
                "nothing before @",
                "@nhs.example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "nothing before the @")],
            ),
            (
                "nothing after @",
                "ada@,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "nothing after the @")],
            ),
            (
                "no dot in domain",
                "ada@localhost,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "no dot after the @")],
            ),
            (
                "space",
                "\"ada lovelace@nhs.example\",T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "contains a space")],
            ),
            (
                "double dot",
                "ada..l@nhs.example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "misplaced dot before")],
            ),
            (
                "empty label",
                "ada@nhs..example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "misplaced dot after")],
            ),
            (
                "bad domain char",
                "ada@nhs_x.example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "domain names cannot have")],
            ),
            (
                "hyphen label",
                "ada@-nhs.example,T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "starts or ends with a hyphen")],
            ),
            (
                "bad local char",
                "\"a<b@nhs.example\",T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "the character '<'")],
            ),
            (
                "missing email",
                ",T1-01,awareness,2026-11-28,R",
                vec![(Some("email"), "e-mail address is missing")],
            ),
            (
                "lower-case statement",
                "ada@nhs.example,t1-01,awareness,2026-11-28,R",
                vec![(Some("statement"), "not a valid statement code")],
            ),
            (
                "missing statement",
                "ada@nhs.example,,awareness,2026-11-28,R",
                vec![(Some("statement"), "statement code is missing")],
            ),
            (
                "bad level",
                "ada@nhs.example,T1-01,Awareness,2026-11-28,R",
                vec![(Some("level"), "not a valid level code")],
            ),
            (
                "missing level",
                "ada@nhs.example,T1-01,,2026-11-28,R",
                vec![(Some("level"), "level is missing")],
            ),
            (
                "date shape",
                "ada@nhs.example,T1-01,awareness,28/11/2026,R",
                vec![(Some("date"), "not a date written YYYY-MM-DD")],
            ),
            (
                "short date",
                "ada@nhs.example,T1-01,awareness,2026-1-5,R",
                vec![(Some("date"), "not a date written YYYY-MM-DD")],
            ),
            (
                "not a day",
                "ada@nhs.example,T1-01,awareness,2026-02-30,R",
                vec![(Some("date"), "not a day of the calendar")],
            ),
            (
                "future",
                "ada@nhs.example,T1-01,awareness,2026-11-29,R",
                vec![(Some("date"), "in the future (today is 2026-11-28)")],
            ),
            (
                "missing date",
                "ada@nhs.example,T1-01,awareness,,R",
                vec![(Some("date"), "date is missing")],
            ),
            (
                "missing reference",
                "ada@nhs.example,T1-01,awareness,2026-11-28,  ",
                vec![(Some("reference"), "reference is missing")],
            ),
            (
                "too few fields",
                "ada@nhs.example,T1-01,awareness,2026-11-28",
                vec![(None, "has 4 fields where the header has 5")],
            ),
            (
                "too many fields",
                "ada@nhs.example,T1-01,awareness,2026-11-28,R,extra",
                vec![(None, "has 6 fields where the header has 5")],
            ),
            (
                "everything wrong at once",
                "nobody,x,Y,tomorrow,",
                vec![
                    (Some("email"), "has no @"),
                    (Some("statement"), "not a valid statement code"),
                    (Some("level"), "not a valid level code"),
                    (Some("date"), "YYYY-MM-DD"),
                    (Some("reference"), "missing"),
                ],
            ),
        ];
        for (name, row, problems) in cases {
            check_completions(
                name,
                &format!("{header}{row}\n"),
                vec![(1, Expect::Problems(problems))],
            );
        }
        let long = "r".repeat(MAX_FIELD_CHARS + 1);
        check_completions(
            "field too long",
            &format!("{header}ada@nhs.example,T1-01,awareness,2026-11-28,{long}\n"),
            vec![(
                1,
                Expect::Problems(vec![(Some("reference"), "1001 characters; at most 1000")]),
            )],
        );
        let exactly = "r".repeat(MAX_FIELD_CHARS);
        let rows = parse_completion_records(
            &format!("{header}ada@nhs.example,T1-01,awareness,2026-11-28,{exactly}\n"),
            today(),
        )
        .expect("parses");
        assert!(rows[0].outcome.is_ok());
        let long_email = format!("{}@nhs.example", "a".repeat(65));
        check_completions(
            "local part too long",
            &format!("{header}{long_email},T1-01,awareness,2026-11-28,R\n"),
            vec![(
                1,
                Expect::Problems(vec![(Some("email"), "more than 64 characters")]),
            )],
        );
    }

    #[test]
    fn completion_files_refused_whole() {
        let check = |name: &str, text: &str, part: &str| {
            check_file_error(name, parse_completion_records(text, today()), part);
        };
        check("empty", "", "The file is empty: it needs a header line naming its columns (email, statement, level, date, reference).");
        check("blank lines only", "\n\r\n", "The file is empty");
        check("only a BOM", "\u{feff}", "The file is empty");
        check(
            "extra columns are named",
            "email,statement,level,date,reference,notes,Grade\n",
            "The header has the columns notes, grade, which are not expected; the columns are email, statement, level, date, reference.",
        );
        check(
            "one extra column",
            "email,statement,level,date,reference,notes\n",
            "The header has the column notes, which is not expected",
        );
        check(
            "an unnamed column",
            "email,statement,level,date,reference,\n",
            "column 6 (which has no name)",
        );
        check(
            "missing columns",
            "email,statement,level\n",
            "The header lacks the columns date, reference.",
        );
        check(
            "repeated column",
            "email,statement,level,date,reference,email\n",
            "names the column email more than once",
        );
        check(
            "unclosed quote",
            "email,statement,level,date,reference\nada@nhs.example,T1-01,awareness,2026-11-28,\"R\nnext,line\n",
            "Line 2 cannot be read: a quoted field is not closed",
        );
        check(
            "text after a closing quote",
            "email,statement,level,date,reference\n\n\"ada\"x@nhs.example,T1-01,awareness,2026-11-28,R\n",
            "Line 3 cannot be read: text follows the closing quote",
        );
        check(
            "quote inside an unquoted field",
            "email,statement,level,date,reference\nada@nhs.example,T1-01,awareness,2026-11-28,R \"7\"\n",
            "Line 2 cannot be read: a field has a quote but does not start with one",
        );
        check(
            "quote in the header",
            "email,\"statement,level,date,reference\n",
            "Line 1 cannot be read",
        );
    }

    /// Each row's number and the line it starts on, whatever the line breaks, blank lines
    /// and quoted line breaks before it.
    #[test]
    fn rows_keep_their_numbers_and_lines() {
        let check = |name: &str, text: &str, expected: &[(usize, usize)]| {
            let rows =
                parse_bulk_awards(text, BulkFormat::Csv).unwrap_or_else(|e| panic!("{name}: {e}"));
            let got: Vec<(usize, usize)> = rows
                .iter()
                .map(|r| (r.row, r.line.expect("a line")))
                .collect();
            assert_eq!(got, expected, "{name}");
        };
        check(
            "LF",
            "key,email\nk1,a@nhs.example\nk2,b@nhs.example\n",
            &[(1, 2), (2, 3)],
        );
        check(
            "CRLF with blank lines",
            "key,email\r\n\r\nk1,a@nhs.example\r\n\r\n\r\nk2,b@nhs.example\r\n",
            &[(2, 3), (5, 6)],
        );
        check(
            "a quoted line break, then a blank row of commas",
            "\u{feff}key,email\n\"k\n1\",a@nhs.example\n,\nk2,b@nhs.example",
            &[(1, 2), (3, 5)],
        );
        check(
            "blank lines before the header",
            "\n\r\nkey,email\nk1,a@nhs.example\n",
            &[(1, 4)],
        );
    }

    #[test]
    fn a_hundred_thousand_rows_parse_and_one_more_is_refused() {
        let mut text = String::from("email,statement,level,date,reference\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!(
                "holder{i}@nhs.example,T1-{:02},familiarity,2026-01-01,RUN-{i}\n",
                i % 30 + 1
            ));
        }
        let rows = parse_completion_records(&text, today()).expect("parses");
        assert_eq!(rows.len(), MAX_ROWS);
        assert!(rows.iter().all(|r| r.outcome.is_ok()));
        assert_eq!(rows[MAX_ROWS - 1].row, MAX_ROWS);
        text.push_str("one@more.example,T1-01,familiarity,2026-01-01,R\n");
        check_file_error(
            "one row too many",
            parse_completion_records(&text, today()),
            "more than 100000 rows",
        );
        // Blank rows do not count towards the limit.
        let mut with_blanks = String::from("key,email\n\n\n");
        for i in 0..MAX_ROWS {
            with_blanks.push_str(&format!("k{i},h{i}@nhs.example\n"));
        }
        let rows = parse_bulk_awards(&with_blanks, BulkFormat::Csv).expect("parses");
        assert_eq!(rows.len(), MAX_ROWS);
        assert!(rows.iter().all(|r| r.outcome.is_ok()));
        assert_eq!(rows[0].row, 3);
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        check_file_error(
            "csv",
            parse_completion_records(&big, today()),
            "larger than",
        );
        check_file_error(
            "json",
            parse_bulk_awards(&big, BulkFormat::Json),
            "larger than",
        );
    }

    fn bulk(key: &str, email: &str) -> BulkAwardRow {
        BulkAwardRow {
            key: key.into(),
            email: email.into(),
            name: None,
            valid_from: None,
            override_justification: None,
            renews: None,
        }
    }

    fn midnight(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("date")
            .and_time(NaiveTime::MIN)
            .and_utc()
    }

    /// The same rows as CSV and as JSON must give the same results.
    fn check_bulk(
        name: &str,
        csv: &str,
        json: Value,
        expected: Vec<(usize, Expect<BulkAwardRow>)>,
    ) {
        let from_csv =
            parse_bulk_awards(csv, BulkFormat::Csv).unwrap_or_else(|e| panic!("{name} (CSV): {e}"));
        let from_json = parse_bulk_awards(&json.to_string(), BulkFormat::Json)
            .unwrap_or_else(|e| panic!("{name} (JSON): {e}"));
        // The same rows, keys and outcomes; only CSV has lines.
        let without_lines = |rows: &[RowResult<BulkAwardRow>]| -> Vec<RowResult<BulkAwardRow>> {
            rows.iter()
                .map(|r| RowResult {
                    line: None,
                    ..r.clone()
                })
                .collect()
        };
        assert_eq!(
            without_lines(&from_csv),
            from_json,
            "{name}: CSV and JSON differ"
        );
        assert!(
            from_csv.iter().all(|r| r.line.is_some_and(|l| l > r.row)),
            "{name}: every CSV row has a line after the header"
        );
        check_rows(name, &from_csv, expected);
    }

    #[test]
    fn bulk_awards() {
        let mut full = bulk("a-1", "ada@nhs.example");
        full.name = Some("Ada Lovelace".into());
        full.valid_from = Some(midnight(2026, 12, 1));
        full.override_justification = Some("Assessed in person by the clinical lead.".into());
        check_bulk(
            "all fields",
            "key,email,name,valid_from,override_justification\na-1,ada@nhs.example,Ada Lovelace,2026-12-01,Assessed in person by the clinical lead.\n",
            json!([{
                "key": "a-1", "email": "ada@nhs.example", "name": "Ada Lovelace",
                "valid_from": "2026-12-01",
                "override_justification": "Assessed in person by the clinical lead."
            }]),
            vec![(1, Expect::Ok(full))],
        );
        let mut renewal = bulk("r-1", "ada@nhs.example");
        renewal.renews = Some(
            credence_domain::AwardId::new("5f0c8a5e-2b1d-4c47-9a3e-0d6b1f2e3a4b").expect("an id"),
        );
        check_bulk(
            "a renewal, and an id that is not one",
            "key,email,renews\nr-1,ada@nhs.example,5f0c8a5e-2b1d-4c47-9a3e-0d6b1f2e3a4b\nr-2,bo@nhs.example,last year's\n",
            json!([
                {"key": "r-1", "email": "ada@nhs.example", "renews": "5f0c8a5e-2b1d-4c47-9a3e-0d6b1f2e3a4b"},
                {"key": "r-2", "email": "bo@nhs.example", "renews": "last year's"}
            ]),
            vec![
                (1, Expect::Ok(renewal)),
                (
                    2,
                    Expect::Problems(vec![(Some("renews"), "\"last year's\" is not the id of an award")]),
                ),
            ],
        );
        let mut timed = bulk("k", "bob@nhs.example");
        timed.valid_from = Some(
            midnight(2026, 12, 1) + chrono::Duration::hours(8) + chrono::Duration::minutes(30),
        );
        check_bulk(
            "a date-time in another zone, empty optional fields",
            "email,key,valid_from,name\nbob@nhs.example,k,2026-12-01T09:30:00+01:00,\n",
            json!([{"email": "bob@nhs.example", "key": "k", "valid_from": "2026-12-01T09:30:00+01:00", "name": null}]),
            vec![(1, Expect::Ok(timed))],
        );
        check_bulk(
            "only the required columns",
            "key,email\nk1,a@nhs.example\nk2,b@nhs.example\n",
            json!([{"key": "k1", "email": "a@nhs.example"}, {"key": "k2", "email": "b@nhs.example"}]),
            vec![
                (1, Expect::Ok(bulk("k1", "a@nhs.example"))),
                (2, Expect::Ok(bulk("k2", "b@nhs.example"))),
            ],
        );
        check_bulk(
            "a repeated key names the first row",
            "key,email\nk1,a@nhs.example\nk2,b@nhs.example\nk1,c@nhs.example\nk1,d@nhs.example\n",
            json!([
                {"key": "k1", "email": "a@nhs.example"},
                {"key": "k2", "email": "b@nhs.example"},
                {"key": "k1", "email": "c@nhs.example"},
                {"key": "k1", "email": "d@nhs.example"},
            ]),
            vec![
                (1, Expect::Ok(bulk("k1", "a@nhs.example"))),
                (2, Expect::Ok(bulk("k2", "b@nhs.example"))),
                (
                    3,
                    Expect::Problems(vec![(
                        Some("key"),
                        "The key \"k1\" was already used by row 1",
                    )]),
                ),
                (
                    4,
                    Expect::Problems(vec![(Some("key"), "already used by row 1")]),
                ),
            ],
        );
        check_bulk(
            "a refused row's key still counts",
            "key,email\nk1,nobody\nk1,a@nhs.example\n",
            json!([{"key": "k1", "email": "nobody"}, {"key": "k1", "email": "a@nhs.example"}]),
            vec![
                (1, Expect::Problems(vec![(Some("email"), "has no @")])),
                (
                    2,
                    Expect::Problems(vec![(Some("key"), "already used by row 1")]),
                ),
            ],
        );
        let long_key = "k".repeat(MAX_KEY_CHARS + 1);
        let max_key = "k".repeat(MAX_KEY_CHARS);
        check_bulk(
            "key limits",
            &format!(
                "key,email\n{long_key},a@nhs.example\n{max_key},b@nhs.example\n,c@nhs.example\n"
            ),
            json!([
                {"key": long_key, "email": "a@nhs.example"},
                {"key": max_key, "email": "b@nhs.example"},
                {"key": "", "email": "c@nhs.example"},
            ]),
            vec![
                (
                    1,
                    Expect::Problems(vec![(Some("key"), "201 characters; at most 200")]),
                ),
                (2, Expect::Ok(bulk(&max_key, "b@nhs.example"))),
                (
                    3,
                    Expect::Problems(vec![(Some("key"), "The key is missing")]),
                ),
            ],
        );
        check_bulk(
            "bad valid_from and e-mail",
            "key,email,valid_from\nk,a@b,next week\n",
            json!([{"key": "k", "email": "a@b", "valid_from": "next week"}]),
            vec![(
                1,
                Expect::Problems(vec![
                    (Some("email"), "no dot after the @"),
                    (Some("valid_from"), "neither a date"),
                ]),
            )],
        );
        check_bulk(
            "a date-time without a zone",
            "key,email,valid_from\nk,a@nhs.example,2026-12-01T09:30:00\n",
            json!([{"key": "k", "email": "a@nhs.example", "valid_from": "2026-12-01T09:30:00"}]),
            vec![(
                1,
                Expect::Problems(vec![(Some("valid_from"), "with a time zone")]),
            )],
        );
        check_bulk(
            "an impossible date",
            "key,email,valid_from\nk,a@nhs.example,2026-13-01\n",
            json!([{"key": "k", "email": "a@nhs.example", "valid_from": "2026-13-01"}]),
            vec![(
                1,
                Expect::Problems(vec![(Some("valid_from"), "not a day of the calendar")]),
            )],
        );
        check_bulk(
            "a long name",
            &format!("key,email,name\nk,a@nhs.example,{}\n", "n".repeat(1001)),
            json!([{"key": "k", "email": "a@nhs.example", "name": "n".repeat(1001)}]),
            vec![(1, Expect::Problems(vec![(Some("name"), "at most 1000")]))],
        );
        check_bulk(
            "missing e-mail",
            "key,email\nk,\n",
            json!([{"key": "k", "email": ""}]),
            vec![(
                1,
                Expect::Problems(vec![(Some("email"), "e-mail address is missing")]),
            )],
        );
        check_bulk(
            "control characters in a key",
            "key,email\n\"a\u{7}b\",a@nhs.example\n",
            json!([{"key": "a\u{7}b", "email": "a@nhs.example"}]),
            vec![(
                1,
                Expect::Problems(vec![(Some("key"), "control characters")]),
            )],
        );
    }

    #[test]
    fn bulk_json_only_problems() {
        let rows = parse_bulk_awards(
            &json!([
                {"email": "a@nhs.example"},
                42,
                {"key": 7, "email": ["a@nhs.example"]},
                {"key": "k", "email": "b@nhs.example", "grade": "A", "notes": null},
                {"key": "k2", "email": null},
            ])
            .to_string(),
            BulkFormat::Json,
        )
        .expect("parses");
        check_rows(
            "json",
            &rows,
            vec![
                (1, Expect::Problems(vec![(Some("key"), "The key is missing")])),
                (2, Expect::Problems(vec![(None, "must be a JSON object; this one is a number")])),
                (
                    3,
                    Expect::Problems(vec![
                        (Some("key"), "must be a string, not a number"),
                        (Some("email"), "must be a string, not an array"),
                    ]),
                ),
                (
                    4,
                    Expect::Problems(vec![
                        (Some("grade"), "not a field of a bulk award; the fields are key, email, name, valid_from, override_justification, renews"),
                        (Some("notes"), "not a field of a bulk award"),
                    ]),
                ),
                (5, Expect::Problems(vec![(Some("email"), "e-mail address is missing")])),
            ],
        );
        let check = |name: &str, text: &str, part: &str| {
            check_file_error(name, parse_bulk_awards(text, BulkFormat::Json), part);
        };
        check(
            "not JSON",
            "[{\"key\": ",
            "The file is not valid JSON: EOF while parsing",
        );
        check("trailing text", "[] x", "not valid JSON");
        check(
            "an object",
            "{\"key\": \"k\"}",
            "must hold an array of objects",
        );
        check("empty", "", "not valid JSON");
        let too_many = format!("[{}{{}}]", "{},".repeat(MAX_ROWS));
        check("too many", &too_many, "more than 100000 rows");
        assert_eq!(
            parse_bulk_awards("\u{feff}[]", BulkFormat::Json),
            Ok(vec![])
        );
    }

    #[test]
    fn bulk_csv_file_errors() {
        let check = |name: &str, text: &str, part: &str| {
            check_file_error(name, parse_bulk_awards(text, BulkFormat::Csv), part);
        };
        check(
            "no key column",
            "email,name\n",
            "The header lacks the column key.",
        );
        check(
            "unknown column",
            "key,email,grade\n",
            "the column grade, which is not expected; the columns are key, email, name, valid_from, override_justification, renews",
        );
        check("empty", "", "The file is empty: it needs a header line naming its columns (key, email, name, valid_from, override_justification, renews).");
    }

    #[test]
    fn row_results_serialise_for_the_api() {
        let rows = parse_bulk_awards("key,email\nk,a@nhs.example\nk,nobody\n", BulkFormat::Csv)
            .expect("parses");
        assert_eq!(
            serde_json::to_value(&rows).expect("json"),
            json!([
                {"row": 1, "line": 2, "record": {
                    "key": "k", "email": "a@nhs.example", "name": null,
                    "valid_from": null, "override_justification": null, "renews": null
                }},
                {"row": 2, "line": 3, "problems": [
                    {"field": "key", "message": "The key \"k\" was already used by row 1; each award needs its own key."},
                    {"field": "email", "message": "The e-mail address has no @."},
                ]},
            ])
        );
    }

    /// Whatever the bytes, the parsers answer without panicking.
    #[test]
    fn odd_input_never_panics() {
        let inputs = [
            "\"",
            "\"\"\"",
            ",",
            "\r",
            "\r\r\n\n",
            "email\r",
            "email,statement,level,date,reference\n\"",
            "email,statement,level,date,reference\n\"a\"\"",
            "email,statement,level,date,reference\né@ü.example,T1-01,awareness,2026-11-28,ß\n",
            "email,statement,level,date,reference\n\u{0},\u{0},\u{0},\u{0},\u{0}\n",
            "key,email\n\"k\"\r\n",
            "\u{feff}\u{feff}",
            "🙂,🙂\n🙂,🙂",
        ];
        for input in inputs {
            let _ = parse_completion_records(input, today());
            let _ = parse_bulk_awards(input, BulkFormat::Csv);
            let _ = parse_bulk_awards(input, BulkFormat::Json);
        }
    }
}
