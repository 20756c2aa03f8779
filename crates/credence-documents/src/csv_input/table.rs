//! RFC 4180 records read through the `csv` crate, strictly, and a file's header and data
//! rows matched to the columns it may have.

use super::{CsvError, Problem, MAX_FIELD_CHARS, MAX_INPUT_BYTES, MAX_ROWS};

/// One CSV record and the line it starts on.
pub(super) struct Record {
    pub(super) line: usize,
    /// How many rows it stands for: itself and the blank lines just before it, which keep
    /// their row numbers.
    rows: usize,
    fields: csv::StringRecord,
}

impl Record {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Reads RFC 4180 records one at a time through the `csv` crate, which splits records and
/// fields and undoes quoting. That crate is lenient where RFC 4180 is not (a quote left open
/// runs to the end of the file, text after a closing quote or a quote inside an unquoted
/// field is kept); such a record is refused here instead, by comparing the record's text
/// with the fields the crate read from it, so that an issuer learns of a broken file rather
/// than receiving awards made from a misread one.
struct Reader<'a> {
    text: &'a str,
    csv: csv::Reader<&'a [u8]>,
    /// Whether the last record ended with a carriage return (whose line feed, if any, the
    /// `csv` crate leaves at the start of the next record).
    after_cr: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        Reader {
            text,
            csv,
            after_cr: false,
        }
    }

    /// The next record, or `None` at the end of the text.
    fn next_record(&mut self) -> Option<Result<Record, CsvError>> {
        let mut fields = csv::StringRecord::new();
        match self.csv.read_record(&mut fields) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                return Some(Err(malformed(line, &e.to_string())));
            }
        }
        let start = fields.position().map_or(0, |p| p.byte() as usize);
        let end = (self.csv.position().byte() as usize).min(self.text.len());
        let mut raw = self.text.get(start..end).unwrap_or("");
        let mut line = fields.position().map_or(1, |p| p.line() as usize);
        // The blank lines skipped before the record (the rest of a CRLF aside).
        if self.after_cr {
            if let Some(rest) = raw.strip_prefix('\n') {
                raw = rest;
                line += 1;
            }
        }
        let body = raw.trim_start_matches(['\r', '\n']);
        let blank = &raw[..raw.len() - body.len()];
        line += blank.matches('\n').count();
        // Each line break (CRLF, CR or LF) in the blank text is one blank row.
        let rows = 1 + blank.matches(['\r', '\n']).count() - blank.matches("\r\n").count();
        self.after_cr = body.ends_with('\r');
        let body = body
            .strip_suffix("\r\n")
            .or_else(|| body.strip_suffix(['\r', '\n']))
            .unwrap_or(body);
        Some(strict(body, &fields, line).map(|()| Record { line, rows, fields }))
    }
}

fn malformed(line: usize, message: &str) -> CsvError {
    CsvError::Malformed {
        line,
        message: message.to_owned(),
    }
}

/// Checks that `raw`, the text of a record starting on `line`, is exactly `fields` written
/// as RFC 4180 asks: each field as it is, or in quotes with its quotes doubled.
fn strict(raw: &str, fields: &csv::StringRecord, line: usize) -> Result<(), CsvError> {
    let refuse = |at: &str, message: &str| {
        let offset = raw.len() - at.len();
        Err(malformed(
            line + raw[..offset].matches('\n').count(),
            message,
        ))
    };
    let mut rest = raw;
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            let Some(close) = closing_quote(quoted) else {
                return refuse(rest, "a quoted field is not closed (a \" is missing).");
            };
            let after = &quoted[close + 1..];
            if quoted[..close].replace("\"\"", "\"") != field
                || !(after.is_empty() || after.starts_with(','))
            {
                return refuse(
                    after,
                    "text follows the closing quote of a field; write a quote inside a quoted field as two quotes (\"\").",
                );
            }
            rest = after;
        } else {
            if field.contains('"') {
                return refuse(
                    rest,
                    "a field has a quote but does not start with one; put the whole field in quotes and write the quote as two quotes (\"\").",
                );
            }
            rest = rest.get(field.len()..).unwrap_or("");
        }
    }
    Ok(())
}

