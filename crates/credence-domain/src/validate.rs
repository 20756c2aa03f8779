//! Validation of framework documents. Every problem is reported with the JSON pointer of
//! the value at fault, and all problems are reported at once, not just the first.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::framework::{FrameworkDocument, PathwayKind, FORMAT};

/// One problem in a document, located by a JSON pointer (RFC 6901).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the problem is, e.g. `/statements/12/level`; empty for the whole document.
    pub pointer: String,
    /// What is wrong, as a sentence.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(document)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.message)
    }
}

/// Every problem found in a document; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let [one] = self.0.as_slice() {
            return write!(f, "{one}");
        }
        write!(f, "{} problems:", self.0.len())?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl Problems {
    /// One problem at `pointer`.
    pub fn one(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![Problem {
            pointer: pointer.into(),
            message: message.into(),
        }])
    }
}

/// Escapes one JSON pointer reference token.
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Parses JSON bytes into a document, locating syntax and type errors.
pub fn parse(bytes: &[u8]) -> Result<FrameworkDocument, Problems> {
    parse_json(bytes)
}

/// Parses JSON bytes into any document type, locating syntax and type errors by JSON
/// pointer.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Problems> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Problems::one(
            "",
            format!(
                "the file is not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    from_value_at(value, "")
}

/// Reads a JSON value found at `prefix` (a JSON pointer) into a type, locating type errors
/// by JSON pointer.
pub fn from_value_at<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Problems> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = prefix.to_owned();
        for segment in e.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                Segment::Map { key } => pointer.push_str(&format!("/{}", token(key))),
                Segment::Enum { variant } => pointer.push_str(&format!("/{}", token(variant))),
                Segment::Unknown => {}
            }
        }
        let message = e.inner().to_string();
        // A missing field is located at the field itself, not at the object lacking it.
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            pointer.push_str(&format!("/{}", token(field)));
        }
        Problems::one(pointer, message)
    })
}

pub(crate) struct Collector(Vec<Problem>);

impl Collector {
    pub(crate) fn add(&mut self, pointer: String, message: impl Into<String>) {
        self.0.push(Problem {
            pointer,
            message: message.into(),
        });
    }

    /// Records a duplicate when `key` was seen before in `seen`.
    pub(crate) fn unique<'a>(
        &mut self,
        seen: &mut HashSet<&'a str>,
        key: &'a str,
        pointer: String,
        what: &str,
    ) {
        if !seen.insert(key) {
            self.add(pointer, format!("duplicate {what} '{key}'"));
        }
    }
}

/// Checks the cross-references and rules a document must satisfy.
pub fn check(doc: &FrameworkDocument) -> Result<(), Problems> {
    let mut c = Collector(Vec::new());
    let mut known = Known::default();
    check_header(doc, &mut c);
    check_taxonomies(doc, &mut c, &mut known);
    check_layers(doc, &mut c, &mut known);
    check_archetypes_and_question_sets(doc, &mut c, &mut known);
    check_pathways(doc, &mut c, &mut known);
    check_statements(doc, &mut c, &mut known);
    check_questions(doc, &mut c, &mut known);
    check_anomalies(doc, &mut c, &known);
    crate::validate_links::check(doc, &mut c, &known);
    if c.0.is_empty() {
        Ok(())
    } else {
        Err(Problems(c.0))
    }
}

/// The codes and names the parts of a document define, gathered part by part (in the
/// order [`check`] reads them) for the parts after that refer to them.
#[derive(Default)]
pub(crate) struct Known<'d> {
    pub(crate) taxonomies: HashSet<&'d str>,
    /// Level code → its taxonomy's code: level codes are unique across the whole
    /// framework, so a statement's level names exactly one taxonomy.
    pub(crate) level_taxonomy: HashMap<&'d str, &'d str>,
    /// Layer names.
    pub(crate) layers: HashSet<&'d str>,
    /// Factor name → its layer's name.
    pub(crate) factor_layer: HashMap<&'d str, &'d str>,
    pub(crate) archetypes: HashSet<&'d str>,
    pub(crate) question_sets: HashSet<&'d str>,
    /// Pathway code → its index.
    pub(crate) pathways: HashMap<&'d str, usize>,
    pub(crate) statements: HashSet<&'d str>,
    pub(crate) questions: HashSet<&'d str>,
}

