//! A CASE 1.1 `CFPackage` read into a framework document.
//!
//! A package Credence wrote (its `extensions` carry the `credence` member) is read back
//! into the identical document: every part comes from the item, association or extension
//! it was written to. A package from another tool is read with these defaults:
//!
//! - the slug is made from the document's title, the version is its `version` ("1" when
//!   absent), the publisher its `publisher` or else its `creator`;
//! - one taxonomy, "Competence", with one level, "Met": CASE items carry no level scale;
//! - items that other items are `isChildOf` are groupings: the topmost grouping above a
//!   statement is its layer, its direct parent (when that is not the layer) its factor;
//!   items that nothing is a child of are the competency statements, and a statement
//!   with no grouping above it is in a layer named after the document;
//! - a statement's code is its `humanCodingScheme` in capitals, with other characters
//!   than letters, digits and hyphens made hyphens (`S-{n}` when that is empty or taken);
//! - every statement belongs to one foundational pathway named after the document, its
//!   table is "CASE package" and its source line its place among the package's items.
//!
//! Problems are reported with the JSON pointer of the field at fault in the package.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

use super::model::{CfItem, CfPackage};
use super::{ItemKind, EXTENSION_KEY};
use crate::codes::{
    ArchetypeCode, FrameworkSlug, LevelCode, PathwayCode, PlainCode, StatementCode, TaxonomyCode,
    TopicCode,
};
use crate::framework::{
    Anomaly, Archetype, ArchetypeFactors, Factor, FrameworkDocument, Implication, Layer, Level,
    Marker, Note, Pathway, PathwayKind, Question, QuestionSet, Quote, SourceText, Statement,
    Taxonomy, Topic,
};
use crate::validate::{from_value_at, parse_json, Problem, Problems};