/// The offset of the quote that closes a quoted field whose text (after its opening quote)
/// is `quoted`: the first quote that is not one of a doubled pair.
fn closing_quote(quoted: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + quoted[from..].find('"')?;
        if quoted[at + 1..].starts_with('"') {
            from = at + 2;
        } else {
            return Some(at);
        }
    }
}

/// A column a file may have.
pub(super) struct Column {
    pub(super) name: &'static str,
    pub(super) required: bool,
}

/// The header and data rows of a CSV file, with each expected column's position.
pub(super) struct Table {
    /// For each expected column, its index in the header, if present.
    positions: Vec<Option<usize>>,
    width: usize,
    /// (row number, record) for every non-blank data row.
    pub(super) rows: Vec<(usize, Record)>,
}

pub(super) fn read_table(text: &str, columns: &[Column]) -> Result<Table, CsvError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(CsvError::TooLarge {
            limit: MAX_INPUT_BYTES,
        });
    }
    let expected: Vec<&'static str> = columns.iter().map(|c| c.name).collect();
    let mut reader = Reader::new(text);
    let header = loop {
        match reader.next_record() {
            None => return Err(CsvError::NoHeader { expected }),
            Some(Err(e)) => return Err(e),
            Some(Ok(record)) if record.is_blank() => continue,
            Some(Ok(record)) => break record,
        }
    };
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|f| f.trim().to_ascii_lowercase())
        .collect();
    let unknown: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !expected.contains(&n.as_str()))
        .map(|(i, n)| {
            if n.is_empty() {
                format!("{} (which has no name)", i + 1)
            } else {
                n.clone()
            }
        })
        .collect();
    if !unknown.is_empty() {
        return Err(CsvError::UnknownColumns {
            columns: unknown,
            expected,
        });
    }
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(CsvError::RepeatedColumn(name.clone()));
        }
    }
    let positions: Vec<Option<usize>> = columns
        .iter()
        .map(|c| names.iter().position(|n| n == c.name))
        .collect();
    let missing: Vec<&'static str> = columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::MissingColumns { columns: missing });
    }
    let mut rows = Vec::new();
    let mut number = 0;
    while let Some(record) = reader.next_record() {
        let record = record?;
        number += record.rows;
        if record.is_blank() {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(CsvError::TooManyRows { limit: MAX_ROWS });
        }
        rows.push((number, record));
    }
    Ok(Table {
        positions,
        width: names.len(),
        rows,
    })
}

/// The trimmed values of one data row, by expected column; problems with the row's shape
/// and with over-long fields are added to `problems`.
pub(super) fn row_values<'r>(
    table: &Table,
    columns: &[Column],
    record: &'r Record,
    problems: &mut Vec<Problem>,
) -> Vec<Option<&'r str>> {
    if record.fields.len() != table.width {
        problems.push(Problem::row(format!(
            "The row (from line {}) has {} field{} where the header has {}.",
            record.line,
            record.fields.len(),
            if record.fields.len() == 1 { "" } else { "s" },
            table.width
        )));
    }
    columns
        .iter()
        .zip(&table.positions)
        .map(|(column, position)| {
            let value = position.and_then(|p| record.fields.get(p))?;
            limited(column.name, value.trim(), problems)
        })
        .collect()
}

/// `value`, or `None` with a problem when it is longer than [`MAX_FIELD_CHARS`].
pub(super) fn limited<'v>(
    field: &str,
    value: &'v str,
    problems: &mut Vec<Problem>,
) -> Option<&'v str> {
    let chars = value.chars().count();
    if chars > MAX_FIELD_CHARS {
        problems.push(Problem::field(
            field,
            format!("The value has {chars} characters; at most {MAX_FIELD_CHARS} are allowed."),
        ));
        None
    } else {
        Some(value)
    }
}