impl Known<'_> {
    /// Checks the layer and factor a statement or question at `at` is placed in.
    pub(crate) fn check_placement(
        &self,
        c: &mut Collector,
        at: &str,
        layer: &str,
        factor: Option<&str>,
    ) {
        if !self.layers.contains(layer) {
            c.add(format!("{at}/layer"), format!("unknown layer '{layer}'"));
        }
        if let Some(factor) = factor {
            match self.factor_layer.get(factor) {
                None => c.add(format!("{at}/factor"), format!("unknown factor '{factor}'")),
                Some(&owner) if owner != layer && self.layers.contains(layer) => c.add(
                    format!("{at}/factor"),
                    format!("factor '{factor}' belongs to layer '{owner}', not '{layer}'"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The format, and the header fields that must not be empty.
fn check_header(doc: &FrameworkDocument, c: &mut Collector) {
    if doc.format != FORMAT {
        c.add(
            "/format".into(),
            format!("unsupported format '{}'; expected '{FORMAT}'", doc.format),
        );
    }
    for (field, value) in [
        ("version", &doc.version),
        ("title", &doc.title),
        ("publisher", &doc.publisher),
    ] {
        if value.trim().is_empty() {
            c.add(format!("/{field}"), format!("{field} must not be empty"));
        }
    }
}

/// Taxonomies and their levels.
fn check_taxonomies<'d>(doc: &'d FrameworkDocument, c: &mut Collector, known: &mut Known<'d>) {
    for (t, taxonomy) in doc.taxonomies.iter().enumerate() {
        let at = format!("/taxonomies/{t}");
        c.unique(
            &mut known.taxonomies,
            taxonomy.code.as_str(),
            format!("{at}/code"),
            "taxonomy code",
        );
        if taxonomy.levels.is_empty() {
            c.add(
                format!("{at}/levels"),
                "a taxonomy needs at least one level",
            );
        }
        let mut ranks = HashSet::new();
        for (l, level) in taxonomy.levels.iter().enumerate() {
            let at = format!("{at}/levels/{l}");
            if known
                .level_taxonomy
                .insert(level.code.as_str(), taxonomy.code.as_str())
                .is_some()
            {
                c.add(
                    format!("{at}/code"),
                    format!("duplicate level code '{}'", level.code),
                );
            }
            if level.rank == 0 || !ranks.insert(level.rank) {
                c.add(
                    format!("{at}/rank"),
                    format!(
                        "rank {} must be at least 1 and unique within taxonomy '{}'",
                        level.rank, taxonomy.code
                    ),
                );
            }
        }
    }
}

/// Layers and their factors.
fn check_layers<'d>(doc: &'d FrameworkDocument, c: &mut Collector, known: &mut Known<'d>) {
    let mut layer_codes = HashSet::new();
    let mut factor_codes = HashSet::new();
    for (l, layer) in doc.layers.iter().enumerate() {
        let at = format!("/layers/{l}");
        c.unique(
            &mut layer_codes,
            layer.code.as_str(),
            format!("{at}/code"),
            "layer code",
        );
        for (f, factor) in layer.factors.iter().enumerate() {
            let at = format!("{at}/factors/{f}");
            c.unique(
                &mut factor_codes,
                factor.code.as_str(),
                format!("{at}/code"),
                "factor code",
            );
            if known
                .factor_layer
                .insert(factor.name.as_str(), layer.name.as_str())
                .is_some()
            {
                c.add(
                    format!("{at}/name"),
                    format!("duplicate factor name '{}'", factor.name),
                );
            }
        }
    }
    known.layers = doc.layers.iter().map(|l| l.name.as_str()).collect();
}

/// Archetypes, and question sets with the archetype they name.
fn check_archetypes_and_question_sets<'d>(
    doc: &'d FrameworkDocument,
    c: &mut Collector,
    known: &mut Known<'d>,
) {
    for (a, archetype) in doc.archetypes.iter().enumerate() {
        c.unique(
            &mut known.archetypes,
            archetype.code.as_str(),
            format!("/archetypes/{a}/code"),
            "archetype code",
        );
    }
    for (s, set) in doc.question_sets.iter().enumerate() {
        c.unique(
            &mut known.question_sets,
            set.code.as_str(),
            format!("/question_sets/{s}/code"),
            "question set code",
        );
        if let Some(a) = &set.archetype {
            if !known.archetypes.contains(a.as_str()) {
                c.add(
                    format!("/question_sets/{s}/archetype"),
                    format!("unknown archetype '{a}'"),
                );
            }
        }
    }
}

/// Pathways: references, then cycles in the prerequisite graph.
fn check_pathways<'d>(doc: &'d FrameworkDocument, c: &mut Collector, known: &mut Known<'d>) {
    let mut pathway_codes = HashSet::new();
    for (p, pathway) in doc.pathways.iter().enumerate() {
        let at = format!("/pathways/{p}");
        c.unique(
            &mut pathway_codes,
            pathway.code.as_str(),
            format!("{at}/code"),
            "pathway code",
        );
        match (&pathway.archetype, pathway.kind) {
            (None, PathwayKind::Advanced) => c.add(
                format!("{at}/archetype"),
                "an advanced pathway must name its archetype",
            ),
            (Some(a), _) if !known.archetypes.contains(a.as_str()) => c.add(
                format!("{at}/archetype"),
                format!("unknown archetype '{a}'"),
            ),
            _ => {}
        }
        if let Some(set) = &pathway.question_set {
            if !known.question_sets.contains(set.as_str()) {
                c.add(
                    format!("{at}/question_set"),
                    format!("unknown question set '{set}'"),
                );
            }
        }
    }
    known.pathways = doc
        .pathways
        .iter()
        .enumerate()
        .map(|(i, p)| (p.code.as_str(), i))
        .collect();
    for (p, pathway) in doc.pathways.iter().enumerate() {
        for (r, prerequisite) in pathway.prerequisites.iter().enumerate() {
            if !known.pathways.contains_key(prerequisite.as_str()) {
                c.add(
                    format!("/pathways/{p}/prerequisites/{r}"),
                    format!("unknown pathway '{prerequisite}'"),
                );
            }
        }
    }
    if let Some(cycle) = find_cycle(doc, &known.pathways) {
        let names: Vec<&str> = cycle
            .iter()
            .map(|&i| doc.pathways[i].code.as_str())
            .collect();
        c.add(
            format!("/pathways/{}/prerequisites", cycle[0]),
            format!("pathway prerequisites form a cycle: {}", names.join(" -> ")),
        );
    }
}

/// Statements: their pathway, taxonomy, level, placement and anomalies.
fn check_statements<'d>(doc: &'d FrameworkDocument, c: &mut Collector, known: &mut Known<'d>) {
    let anomaly_codes: HashSet<&str> = doc.anomalies.iter().map(|a| a.code.as_str()).collect();
    for (s, statement) in doc.statements.iter().enumerate() {
        let at = format!("/statements/{s}");
        c.unique(
            &mut known.statements,
            statement.code.as_str(),
            format!("{at}/code"),
            "statement code",
        );
        if !known.pathways.contains_key(statement.pathway.as_str()) {
            c.add(
                format!("{at}/pathway"),
                format!("unknown pathway '{}'", statement.pathway),
            );
        }
        if !known.taxonomies.contains(statement.taxonomy.as_str()) {
            c.add(
                format!("{at}/taxonomy"),
                format!("unknown taxonomy '{}'", statement.taxonomy),
            );
        }
        match &statement.level {
            Some(level) => match known.level_taxonomy.get(level.as_str()) {
                None => c.add(format!("{at}/level"), format!("unknown level '{level}'")),
                Some(&owner) if owner != statement.taxonomy.as_str() => c.add(
                    format!("{at}/level"),
                    format!(
                        "wrong taxonomy for level '{level}': it belongs to '{owner}', \
                         but the statement is in '{}'",
                        statement.taxonomy
                    ),
                ),
                Some(_) => {}
            },
            None if statement.anomalies.is_empty() => c.add(
                format!("{at}/level"),
                "a statement without a level must name the anomaly that explains why",
            ),
            None => {}
        }
        if statement.text.trim().is_empty() {
            c.add(format!("{at}/text"), "statement text must not be empty");
        }
        known.check_placement(c, &at, &statement.layer, statement.factor.as_deref());
        for (a, anomaly) in statement.anomalies.iter().enumerate() {
            if !anomaly_codes.contains(anomaly.as_str()) {
                c.add(
                    format!("{at}/anomalies/{a}"),
                    format!("unknown anomaly '{anomaly}'"),
                );
            }
        }
    }
}