/// The framework-wide part of a package Credence wrote.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkExtension {
    format: String,
    slug: FrameworkSlug,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    source: Option<SourceText>,
    #[serde(default)]
    subsumption: Vec<Quote>,
    #[serde(default)]
    archetypes: Vec<Archetype>,
    #[serde(default)]
    question_sets: Vec<QuestionSet>,
    #[serde(default)]
    questions: Vec<Question>,
    #[serde(default)]
    anomalies: Vec<Anomaly>,
    #[serde(default)]
    figure_a1: Option<ArchetypeFactors>,
    #[serde(default)]
    notes: Vec<Note>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TaxonomyExtension {
    #[serde(default)]
    source_line: Option<u32>,
    #[serde(default)]
    marker: Option<Marker>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LevelExtension {
    #[serde(default)]
    source_line: Option<u32>,
    #[serde(default)]
    implies: Vec<Implication>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathwayExtension {
    kind: PathwayKind,
    #[serde(default)]
    table: Option<String>,
    #[serde(default)]
    archetype: Option<ArchetypeCode>,
    #[serde(default)]
    prerequisites: Vec<PathwayCode>,
    #[serde(default)]
    question_set: Option<PlainCode>,
    #[serde(default)]
    source_line: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementExtension {
    table: String,
    taxonomy: TaxonomyCode,
    source_line: u32,
    #[serde(default)]
    anomalies: Vec<String>,
    #[serde(default)]
    marker: Option<String>,
}

/// Reads a CASE package (JSON bytes) into a framework document. The document still has
/// to pass the framework's own validation.
pub fn from_package(bytes: &[u8]) -> Result<FrameworkDocument, Problems> {
    let value: Value = parse_json(bytes)?;
    if !value.is_object() {
        return Err(Problems::one(
            "",
            "a CASE package is a JSON object with a CFDocument, CFItems and CFAssociations",
        ));
    }
    let package: CfPackage = from_value_at(value, "")?;
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in package.items.iter().enumerate() {
        if !seen.insert(item.identifier.as_str()) {
            problems.push(problem(
                format!("/CFItems/{i}/identifier"),
                format!("duplicate item identifier '{}'", item.identifier),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let ours = package
        .extensions
        .as_ref()
        .and_then(|e| e.get(EXTENSION_KEY))
        .cloned();
    match ours {
        Some(extension) => Credence::read(&package, extension),
        None => foreign(&package),
    }
}

fn problem(pointer: String, message: impl Into<String>) -> Problem {
    Problem {
        pointer,
        message: message.into(),
    }
}

/// The links of a package: for each origin, its associations' types and destinations.
struct Links<'p> {
    from: HashMap<&'p str, Vec<(&'p str, &'p str)>>,
}

impl<'p> Links<'p> {
    fn new(package: &'p CfPackage) -> Self {
        let mut from: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for a in &package.associations {
            from.entry(a.origin.identifier.as_str()).or_default().push((
                a.association_type.as_str(),
                a.destination.identifier.as_str(),
            ));
        }
        Self { from }
    }

    /// The destinations of `origin`'s associations of `kind`.
    fn targets<'a>(&'a self, origin: &str, kind: &'a str) -> impl Iterator<Item = &'p str> + 'a {
        self.from
            .get(origin)
            .into_iter()
            .flatten()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, d)| *d)
    }
}

/// Reads a package Credence wrote.
struct Credence<'p> {
    package: &'p CfPackage,
    links: Links<'p>,
    /// Item identifier → (index, kind).
    items: HashMap<&'p str, (usize, ItemKind)>,
    problems: Vec<Problem>,
}

impl<'p> Credence<'p> {
    fn read(package: &'p CfPackage, extension: Value) -> Result<FrameworkDocument, Problems> {
        let head: FrameworkExtension =
            from_value_at(extension, &format!("/extensions/{EXTENSION_KEY}"))?;
        let mut reader = Self {
            package,
            links: Links::new(package),
            items: HashMap::new(),
            problems: Vec::new(),
        };
        for (i, item) in package.items.iter().enumerate() {
            match item.item_type.as_deref().and_then(ItemKind::from_title) {
                Some(kind) => {
                    reader.items.insert(item.identifier.as_str(), (i, kind));
                }
                None => reader.problems.push(problem(
                    format!("/CFItems/{i}/CFItemType"),
                    format!(
                        "unknown item type {:?}; a package Credence wrote has only {}",
                        item.item_type.as_deref().unwrap_or(""),
                        ItemKind::ALL.map(ItemKind::title).join(", ")
                    ),
                )),
            }
        }
        let doc = reader.document(head);
        if reader.problems.is_empty() {
            Ok(doc)
        } else {
            Err(Problems(reader.problems))
        }
    }

    fn of_kind(&self, kind: ItemKind) -> impl Iterator<Item = (usize, &'p CfItem)> + '_ {
        let package = self.package;
        package.items.iter().enumerate().filter(move |(_, item)| {
            self.items.get(item.identifier.as_str()).map(|(_, k)| *k) == Some(kind)
        })
    }

    /// The item's `humanCodingScheme` read as a code.
    fn code<T, E: std::fmt::Display>(
        &mut self,
        i: usize,
        item: &CfItem,
        parse: impl Fn(String) -> Result<T, E>,
    ) -> Option<T> {
        let at = format!("/CFItems/{i}/humanCodingScheme");
        match &item.human_coding_scheme {
            None => {
                self.problems.push(problem(
                    at,
                    "missing: Credence's items carry their code here",
                ));
                None
            }
            Some(code) => match parse(code.clone()) {
                Ok(code) => Some(code),
                Err(e) => {
                    self.problems.push(problem(at, e.to_string()));
                    None
                }
            },
        }
    }

    fn extension<T: serde::de::DeserializeOwned + Default>(
        &mut self,
        i: usize,
        item: &CfItem,
    ) -> T {
        self.required_extension(i, item).unwrap_or_default()
    }

    fn required_extension<T: serde::de::DeserializeOwned>(
        &mut self,
        i: usize,
        item: &CfItem,
    ) -> Option<T> {
        let value = Value::Object(item.extensions.clone().unwrap_or_default());
        match from_value_at(value, &format!("/CFItems/{i}/extensions")) {
            Ok(ext) => Some(ext),
            Err(Problems(mut found)) => {
                self.problems.append(&mut found);
                None
            }
        }
    }

    /// The one item of `kind` that `origin` is associated with by `association`.
    fn linked(
        &mut self,
        i: usize,
        origin: &CfItem,
        association: &str,
        kind: ItemKind,
        required: bool,
    ) -> Option<&'p CfItem> {
        let found: Vec<&'p CfItem> = self
            .links
            .targets(&origin.identifier, association)
            .filter_map(|d| self.items.get(d))
            .filter(|(_, k)| *k == kind)
            .map(|(j, _)| &self.package.items[*j])
            .collect();
        match found.as_slice() {
            [one] => Some(one),
            [] if !required => None,
            _ => {
                self.problems.push(problem(
                    format!("/CFItems/{i}"),
                    format!(
                        "the {} '{}' must be {association} exactly one {} item; it is {association} {}",
                        origin.item_type.as_deref().unwrap_or("item"),
                        origin.human_coding_scheme.as_deref().unwrap_or(&origin.identifier),
                        kind.title(),
                        found.len()
                    ),
                ));
                None
            }
        }
    }

    fn document(&mut self, head: FrameworkExtension) -> FrameworkDocument {
        let document = &self.package.document;
        FrameworkDocument {
            format: head.format,
            slug: head.slug,
            version: document.version.clone().unwrap_or_default(),
            title: document.title.clone(),
            publisher: document
                .publisher
                .clone()
                .unwrap_or_else(|| document.creator.clone()),
            published: head.published,
            description: document.description.clone().unwrap_or_default(),
            source: head.source,
            taxonomies: self.taxonomies(),
            subsumption: head.subsumption,
            layers: self.layers(),
            archetypes: head.archetypes,
            pathways: self.pathways(),
            statements: self.statements(),
            question_sets: head.question_sets,
            questions: head.questions,
            anomalies: head.anomalies,
            topics: self.topics(),
            figure_a1: head.figure_a1,
            notes: head.notes,
        }
    }

    fn taxonomies(&mut self) -> Vec<Taxonomy> {
        let mut out = Vec::new();
        for (i, item) in self.of_kind(ItemKind::Taxonomy).collect::<Vec<_>>() {
            let ext: TaxonomyExtension = self.extension(i, item);
            if let Some(code) = self.code(i, item, TaxonomyCode::new) {
                out.push((
                    item.identifier.as_str(),
                    Taxonomy {
                        code,
                        name: item.full_statement.clone(),
                        source_line: ext.source_line,
                        marker: ext.marker,
                        levels: Vec::new(),
                    },
                ));
            }
        }
        for (i, item) in self.of_kind(ItemKind::Level).collect::<Vec<_>>() {
            let ext: LevelExtension = self.extension(i, item);
            let code = self.code(i, item, LevelCode::new);
            let taxonomy = self.linked(i, item, "isPartOf", ItemKind::Taxonomy, true);
            let rank = item
                .list_enumeration
                .as_deref()
                .and_then(|r| r.parse().ok());
            if rank.is_none() {
                self.problems.push(problem(
                    format!("/CFItems/{i}/listEnumeration"),
                    "a level's rank (1 for the lowest) must be given here",
                ));
            }
            let Some(name) = item.abbreviated_statement.clone() else {
                self.problems.push(problem(
                    format!("/CFItems/{i}/abbreviatedStatement"),
                    "missing: a level's name is given here",
                ));
                continue;
            };
            let (Some(code), Some(taxonomy), Some(rank)) = (code, taxonomy, rank) else {
                continue;
            };
            if let Some((_, t)) = out.iter_mut().find(|(id, _)| *id == taxonomy.identifier) {
                t.levels.push(Level {
                    code,
                    name,
                    rank,
                    learner_statement: item.full_statement.clone(),
                    source_line: ext.source_line,
                    implies: ext.implies,
                });
            }
        }
        out.into_iter().map(|(_, t)| t).collect()
    }

    fn layers(&mut self) -> Vec<Layer> {
        let mut out = Vec::new();
        for (i, item) in self.of_kind(ItemKind::Layer).collect::<Vec<_>>() {
            if let Some(code) = self.code(i, item, PlainCode::new) {
                out.push((
                    item.identifier.as_str(),
                    Layer {
                        code,
                        name: item.full_statement.clone(),
                        note: item.notes.clone(),
                        factors: Vec::new(),
                    },
                ));
            }
        }
        for (i, item) in self.of_kind(ItemKind::Factor).collect::<Vec<_>>() {
            // A factor's code is written `{layer}/{factor}`.
            let code = self.code(i, item, |c| {
                let own = c.rsplit('/').next().unwrap_or_default().to_owned();
                PlainCode::new(own)
            });
            let layer = self.linked(i, item, "isChildOf", ItemKind::Layer, true);
            let (Some(code), Some(layer)) = (code, layer) else {
                continue;
            };
            if let Some((_, l)) = out.iter_mut().find(|(id, _)| *id == layer.identifier) {
                l.factors.push(Factor {
                    code,
                    name: item.full_statement.clone(),
                });
            }
        }
        out.into_iter().map(|(_, l)| l).collect()
    }

    fn topics(&mut self) -> Vec<Topic> {
        let mut out = Vec::new();
        for (i, item) in self.of_kind(ItemKind::Topic).collect::<Vec<_>>() {
            if let Some(code) = self.code(i, item, TopicCode::new) {
                out.push(Topic {
                    code,
                    name: item.full_statement.clone(),
                    decision: item.notes.clone(),
                });
            }
        }
        out
    }

    fn pathways(&mut self) -> Vec<Pathway> {
        let mut out = Vec::new();
        for (i, item) in self.of_kind(ItemKind::Pathway).collect::<Vec<_>>() {
            let ext: Option<PathwayExtension> = self.required_extension(i, item);
            let code = self.code(i, item, PathwayCode::new);
            let (Some(ext), Some(code)) = (ext, code) else {
                continue;
            };
            out.push(Pathway {
                code,
                kind: ext.kind,
                name: item
                    .abbreviated_statement
                    .clone()
                    .unwrap_or_else(|| item.full_statement.clone()),
                description: item.full_statement.clone(),
                table: ext.table,
                archetype: ext.archetype,
                prerequisites: ext.prerequisites,
                question_set: ext.question_set,
                source_line: ext.source_line,
            });
        }
        out
    }

    fn statements(&mut self) -> Vec<Statement> {
        let mut out = Vec::new();
        for (i, item) in self.of_kind(ItemKind::Statement).collect::<Vec<_>>() {
            let ext: Option<StatementExtension> = self.required_extension(i, item);
            let code = self.code(i, item, StatementCode::new);
            let pathway = self.linked(i, item, "isPartOf", ItemKind::Pathway, true);
            let factor = self.linked(i, item, "isChildOf", ItemKind::Factor, false);
            let layer = match factor {
                Some(f) => self.linked(i, f, "isChildOf", ItemKind::Layer, true),
                None => self.linked(i, item, "isChildOf", ItemKind::Layer, true),
            };
            let level = self.linked(i, item, "hasSkillLevel", ItemKind::Level, false);
            let topic = self.linked(i, item, "isPartOf", ItemKind::Topic, false);
            let (Some(ext), Some(code), Some(pathway), Some(layer)) = (ext, code, pathway, layer)
            else {
                continue;
            };
            let code_of = |item: &CfItem| item.human_coding_scheme.clone().unwrap_or_default();
            let (Ok(pathway), Ok(level), Ok(topic)) = (
                PathwayCode::new(code_of(pathway)),
                level.map(|l| LevelCode::new(code_of(l))).transpose(),
                topic.map(|t| TopicCode::new(code_of(t))).transpose(),
            ) else {
                continue; // the linked item's own code was reported where it stands
            };
            out.push(Statement {
                code,
                table: ext.table,
                pathway,
                layer: layer.full_statement.clone(),
                factor: factor.map(|f| f.full_statement.clone()),
                taxonomy: ext.taxonomy,
                level,
                text: item.full_statement.clone(),
                source_line: ext.source_line,
                anomalies: ext.anomalies,
                topic,
                marker: ext.marker,
            });
        }
        out
    }
}

/// Lower-case letters, digits and single hyphens, at most `max` characters.
fn slugify(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    out.trim_matches('-').to_owned()
}

/// A code not yet in `taken`, from `wanted` (or `fallback` numbered).
fn unique(taken: &mut HashSet<String>, wanted: String, fallback: &str) -> String {
    let mut code = wanted;
    let mut n = 0;
    while code.is_empty() || taken.contains(&code) {
        n += 1;
        code = format!("{fallback}-{n}");
    }
    taken.insert(code.clone());
    code
}

/// Reads a package another tool wrote, with the defaults the module documents.
fn foreign(package: &CfPackage) -> Result<FrameworkDocument, Problems> {
    let document = &package.document;
    let title = document.title.trim();
    let slug = FrameworkSlug::new(unique(&mut HashSet::new(), slugify(title, 64), "imported"))
        .map_err(|e| Problems::one("/CFDocument/title", e.to_string()))?;
    let (layers, statements) = foreign_statements(package, title)?;
    if statements.is_empty() {
        return Err(Problems::one(
            "/CFItems",
            "the package has no competency items (items that no other item is a child of)",
        ));
    }
    foreign_document(package, slug, layers, statements)
}

/// Child item → parent item, by the `isChildOf` associations between a package's items.
fn parents(package: &CfPackage) -> HashMap<usize, usize> {
    let ids: HashMap<&str, usize> = package
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.identifier.as_str(), i))
        .collect();
    let mut parent: HashMap<usize, usize> = HashMap::new();
    for a in &package.associations {
        if a.association_type != "isChildOf" {
            continue;
        }
        if let (Some(&c), Some(&p)) = (
            ids.get(a.origin.identifier.as_str()),
            ids.get(a.destination.identifier.as_str()),
        ) {
            if c != p {
                parent.entry(c).or_insert(p);
            }
        }
    }
    parent
}

