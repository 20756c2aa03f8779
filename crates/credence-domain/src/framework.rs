//! The framework document (the JSON format described by `schemas/framework.schema.json`)
//! and [`Framework`], a document that passed validation, with the indexes the rules need.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::codes::{
    ArchetypeCode, FrameworkSlug, LevelCode, PathwayCode, PlainCode, QuestionCode, StatementCode,
    TaxonomyCode, TopicCode,
};
use crate::validate::{self, Problems};

/// The format identifier every framework document carries.
pub const FORMAT: &str = "credence-framework/1";

/// A framework document exactly as it is written and exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// Stable identifier of the framework across versions.
    pub slug: FrameworkSlug,
    /// Version of this document; a new version is stored beside the old ones.
    pub version: String,
    pub title: String,
    pub publisher: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub description: String,
    /// The text the framework was extracted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceText>,
    pub taxonomies: Vec<Taxonomy>,
    /// The framework's own words on how a higher level subsumes lower ones.
    #[serde(default)]
    pub subsumption: Vec<Quote>,
    pub layers: Vec<Layer>,
    pub archetypes: Vec<Archetype>,
    pub pathways: Vec<Pathway>,
    pub statements: Vec<Statement>,
    #[serde(default)]
    pub question_sets: Vec<QuestionSet>,
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Problems found in the source and what was decided about each.
    #[serde(default)]
    pub anomalies: Vec<Anomaly>,
    /// The subjects statements share across tables and levels; a statement without a
    /// topic is a topic of its own (with any statement of identical text).
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Which archetypes need advanced education in which factors (the report's Figure A1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure_a1: Option<ArchetypeFactors>,
    /// Notes on the framework as a whole, from the source or about decisions made on it.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A subject that statements at different levels, or in different tables, name alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub code: TopicCode,
    pub name: String,
    /// Why these statements share the topic, for a reviewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// The archetype-by-factor matrix of who needs advanced education.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchetypeFactors {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
    /// One row per factor, in the source's order.
    pub rows: Vec<ArchetypeFactorRow>,
    #[serde(default)]
    pub footnotes: Vec<Footnote>,
}

/// One factor of [`ArchetypeFactors`] and the archetypes ticked for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchetypeFactorRow {
    /// The layer's name.
    pub layer: String,
    /// The factor's name.
    pub factor: String,
    pub archetypes: Vec<ArchetypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

/// A footnote of a figure, attached to an archetype's column or a layer's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    /// The mark printed in the figure, e.g. `*`.
    pub marker: String,
    #[serde(default)]
    pub archetype: Option<ArchetypeCode>,
    /// A layer's name.
    #[serde(default)]
    pub layer: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

/// A note on the framework as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub code: PlainCode,
    pub title: String,
    pub text: String,
    /// The line of the source it quotes; none for a note of Credence's own.
    #[serde(default)]
    pub source_line: Option<u32>,
}

/// The mark a source prints beside a statement to say which taxonomy it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    pub symbol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

/// A level of another taxonomy that holding a level implies, on the framework's word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Implication {
    pub level: LevelCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceText {
    pub title: String,
    pub sha256: String,
    pub lines: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A quotation from the source with the line it stands on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

/// An ordered scale of levels; a higher rank subsumes the lower ones of the same taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    pub code: TaxonomyCode,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
    /// The mark the source prints beside this taxonomy's statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<Marker>,
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub code: LevelCode,
    pub name: String,
    /// 1 for the lowest level; ranks are unique within a taxonomy.
    pub rank: u8,
    /// What a learner at this level can say of themselves.
    pub learner_statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
    /// Levels of other taxonomies this level implies for the same topic (and, through
    /// their ranks, the levels below them).
    #[serde(default)]
    pub implies: Vec<Implication>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub code: PlainCode,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub factors: Vec<Factor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub code: PlainCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archetype {
    pub code: ArchetypeCode,
    pub name: String,
    pub plural: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
    #[serde(default)]
    pub example_responsibilities: Vec<Quote>,
    #[serde(default)]
    pub example_roles: Vec<Quote>,
}

/// What kind of pathway a [`Pathway`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathwayKind {
    /// For everyone; a prerequisite of the advanced pathways.
    Foundational,
    /// For one archetype.
    Advanced,
    /// A template, instantiated per AI product and product version.
    ProductTemplate,
}