/// Questions: their question set and placement.
fn check_questions<'d>(doc: &'d FrameworkDocument, c: &mut Collector, known: &mut Known<'d>) {
    for (q, question) in doc.questions.iter().enumerate() {
        let at = format!("/questions/{q}");
        c.unique(
            &mut known.questions,
            question.code.as_str(),
            format!("{at}/code"),
            "question code",
        );
        if !known.question_sets.contains(question.question_set.as_str()) {
            c.add(
                format!("{at}/question_set"),
                format!("unknown question set '{}'", question.question_set),
            );
        }
        known.check_placement(c, &at, &question.layer, question.factor.as_deref());
    }
}

/// Anomalies: a decision each, and the statements and questions they name.
fn check_anomalies(doc: &FrameworkDocument, c: &mut Collector, known: &Known<'_>) {
    let mut seen_anomalies = HashSet::new();
    for (a, anomaly) in doc.anomalies.iter().enumerate() {
        let at = format!("/anomalies/{a}");
        c.unique(
            &mut seen_anomalies,
            anomaly.code.as_str(),
            format!("{at}/code"),
            "anomaly code",
        );
        if anomaly.decision.trim().is_empty() {
            c.add(format!("{at}/decision"), "every anomaly needs a decision");
        }
        for (i, code) in anomaly.statements.iter().enumerate() {
            if !known.statements.contains(code.as_str()) {
                c.add(
                    format!("{at}/statements/{i}"),
                    format!("unknown statement '{code}'"),
                );
            }
        }
        for (i, code) in anomaly.questions.iter().enumerate() {
            if !known.questions.contains(code.as_str()) {
                c.add(
                    format!("{at}/questions/{i}"),
                    format!("unknown question '{code}'"),
                );
            }
        }
    }
}