/// A foreign statement's code: its `humanCodingScheme` in capitals, other characters than
/// letters and digits made hyphens.
fn statement_code(item: &CfItem) -> String {
    let wanted: String = item
        .human_coding_scheme
        .as_deref()
        .unwrap_or_default()
        .to_ascii_uppercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    wanted.trim_matches('-').chars().take(60).collect()
}

/// The layers and statements of a foreign package.
fn foreign_statements(
    package: &CfPackage,
    title: &str,
) -> Result<(Vec<Layer>, Vec<Statement>), Problems> {
    let parent = parents(package);
    let groupings: HashSet<usize> = parent.values().copied().collect();
    let top = |mut i: usize| {
        let mut steps = 0;
        while let Some(&p) = parent.get(&i) {
            i = p;
            steps += 1;
            if steps > package.items.len() {
                break; // a cycle: stop where we are
            }
        }
        i
    };
    let mut layers: Vec<Layer> = Vec::new();
    let mut layer_codes = HashSet::new();
    let mut factor_codes = HashSet::new();
    let mut factor_names = HashSet::new();
    let mut factor_of: HashMap<usize, String> = HashMap::new();
    let mut statement_codes = HashSet::new();
    let mut statements = Vec::new();
    for (i, item) in package.items.iter().enumerate() {
        if groupings.contains(&i) {
            continue;
        }
        if item.full_statement.trim().is_empty() {
            return Err(Problems::one(
                format!("/CFItems/{i}/fullStatement"),
                "a competency's statement must not be empty",
            ));
        }
        let root = top(i);
        let layer_name = if root == i {
            title.to_owned()
        } else {
            package.items[root].full_statement.clone()
        };
        let layer = match layers.iter().position(|l| l.name == layer_name) {
            Some(l) => l,
            None => {
                let code = unique(&mut layer_codes, slugify(&layer_name, 60), "layer");
                layers.push(Layer {
                    code: PlainCode::new(code)
                        .map_err(|e| Problems::one(format!("/CFItems/{root}"), e.to_string()))?,
                    name: layer_name.clone(),
                    note: None,
                    factors: Vec::new(),
                });
                layers.len() - 1
            }
        };
        let factor = match parent.get(&i) {
            Some(&p) if p != root => {
                // Each grouping item is one factor, named once (its layer's name added when
                // another layer already has a factor of that name).
                if let Some(name) = factor_of.get(&p) {
                    Some(name.clone())
                } else {
                    let base = package.items[p].full_statement.clone();
                    let mut name = base.clone();
                    let mut n = 1;
                    while !factor_names.insert(name.clone()) {
                        n += 1;
                        name = match n {
                            2 => format!("{base} ({layer_name})"),
                            _ => format!("{base} ({layer_name}, {n})"),
                        };
                    }
                    let code = unique(&mut factor_codes, slugify(&name, 60), "factor");
                    layers[layer].factors.push(Factor {
                        code: PlainCode::new(code)
                            .map_err(|e| Problems::one(format!("/CFItems/{p}"), e.to_string()))?,
                        name: name.clone(),
                    });
                    factor_of.insert(p, name.clone());
                    Some(name)
                }
            }
            _ => None,
        };
        let code = unique(&mut statement_codes, statement_code(item), "S");
        statements.push(Statement {
            code: StatementCode::new(code).map_err(|e| {
                Problems::one(format!("/CFItems/{i}/humanCodingScheme"), e.to_string())
            })?,
            table: "CASE package".to_owned(),
            pathway: PathwayCode::new("all").map_err(|e| Problems::one("", e.to_string()))?,
            layer: layer_name,
            factor,
            taxonomy: TaxonomyCode::new("competence")
                .map_err(|e| Problems::one("", e.to_string()))?,
            level: Some(LevelCode::new("met").map_err(|e| Problems::one("", e.to_string()))?),
            text: item.full_statement.clone(),
            source_line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            anomalies: Vec::new(),
            topic: None,
            marker: None,
        });
    }
    Ok((layers, statements))
}