impl PathwayKind {
    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Foundational => "Foundational",
            Self::Advanced => "Advanced",
            Self::ProductTemplate => "Product-specific",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pathway {
    pub code: PathwayCode,
    pub kind: PathwayKind,
    pub name: String,
    pub description: String,
    /// The table of the source that lists this pathway's requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default)]
    pub archetype: Option<ArchetypeCode>,
    #[serde(default)]
    pub prerequisites: Vec<PathwayCode>,
    #[serde(default)]
    pub question_set: Option<PlainCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

/// One competency statement: a single requirement at one taxonomy level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub code: StatementCode,
    /// The table of the source, as the source names it (e.g. `Table A4`).
    pub table: String,
    pub pathway: PathwayCode,
    /// The layer's name.
    pub layer: String,
    /// The influencing factor's name; absent where the source gives only a layer.
    pub factor: Option<String>,
    pub taxonomy: TaxonomyCode,
    /// The required level; absent only for a statement that cannot be assessed as written.
    pub level: Option<LevelCode>,
    pub text: String,
    pub source_line: u32,
    /// Codes of the anomalies that concern this statement.
    #[serde(default)]
    pub anomalies: Vec<String>,
    /// The subject it shares with statements elsewhere; none when it shares it with none.
    #[serde(default)]
    pub topic: Option<TopicCode>,
    /// The taxonomy mark the source prints beside it.
    #[serde(default)]
    pub marker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSet {
    pub code: PlainCode,
    pub name: String,
    pub table: String,
    #[serde(default)]
    pub archetype: Option<ArchetypeCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub code: QuestionCode,
    pub table: String,
    pub question_set: PlainCode,
    pub layer: String,
    pub factor: Option<String>,
    pub text: String,
    pub source_line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anomaly {
    pub code: String,
    pub category: String,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub source_lines: Vec<u32>,
    pub description: String,
    /// What Credence decided to do about it.
    pub decision: String,
    #[serde(default)]
    pub statements: Vec<StatementCode>,
    #[serde(default)]
    pub questions: Vec<QuestionCode>,
}

/// Where a level sits: its taxonomy and rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelPosition {
    pub taxonomy: usize,
    pub rank: u8,
}

/// A framework document that passed validation, with lookup indexes.
#[derive(Debug, Clone)]
pub struct Framework {
    doc: FrameworkDocument,
    levels: HashMap<LevelCode, LevelPosition>,
    statements: HashMap<StatementCode, usize>,
    pathways: HashMap<PathwayCode, usize>,
    /// Level → every level holding it meets (itself, lower ranks, and what it implies).
    meets: HashMap<LevelCode, HashSet<LevelCode>>,
    /// Statement index → its topic group: statements of one group share a topic.
    groups: Vec<usize>,
}

impl Framework {
    /// Parses and validates a document from JSON bytes, reporting every problem found.
    pub fn from_json(bytes: &[u8]) -> Result<Self, Problems> {
        let doc = validate::parse(bytes)?;
        Self::new(doc)
    }

    /// Validates a parsed document, reporting every problem found.
    pub fn new(doc: FrameworkDocument) -> Result<Self, Problems> {
        validate::check(&doc)?;
        let mut levels = HashMap::new();
        for (t, taxonomy) in doc.taxonomies.iter().enumerate() {
            for level in &taxonomy.levels {
                levels.insert(
                    level.code.clone(),
                    LevelPosition {
                        taxonomy: t,
                        rank: level.rank,
                    },
                );
            }
        }
        let statements = doc
            .statements
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.clone(), i))
            .collect();
        let pathways = doc
            .pathways
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.clone(), i))
            .collect();
        let meets = meets(&doc, &levels);
        let groups = topic_groups(&doc);
        Ok(Self {
            doc,
            levels,
            statements,
            pathways,
            meets,
            groups,
        })
    }

    /// The document as written.
    pub fn document(&self) -> &FrameworkDocument {
        &self.doc
    }

    pub fn slug(&self) -> &FrameworkSlug {
        &self.doc.slug
    }

    pub fn version(&self) -> &str {
        &self.doc.version
    }

    pub fn statement(&self, code: &StatementCode) -> Option<&Statement> {
        self.statements.get(code).map(|&i| &self.doc.statements[i])
    }

    pub fn pathway(&self, code: &PathwayCode) -> Option<&Pathway> {
        self.pathways.get(code).map(|&i| &self.doc.pathways[i])
    }

    pub fn archetype(&self, code: &ArchetypeCode) -> Option<&Archetype> {
        self.doc.archetypes.iter().find(|a| &a.code == code)
    }

    pub fn question_set(&self, code: &PlainCode) -> Option<&QuestionSet> {
        self.doc.question_sets.iter().find(|q| &q.code == code)
    }

    /// The statements whose requirements make up a pathway, in document order.
    pub fn pathway_statements<'a>(
        &'a self,
        pathway: &'a PathwayCode,
    ) -> impl Iterator<Item = &'a Statement> + 'a {
        self.doc
            .statements
            .iter()
            .filter(move |s| &s.pathway == pathway)
    }

    /// The questions of a question set, in document order.
    pub fn questions_in<'a>(
        &'a self,
        set: &'a PlainCode,
    ) -> impl Iterator<Item = &'a Question> + 'a {
        self.doc
            .questions
            .iter()
            .filter(move |q| &q.question_set == set)
    }

    /// The level with this code, if the framework defines it.
    pub fn level(&self, code: &LevelCode) -> Option<&Level> {
        let pos = self.levels.get(code)?;
        self.doc.taxonomies[pos.taxonomy]
            .levels
            .iter()
            .find(|l| &l.code == code)
    }

    /// The taxonomy a level belongs to.
    pub fn taxonomy_of(&self, code: &LevelCode) -> Option<&Taxonomy> {
        self.levels
            .get(code)
            .map(|pos| &self.doc.taxonomies[pos.taxonomy])
    }

    /// Whether holding `held` meets a requirement at `required` of the same topic: true
    /// when `held` ranks at or above `required` in the same taxonomy, or when the
    /// framework's implications (`implies` on its levels) lead from `held`, or a level
    /// below it, to `required` or a level above it. Without implications a level never
    /// meets a requirement of another taxonomy.
    pub fn satisfies(&self, held: &LevelCode, required: &LevelCode) -> bool {
        self.meets
            .get(held)
            .is_some_and(|set| set.contains(required))
    }

    /// The implication by which `held` meets `required` of another taxonomy, with the
    /// level of `held`'s taxonomy that states it; `None` within a taxonomy or when not met.
    pub fn implication(
        &self,
        held: &LevelCode,
        required: &LevelCode,
    ) -> Option<(&Level, &Implication)> {
        let h = self.levels.get(held)?;
        let r = self.levels.get(required)?;
        if h.taxonomy == r.taxonomy || !self.satisfies(held, required) {
            return None;
        }
        self.doc.taxonomies[h.taxonomy]
            .levels
            .iter()
            .filter(|l| l.rank <= h.rank)
            .flat_map(|l| l.implies.iter().map(move |i| (l, i)))
            .find(|(_, i)| self.satisfies(&i.level, required))
    }

    /// Whether two statements share a topic: the same `topic`, or, for statements
    /// without one, the same statement or identical text.
    pub fn same_topic(&self, a: &StatementCode, b: &StatementCode) -> bool {
        match (self.statements.get(a), self.statements.get(b)) {
            (Some(&a), Some(&b)) => self.groups[a] == self.groups[b],
            _ => false,
        }
    }

    /// The topic group of a statement: statements with equal groups share a topic.
    pub fn topic_group(&self, code: &StatementCode) -> Option<usize> {
        self.statements.get(code).map(|&i| self.groups[i])
    }

    /// The topic with this code, if the framework declares it.
    pub fn topic(&self, code: &TopicCode) -> Option<&Topic> {
        self.doc.topics.iter().find(|t| &t.code == code)
    }

    /// The statements of a topic, in document order.
    pub fn topic_statements<'a>(
        &'a self,
        code: &'a TopicCode,
    ) -> impl Iterator<Item = &'a Statement> + 'a {
        self.doc
            .statements
            .iter()
            .filter(move |s| s.topic.as_ref() == Some(code))
    }

    /// Figure A1 of the report, derived from the statements: for each archetype with an
    /// advanced pathway, the factors in which that pathway states at least one requirement.
    pub fn advanced_factors_by_archetype(&self) -> BTreeMap<ArchetypeCode, BTreeSet<String>> {
        let mut matrix: BTreeMap<ArchetypeCode, BTreeSet<String>> = BTreeMap::new();
        for pathway in &self.doc.pathways {
            let (PathwayKind::Advanced, Some(archetype)) = (pathway.kind, &pathway.archetype)
            else {
                continue;
            };
            let factors = matrix.entry(archetype.clone()).or_default();
            for statement in self.pathway_statements(&pathway.code) {
                if let Some(factor) = &statement.factor {
                    factors.insert(factor.clone());
                }
            }
        }
        matrix
    }

    /// Figure A1 as the document states it (`figure_a1`): for each archetype ticked in
    /// it, the factors ticked for that archetype. Compare with
    /// [`Self::advanced_factors_by_archetype`], derived from the statements.
    pub fn stated_factors_by_archetype(&self) -> Option<BTreeMap<ArchetypeCode, BTreeSet<String>>> {
        let figure = self.doc.figure_a1.as_ref()?;
        let mut matrix: BTreeMap<ArchetypeCode, BTreeSet<String>> = BTreeMap::new();
        for row in &figure.rows {
            for archetype in &row.archetypes {
                matrix
                    .entry(archetype.clone())
                    .or_default()
                    .insert(row.factor.clone());
            }
        }
        Some(matrix)
    }

    /// Every factor name in layer order, with its layer's name.
    pub fn factors(&self) -> impl Iterator<Item = (&Layer, &Factor)> {
        self.doc
            .layers
            .iter()
            .flat_map(|l| l.factors.iter().map(move |f| (l, f)))
    }
}