/// Finds one cycle in the prerequisite graph, as pathway indexes starting and ending at
/// the same pathway.
fn find_cycle(doc: &FrameworkDocument, index: &HashMap<&str, usize>) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        doc: &FrameworkDocument,
        index: &HashMap<&str, usize>,
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
        node: usize,
    ) -> Option<Vec<usize>> {
        marks[node] = Mark::Open;
        stack.push(node);
        for prerequisite in &doc.pathways[node].prerequisites {
            let Some(&next) = index.get(prerequisite.as_str()) else {
                continue;
            };
            match marks[next] {
                Mark::Open => {
                    let start = stack.iter().position(|&n| n == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next);
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(doc, index, marks, stack, next) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[node] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; doc.pathways.len()];
    for start in 0..doc.pathways.len() {
        if marks[start] == Mark::New {
            if let Some(cycle) = visit(doc, index, &mut marks, &mut Vec::new(), start) {
                return Some(cycle);
            }
        }
    }
    None
}

/// Collects every problem of a form or request at once, each with the JSON pointer of
/// its field, so that a person sees all of them beside their fields together.
#[derive(Debug, Default)]
pub struct FormProblems(Vec<Problem>);

impl FormProblems {
    /// No problem yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem of the field at `pointer`.
    pub fn add(&mut self, pointer: &str, message: impl Into<String>) {
        self.0.push(Problem {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    /// Records `message` when `problem` is `Some`; for the checks below.
    pub fn check(&mut self, pointer: &str, problem: Option<String>) {
        if let Some(message) = problem {
            self.add(pointer, message);
        }
    }

    /// The value of `result`, or `None` after recording `message(error)` at `pointer`.
    pub fn take<T, E>(
        &mut self,
        pointer: &str,
        result: Result<T, E>,
        message: impl FnOnce(E) -> String,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.add(pointer, message(e));
                None
            }
        }
    }

    /// Whether a problem was recorded for the field at `pointer`.
    pub fn has(&self, pointer: &str) -> bool {
        self.0.iter().any(|p| p.pointer == pointer)
    }

    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, otherwise every problem recorded.
    pub fn finish(self) -> Result<(), Problems> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Problems(self.0))
        }
    }
}

/// "1 character", "20 characters".
fn characters(n: usize) -> String {
    if n == 1 {
        "1 character".to_owned()
    } else {
        format!("{n} characters")
    }
}

