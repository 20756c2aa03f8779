//! The framework document (the JSON format described by `schemas/framework.schema.json`)
//! and [`Framework`], a document that passed validation, with the indexes the rules need.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::codes::{
    ArchetypeCode, FrameworkSlug, LevelCode, PathwayCode, PlainCode, QuestionCode, StatementCode,
    TaxonomyCode,
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
        Ok(Self {
            doc,
            levels,
            statements,
            pathways,
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

    /// Whether holding `held` meets a requirement at `required`: true when both levels
    /// belong to the same taxonomy and `held` ranks at or above `required` (a higher level
    /// subsumes the lower ones of its own taxonomy, never those of another).
    pub fn satisfies(&self, held: &LevelCode, required: &LevelCode) -> bool {
        match (self.levels.get(held), self.levels.get(required)) {
            (Some(h), Some(r)) => h.taxonomy == r.taxonomy && h.rank >= r.rank,
            _ => false,
        }
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

    /// Every factor name in layer order, with its layer's name.
    pub fn factors(&self) -> impl Iterator<Item = (&Layer, &Factor)> {
        self.doc
            .layers
            .iter()
            .flat_map(|l| l.factors.iter().map(move |f| (l, f)))
    }
}