/// A foreign package's framework document around its layers and statements.
fn foreign_document(
    package: &CfPackage,
    slug: FrameworkSlug,
    layers: Vec<Layer>,
    statements: Vec<Statement>,
) -> Result<FrameworkDocument, Problems> {
    let document = &package.document;
    let title = document.title.trim();
    let invalid = |e: crate::codes::CodeError| Problems::one("", e.to_string());
    Ok(FrameworkDocument {
        format: crate::framework::FORMAT.to_owned(),
        slug,
        version: document
            .version
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "1".to_owned()),
        title: title.to_owned(),
        publisher: document
            .publisher
            .clone()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| document.creator.clone()),
        published: document.last_change.get(..10).map(str::to_owned),
        description: document.description.clone().unwrap_or_default(),
        source: None,
        taxonomies: vec![Taxonomy {
            code: TaxonomyCode::new("competence").map_err(invalid)?,
            name: "Competence".to_owned(),
            source_line: None,
            marker: None,
            levels: vec![Level {
                code: LevelCode::new("met").map_err(invalid)?,
                name: "Met".to_owned(),
                rank: 1,
                learner_statement: "I meet this competency as it is stated.".to_owned(),
                source_line: None,
                implies: Vec::new(),
            }],
        }],
        subsumption: Vec::new(),
        layers,
        archetypes: Vec::new(),
        pathways: vec![Pathway {
            code: PathwayCode::new("all").map_err(invalid)?,
            kind: PathwayKind::Foundational,
            name: title.to_owned(),
            description: document
                .description
                .clone()
                .unwrap_or_else(|| title.to_owned()),
            table: None,
            archetype: None,
            prerequisites: Vec::new(),
            question_set: None,
            source_line: None,
        }],
        statements,
        question_sets: Vec::new(),
        questions: Vec::new(),
        anomalies: Vec::new(),
        topics: Vec::new(),
        figure_a1: None,
        notes: Vec::new(),
    })
}
