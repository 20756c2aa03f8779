//! The 1EdTech CASE 1.1 documents Credence writes and reads, as serde types: the field
//! names are the specification's (`schemas/case_v1p1/` holds its JSON Schemas).
//!
//! Reading is lenient where the specification is: a field Credence does not use is
//! ignored, so a package exported by another tool can be read.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Proprietary extensions of a CASE object (`extensions`), always a JSON object.
pub type Extensions = Map<String, Value>;

/// A `CFPackage`: the document with all its items, associations and definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfPackage {
    #[serde(rename = "CFDocument")]
    pub document: CfDocument,
    #[serde(rename = "CFItems", default)]
    pub items: Vec<CfItem>,
    #[serde(rename = "CFAssociations", default)]
    pub associations: Vec<CfAssociation>,
    #[serde(
        rename = "CFDefinitions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub definitions: Option<CfDefinitions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

/// A `CFDocument`, the root of a framework. Inside a package it has no `CFPackageURI`;
/// served on its own it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfDocument {
    #[serde(
        rename = "CFPackageURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub package_uri: Option<LinkUri>,
    pub identifier: String,
    pub uri: String,
    pub creator: String,
    pub title: String,
    #[serde(rename = "lastChangeDateTime")]
    pub last_change: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(
        rename = "caseVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub case_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A `CFItem`: here a competency statement, or a taxonomy, level, layer, factor, topic or
/// pathway of the framework, told apart by `CFItemType`. Inside a package it has no
/// `CFDocumentURI`; served on its own it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfItem {
    #[serde(
        rename = "CFDocumentURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub document_uri: Option<LinkUri>,
    pub identifier: String,
    #[serde(rename = "fullStatement")]
    pub full_statement: String,
    #[serde(
        rename = "abbreviatedStatement",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub abbreviated_statement: Option<String>,
    #[serde(
        rename = "CFItemType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub item_type: Option<String>,
    #[serde(
        rename = "CFItemTypeURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub item_type_uri: Option<LinkUri>,
    pub uri: String,
    #[serde(
        rename = "humanCodingScheme",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub human_coding_scheme: Option<String>,
    #[serde(
        rename = "listEnumeration",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub list_enumeration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(rename = "lastChangeDateTime")]
    pub last_change: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

/// A `CFAssociation` between two nodes (items or the document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfAssociation {
    #[serde(
        rename = "CFDocumentURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub document_uri: Option<LinkUri>,
    pub identifier: String,
    #[serde(rename = "associationType")]
    pub association_type: String,
    #[serde(
        rename = "sequenceNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sequence_number: Option<i64>,
    pub uri: String,
    #[serde(rename = "originNodeURI")]
    pub origin: LinkGenUri,
    #[serde(rename = "destinationNodeURI")]
    pub destination: LinkGenUri,
    #[serde(rename = "lastChangeDateTime")]
    pub last_change: String,
}

/// `CFDefinitions`: here only the item types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfDefinitions {
    #[serde(rename = "CFItemTypes", default)]
    pub item_types: Vec<CfItemType>,
}

/// A `CFItemType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfItemType {
    pub identifier: String,
    pub uri: String,
    pub title: String,
    pub description: String,
    #[serde(rename = "hierarchyCode")]
    pub hierarchy_code: String,
    #[serde(rename = "typeCode", default, skip_serializing_if = "Option::is_none")]
    pub type_code: Option<String>,
    #[serde(rename = "lastChangeDateTime")]
    pub last_change: String,
}

/// A `LinkURI`: a reference to a CASE object by title, identifier (a UUID) and URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkUri {
    pub title: String,
    pub identifier: String,
    pub uri: String,
}

/// A `LinkGenURI`: the end of an association, whose identifier need not be a UUID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkGenUri {
    pub title: String,
    pub identifier: String,
    pub uri: String,
    #[serde(
        rename = "targetType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_type: Option<String>,
}

/// `GET /CFItemTypes/{id}`: an item type, then the types below it in `hierarchyCode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfItemTypeSet {
    #[serde(rename = "CFItemTypes")]
    pub item_types: Vec<CfItemType>,
}

/// `GET /CFItemAssociations/{id}`: an item with every association from or to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfAssociationSet {
    #[serde(rename = "CFItem")]
    pub item: CfItem,
    #[serde(rename = "CFAssociations")]
    pub associations: Vec<CfAssociation>,
}

/// `GET /CFDocuments`: every document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfDocumentSet {
    #[serde(rename = "CFDocuments")]
    pub documents: Vec<CfDocument>,
}