/// For each level, every level holding it meets: the levels at or below it in its own
/// taxonomy, and, following `implies` from any of those, the implied levels and those
/// below them, to a fixed point.
fn meets(
    doc: &FrameworkDocument,
    levels: &HashMap<LevelCode, LevelPosition>,
) -> HashMap<LevelCode, HashSet<LevelCode>> {
    let at_or_below = |code: &LevelCode| -> Vec<LevelCode> {
        levels.get(code).map_or_else(Vec::new, |pos| {
            doc.taxonomies[pos.taxonomy]
                .levels
                .iter()
                .filter(|l| l.rank <= pos.rank)
                .map(|l| l.code.clone())
                .collect()
        })
    };
    let implied: HashMap<&LevelCode, &[Implication]> = doc
        .taxonomies
        .iter()
        .flat_map(|t| t.levels.iter())
        .map(|l| (&l.code, l.implies.as_slice()))
        .collect();
    let mut out = HashMap::new();
    for code in levels.keys() {
        let mut set: HashSet<LevelCode> = HashSet::new();
        let mut queue = at_or_below(code);
        while let Some(next) = queue.pop() {
            if !set.insert(next.clone()) {
                continue;
            }
            for implication in implied.get(&next).copied().unwrap_or_default() {
                queue.extend(at_or_below(&implication.level));
            }
        }
        out.insert(code.clone(), set);
    }
    out
}

/// Each statement's topic group: statements naming one topic share a group, and so do
/// statements without a topic whose texts are identical (the same competency listed in
/// another table, as before topics were written down).
fn topic_groups(doc: &FrameworkDocument) -> Vec<usize> {
    let mut keys: HashMap<(bool, &str), usize> = HashMap::new();
    doc.statements
        .iter()
        .map(|s| {
            let key = match &s.topic {
                Some(topic) => (true, topic.as_str()),
                None => (false, s.text.as_str()),
            };
            let next = keys.len();
            *keys.entry(key).or_insert(next)
        })
        .collect()
}
