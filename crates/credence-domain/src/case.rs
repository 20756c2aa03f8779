//! A framework as a 1EdTech CASE 1.1 package (Competencies and Academic Standards
//! Exchange), and a CASE package as a framework.
//!
//! Every framework version is one `CFDocument`. Its competency statements are `CFItem`s of
//! type "Competency statement"; its taxonomies and their levels, its layers and factors,
//! its topics and its pathways are items of their own types, and the statements are tied
//! to them by associations:
//!
//! | Credence | CASE |
//! |---|---|
//! | layer | item "Layer", `isChildOf` the document |
//! | factor | item "Factor", `isChildOf` its layer |
//! | statement | item "Competency statement" (`humanCodingScheme` its code, `fullStatement` its text), `isChildOf` its factor, or its layer when it has no factor |
//! | required level | item "Level", `isPartOf` its taxonomy (item "Taxonomy"); the statement `hasSkillLevel` it |
//! | topic | item "Topic"; the statement `isPartOf` it |
//! | pathway | item "Pathway"; the statement `isPartOf` it; a prerequisite `precedes` it |
//!
//! What CASE has no field for (a statement's table and source line, the archetypes,
//! question sets, anomalies, notes, Figure A1) travels in `extensions`, so that a package
//! Credence wrote reads back into the identical framework document ([`import`]). A
//! package written by another tool is read with defaults ([`import`] says which).
//!
//! Identifiers are UUID v5 names under [`NAMESPACE`] made from the framework's slug and
//! version and the code of the thing named, so a framework version always exports the
//! same bytes, in any registry at the same address.

pub mod export;
pub mod import;
pub mod model;

use sha1::Digest as _;
pub use uuid::Uuid;

use crate::codes::FrameworkSlug;

pub use export::{package, standalone_document, standalone_item};
pub use import::from_package;
pub use model::{
    CfAssociation, CfAssociationSet, CfDocument, CfDocumentSet, CfItem, CfItemTypeSet, CfPackage,
    LinkUri,
};

/// The path under a registry's address where the CASE REST API is served.
pub const API_PATH: &str = "/ims/case/v1p1";

/// The name space of every CASE identifier Credence makes (a fixed, random UUID).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6b1f_3c2e_9a47_4d5e_8c21_5f0e_7a9b_3d14);

/// The `extensions` key under which a package carries what CASE has no field for.
pub const EXTENSION_KEY: &str = "credence";

/// The UUID v5 of `name` in `namespace` (RFC 9562, section 5.5).
pub fn uuid_v5(namespace: &Uuid, name: &str) -> Uuid {
    let mut hasher = sha1::Sha1::new();
    hasher.update(namespace.as_bytes());
    hasher.update(name.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes).into_uuid()
}

/// The kinds of item a framework exports, with their `CFItemType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Taxonomy,
    Level,
    Layer,
    Factor,
    Topic,
    Pathway,
    Statement,
}

impl ItemKind {
    pub const ALL: [Self; 7] = [
        Self::Taxonomy,
        Self::Level,
        Self::Layer,
        Self::Factor,
        Self::Topic,
        Self::Pathway,
        Self::Statement,
    ];

    /// The `CFItemType` (and the item type's title).
    pub fn title(self) -> &'static str {
        match self {
            Self::Taxonomy => "Taxonomy",
            Self::Level => "Level",
            Self::Layer => "Layer",
            Self::Factor => "Factor",
            Self::Topic => "Topic",
            Self::Pathway => "Pathway",
            Self::Statement => "Competency statement",
        }
    }

    /// The word in identifiers' names.
    fn name(self) -> &'static str {
        match self {
            Self::Taxonomy => "taxonomy",
            Self::Level => "level",
            Self::Layer => "layer",
            Self::Factor => "factor",
            Self::Topic => "topic",
            Self::Pathway => "pathway",
            Self::Statement => "statement",
        }
    }

    /// The item type's `hierarchyCode`.
    fn hierarchy_code(self) -> &'static str {
        match self {
            Self::Taxonomy => "1",
            Self::Level => "1.1",
            Self::Layer => "2",
            Self::Factor => "2.1",
            Self::Statement => "2.1.1",
            Self::Topic => "3",
            Self::Pathway => "4",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Self::Taxonomy => "An ordered scale of levels; a higher level meets the lower ones.",
            Self::Level => {
                "A level of a taxonomy; its statement is what a learner at that level can say."
            }
            Self::Layer => "A layer of influencing factors.",
            Self::Factor => "An influencing factor within a layer.",
            Self::Topic => {
                "A subject that statements at different levels or in different tables share."
            }
            Self::Pathway => "A pathway: the statements whose requirements make up one badge.",
            Self::Statement => {
                "A competency statement: one requirement at one level of a taxonomy."
            }
        }
    }

    /// The kind whose `CFItemType` is `title`.
    pub fn from_title(title: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.title() == title)
    }
}

/// The identifier of a framework version's `CFDocument` (and of its `CFPackage`).
pub fn document_id(slug: &FrameworkSlug, version: &str) -> Uuid {
    uuid_v5(&NAMESPACE, &format!("{slug}@{version}"))
}

/// The identifier of an item of a framework version: `code` is the statement's, level's,
/// pathway's... code (a factor's is `{layer}/{factor}`).
pub fn item_id(slug: &FrameworkSlug, version: &str, kind: ItemKind, code: &str) -> Uuid {
    uuid_v5(
        &NAMESPACE,
        &format!("{slug}@{version}/{}/{code}", kind.name()),
    )
}

/// The URL of a CASE object: `{base}/ims/case/v1p1/{collection}/{identifier}`.
pub fn object_url(base_url: &str, collection: &str, identifier: &Uuid) -> String {
    format!(
        "{}{API_PATH}/{collection}/{identifier}",
        base_url.trim_end_matches('/')
    )
}

/// The `lastChangeDateTime` of a framework version: the day it was published (`YYYY`,
/// `YYYY-MM` or `YYYY-MM-DD`) at midnight UTC, or the Unix epoch when the document says
/// no date, so that it never depends on when or where it was imported.
pub fn last_change(published: Option<&str>) -> String {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = published.unwrap_or_default().split('-').collect();
    match parts.as_slice() {
        [y] if digits(y, 4) => format!("{y}-01-01T00:00:00Z"),
        [y, m] if digits(y, 4) && digits(m, 2) => format!("{y}-{m}-01T00:00:00Z"),
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            format!("{y}-{m}-{d}T00:00:00Z")
        }
        _ => "1970-01-01T00:00:00Z".to_owned(),
    }
}

#[cfg(test)]
mod tests;