/// The problem of a text field, if any: `what` names the field in words ("your name"),
/// `ask` is what to do when it is empty ("Enter your name."); `None` when the text, trimmed,
/// has between `min` and `max` characters. An empty optional field has `min` 0.
pub fn text_problem(value: &str, what: &str, ask: &str, min: usize, max: usize) -> Option<String> {
    let n = value.trim().chars().count();
    if n == 0 && min > 0 {
        Some(ask.to_owned())
    } else if n < min {
        Some(format!(
            "Write at least {} for {what}; it has {}.",
            characters(min),
            characters(n)
        ))
    } else if n > max {
        Some(format!(
            "Shorten {what} to at most {}; it has {}.",
            characters(max),
            characters(n)
        ))
    } else {
        None
    }
}

/// The problem of an e-mail address field, if any; `ask` is what to do when it is empty.
pub fn email_problem(value: &str, ask: &str) -> Option<String> {
    if value.trim().is_empty() {
        Some(ask.to_owned())
    } else if crate::registry::Email::new(value).is_err() {
        Some("Enter an e-mail address in the form name@example.org.".to_owned())
    } else {
        None
    }
}

/// The problem of a web address part such as a portfolio's or an organisation's address,
/// if any (lower-case letters, digits and hyphens); `what` names it ("the address").
pub fn address_problem(value: &str, what: &str) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > 64 {
        Some(format!("Shorten {what} to at most 64 characters."))
    } else if crate::codes::OrgSlug::new(value).is_err() {
        Some(format!(
            "Use only lower-case letters, digits and hyphens in {what}, starting with a letter or digit."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod form_tests {
    use super::{address_problem, email_problem, text_problem, FormProblems};

    fn check(got: Option<String>, expected: Option<&str>) {
        assert_eq!(got.as_deref(), expected);
    }

    #[test]
    fn text_fields_are_checked_in_words() {
        let ask = "Enter your name.";
        for (value, min, max, expected) in [
            ("", 1, 10, Some("Enter your name.")),
            ("   ", 1, 10, Some("Enter your name.")),
            ("", 0, 10, None),
            ("Sam", 1, 10, None),
            (
                "short",
                20,
                2000,
                Some("Write at least 20 characters for your name; it has 5 characters."),
            ),
            (
                "abcdefghijk",
                1,
                10,
                Some("Shorten your name to at most 10 characters; it has 11 characters."),
            ),
            (
                "a",
                2,
                10,
                Some("Write at least 2 characters for your name; it has 1 character."),
            ),
        ] {
            check(text_problem(value, "your name", ask, min, max), expected);
        }
    }

    #[test]
    fn email_addresses_are_checked_in_words() {
        let ask = "Enter your e-mail address.";
        let form = "Enter an e-mail address in the form name@example.org.";
        for (value, expected) in [
            ("", Some(ask)),
            ("sam", Some(form)),
            ("sam@", Some(form)),
            ("sam@example", Some(form)),
            ("sam@example.org", None),
            (" Sam@Example.org ", None),
        ] {
            check(email_problem(value, ask), expected);
        }
    }

    #[test]
    fn addresses_are_checked_in_words() {
        let rule = "Use only lower-case letters, digits and hyphens in the address, starting with a letter or digit.";
        for (value, expected) in [
            ("pat-1", None),
            ("Pat", Some(rule)),
            ("-pat", Some(rule)),
            ("pat smith", Some(rule)),
            ("", Some(rule)),
        ] {
            check(address_problem(value, "the address"), expected);
        }
        check(
            address_problem(&"a".repeat(65), "the address"),
            Some("Shorten the address to at most 64 characters."),
        );
    }

    #[test]
    fn every_problem_is_collected_with_its_field() {
        let mut problems = FormProblems::new();
        assert!(problems.is_empty());
        problems.check("/email", email_problem("", "Enter your e-mail address."));
        problems.check("/name", text_problem("Sam", "your name", "Enter it.", 1, 9));
        let number: Option<i64> =
            problems.take("/days", "x".parse::<i64>(), |_| "Enter a number.".into());
        assert_eq!(number, None);
        problems.add("/password", "Choose a longer password.");
        assert!(problems.has("/email") && problems.has("/days") && !problems.has("/name"));
        let all = problems.finish().expect_err("three problems");
        let got: Vec<(&str, &str)> = all
            .0
            .iter()
            .map(|p| (p.pointer.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/email", "Enter your e-mail address."),
                ("/days", "Enter a number."),
                ("/password", "Choose a longer password."),
            ]
        );
        assert_eq!(FormProblems::new().finish(), Ok(()));
    }
}
