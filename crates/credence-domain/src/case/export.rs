//! A framework version as a CASE 1.1 `CFPackage`, and its document and items as the REST
//! API serves them one by one.

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::model::{
    CfAssociation, CfAssociationSet, CfDefinitions, CfDocument, CfItem, CfItemType, CfItemTypeSet,
    CfPackage, Extensions, LinkGenUri, LinkUri,
};
use super::{document_id, item_id, last_change, object_url, uuid_v5, ItemKind, EXTENSION_KEY};
use crate::framework::{Framework, FrameworkDocument, Statement};

/// What a package carries in `extensions` for the framework as a whole: every part of
/// the document that no CASE field holds.
#[derive(Serialize)]
pub(super) struct FrameworkExtension<'a> {
    pub format: &'a str,
    pub slug: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a crate::framework::SourceText>,
    pub subsumption: &'a [crate::framework::Quote],
    pub archetypes: &'a [crate::framework::Archetype],
    pub question_sets: &'a [crate::framework::QuestionSet],
    pub questions: &'a [crate::framework::Question],
    pub anomalies: &'a [crate::framework::Anomaly],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure_a1: Option<&'a crate::framework::ArchetypeFactors>,
    pub notes: &'a [crate::framework::Note],
}

/// Builds the package of one framework version.
struct Builder<'a> {
    doc: &'a FrameworkDocument,
    base: &'a str,
    when: String,
    document: LinkUri,
    items: Vec<CfItem>,
    associations: Vec<CfAssociation>,
}

fn extensions(value: impl Serialize) -> Option<Extensions> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) if !map.is_empty() => Some(map),
        _ => None,
    }
}

impl<'a> Builder<'a> {
    fn id(&self, kind: ItemKind, code: &str) -> Uuid {
        item_id(&self.doc.slug, &self.doc.version, kind, code)
    }

    fn type_link(&self, kind: ItemKind) -> LinkUri {
        type_link(self.base, kind)
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        &mut self,
        kind: ItemKind,
        code: &str,
        full: &str,
        abbreviated: Option<&str>,
        enumeration: Option<String>,
        notes: Option<&str>,
        extensions: Option<Extensions>,
    ) -> LinkGenUri {
        let id = self.id(kind, code);
        let uri = object_url(self.base, "CFItems", &id);
        self.items.push(CfItem {
            document_uri: None,
            identifier: id.to_string(),
            full_statement: full.to_owned(),
            abbreviated_statement: abbreviated.map(str::to_owned),
            item_type: Some(kind.title().to_owned()),
            item_type_uri: Some(self.type_link(kind)),
            uri: uri.clone(),
            human_coding_scheme: Some(code.to_owned()),
            list_enumeration: enumeration,
            notes: notes.map(str::to_owned),
            language: None,
            last_change: self.when.clone(),
            extensions,
        });
        LinkGenUri {
            title: abbreviated.unwrap_or(full).to_owned(),
            identifier: id.to_string(),
            uri,
            target_type: None,
        }
    }

    fn node(&self, kind: ItemKind, code: &str, title: &str) -> LinkGenUri {
        let id = self.id(kind, code);
        LinkGenUri {
            title: title.to_owned(),
            identifier: id.to_string(),
            uri: object_url(self.base, "CFItems", &id),
            target_type: None,
        }
    }

    fn document_node(&self) -> LinkGenUri {
        LinkGenUri {
            title: self.document.title.clone(),
            identifier: self.document.identifier.clone(),
            uri: self.document.uri.clone(),
            target_type: None,
        }
    }

    fn associate(
        &mut self,
        kind: &str,
        origin: &LinkGenUri,
        destination: &LinkGenUri,
        sequence: Option<usize>,
    ) {
        let id = uuid_v5(
            &super::NAMESPACE,
            &format!(
                "{}@{}/association/{kind}/{}/{}",
                self.doc.slug, self.doc.version, origin.identifier, destination.identifier
            ),
        );
        self.associations.push(CfAssociation {
            document_uri: None,
            identifier: id.to_string(),
            association_type: kind.to_owned(),
            sequence_number: sequence.and_then(|n| i64::try_from(n).ok()),
            uri: object_url(self.base, "CFAssociations", &id),
            origin: origin.clone(),
            destination: destination.clone(),
            last_change: self.when.clone(),
        });
    }

    fn taxonomies(&mut self) {
        let doc = self.doc;
        for taxonomy in &doc.taxonomies {
            let ext = extensions(serde_json::json!({
                "source_line": taxonomy.source_line,
                "marker": taxonomy.marker,
            }));
            let ext = ext.map(drop_nulls);
            let node = self.item(
                ItemKind::Taxonomy,
                taxonomy.code.as_str(),
                &taxonomy.name,
                None,
                None,
                None,
                ext,
            );
            for level in &taxonomy.levels {
                let mut ext = Map::new();
                if let Some(line) = level.source_line {
                    ext.insert("source_line".into(), line.into());
                }
                if !level.implies.is_empty() {
                    ext.insert(
                        "implies".into(),
                        serde_json::to_value(&level.implies).unwrap_or_default(),
                    );
                }
                let level_node = self.item(
                    ItemKind::Level,
                    level.code.as_str(),
                    &level.learner_statement,
                    Some(&level.name),
                    Some(level.rank.to_string()),
                    None,
                    (!ext.is_empty()).then_some(ext),
                );
                self.associate("isPartOf", &level_node, &node, Some(level.rank.into()));
            }
        }
    }

    fn layers(&mut self) {
        let doc = self.doc;
        let root = self.document_node();
        for (l, layer) in doc.layers.iter().enumerate() {
            let node = self.item(
                ItemKind::Layer,
                layer.code.as_str(),
                &layer.name,
                None,
                None,
                layer.note.as_deref(),
                None,
            );
            self.associate("isChildOf", &node, &root, Some(l + 1));
            for (f, factor) in layer.factors.iter().enumerate() {
                let code = format!("{}/{}", layer.code, factor.code);
                let factor_node = self.item(
                    ItemKind::Factor,
                    &code,
                    &factor.name,
                    None,
                    None,
                    None,
                    None,
                );
                self.associate("isChildOf", &factor_node, &node, Some(f + 1));
            }
        }
    }

    fn topics_and_pathways(&mut self) {
        let doc = self.doc;
        for topic in &doc.topics {
            self.item(
                ItemKind::Topic,
                topic.code.as_str(),
                &topic.name,
                None,
                None,
                topic.decision.as_deref(),
                None,
            );
        }
        for pathway in &doc.pathways {
            let ext = extensions(serde_json::json!({
                "kind": pathway.kind,
                "table": pathway.table,
                "archetype": pathway.archetype,
                "prerequisites": pathway.prerequisites,
                "question_set": pathway.question_set,
                "source_line": pathway.source_line,
            }))
            .map(drop_nulls);
            self.item(
                ItemKind::Pathway,
                pathway.code.as_str(),
                &pathway.description,
                Some(&pathway.name),
                None,
                None,
                ext,
            );
        }
        for pathway in &doc.pathways {
            let to = self.node(ItemKind::Pathway, pathway.code.as_str(), &pathway.name);
            for prerequisite in &pathway.prerequisites {
                let name = doc
                    .pathways
                    .iter()
                    .find(|p| &p.code == prerequisite)
                    .map_or(prerequisite.as_str(), |p| p.name.as_str());
                let from = self.node(ItemKind::Pathway, prerequisite.as_str(), name);
                self.associate("precedes", &from, &to, None);
            }
        }
    }

    fn statement(&mut self, index: usize, statement: &Statement) {
        let doc = self.doc;
        let ext = extensions(serde_json::json!({
            "table": statement.table,
            "taxonomy": statement.taxonomy,
            "source_line": statement.source_line,
            "anomalies": statement.anomalies,
            "marker": statement.marker,
        }))
        .map(drop_nulls);
        let node = self.item(
            ItemKind::Statement,
            statement.code.as_str(),
            &statement.text,
            None,
            None,
            None,
            ext,
        );
        let layer = doc.layers.iter().find(|l| l.name == statement.layer);
        let factor = layer.and_then(|l| {
            l.factors
                .iter()
                .find(|f| Some(&f.name) == statement.factor.as_ref())
        });
        match (layer, factor) {
            (Some(layer), Some(factor)) => {
                let code = format!("{}/{}", layer.code, factor.code);
                let parent = self.node(ItemKind::Factor, &code, &factor.name);
                self.associate("isChildOf", &node, &parent, Some(index + 1));
            }
            (Some(layer), None) => {
                let parent = self.node(ItemKind::Layer, layer.code.as_str(), &layer.name);
                self.associate("isChildOf", &node, &parent, Some(index + 1));
            }
            _ => {}
        }
        if let Some(level) = &statement.level {
            let name = doc
                .taxonomies
                .iter()
                .flat_map(|t| t.levels.iter())
                .find(|l| &l.code == level)
                .map_or(level.as_str(), |l| l.name.as_str());
            let to = self.node(ItemKind::Level, level.as_str(), name);
            self.associate("hasSkillLevel", &node, &to, None);
        }
        let pathway_name = doc
            .pathways
            .iter()
            .find(|p| p.code == statement.pathway)
            .map_or(statement.pathway.as_str(), |p| p.name.as_str());
        let to = self.node(ItemKind::Pathway, statement.pathway.as_str(), pathway_name);
        self.associate("isPartOf", &node, &to, Some(index + 1));
        if let Some(topic) = &statement.topic {
            let name = doc
                .topics
                .iter()
                .find(|t| &t.code == topic)
                .map_or(topic.as_str(), |t| t.name.as_str());
            let to = self.node(ItemKind::Topic, topic.as_str(), name);
            self.associate("isPartOf", &node, &to, None);
        }
    }
}

/// The link to an item type: its identifier is the same in every framework.
fn type_link(base_url: &str, kind: ItemKind) -> LinkUri {
    let id = uuid_v5(&super::NAMESPACE, &format!("item-type/{}", kind.title()));
    LinkUri {
        title: kind.title().to_owned(),
        identifier: id.to_string(),
        uri: object_url(base_url, "CFItemTypes", &id),
    }
}

/// Every item type a framework's package uses, in `hierarchyCode` order of kinds.
pub fn item_types(base_url: &str) -> Vec<CfItemType> {
    ItemKind::ALL
        .into_iter()
        .map(|kind| {
            let link = type_link(base_url, kind);
            CfItemType {
                identifier: link.identifier,
                uri: link.uri,
                title: kind.title().to_owned(),
                description: kind.description().to_owned(),
                hierarchy_code: kind.hierarchy_code().to_owned(),
                type_code: None,
                last_change: "1970-01-01T00:00:00Z".to_owned(),
            }
        })
        .collect()
}

/// `GET /CFItemTypes/{id}`: the item type, then the types below it (`hierarchyCode`
/// `2` is above `2.1`); `None` for an unknown identifier.
pub fn item_type_set(base_url: &str, identifier: &str) -> Option<CfItemTypeSet> {
    let all = item_types(base_url);
    let first = all.iter().find(|t| t.identifier == identifier)?.clone();
    let below = format!("{}.", first.hierarchy_code);
    let mut item_types = vec![first];
    item_types.extend(
        all.into_iter()
            .filter(|t| t.hierarchy_code.starts_with(&below)),
    );
    Some(CfItemTypeSet { item_types })
}

/// Removes the null members of an extension object.
fn drop_nulls(mut map: Extensions) -> Extensions {
    map.retain(|_, v| !v.is_null() && v != &Value::Array(Vec::new()));
    map
}

/// The `CFPackage` of a framework version, with URIs under `base_url` (the registry's
/// public address).
pub fn package(framework: &Framework, base_url: &str) -> CfPackage {
    let doc = framework.document();
    let id = document_id(&doc.slug, &doc.version);
    let when = last_change(doc.published.as_deref());
    let document = CfDocument {
        package_uri: None,
        identifier: id.to_string(),
        uri: object_url(base_url, "CFDocuments", &id),
        creator: doc.publisher.clone(),
        title: doc.title.clone(),
        last_change: when.clone(),
        publisher: Some(doc.publisher.clone()),
        description: Some(doc.description.clone()),
        language: None,
        version: Some(doc.version.clone()),
        case_version: Some("1.1".to_owned()),
        notes: None,
    };
    let mut builder = Builder {
        doc,
        base: base_url,
        when: when.clone(),
        document: LinkUri {
            title: doc.title.clone(),
            identifier: id.to_string(),
            uri: document.uri.clone(),
        },
        items: Vec::new(),
        associations: Vec::new(),
    };
    builder.taxonomies();
    builder.layers();
    builder.topics_and_pathways();
    for (i, statement) in doc.statements.iter().enumerate() {
        builder.statement(i, statement);
    }
    let item_types = item_types(base_url);
    let remainder = FrameworkExtension {
        format: &doc.format,
        slug: doc.slug.as_str(),
        published: doc.published.as_deref(),
        source: doc.source.as_ref(),
        subsumption: &doc.subsumption,
        archetypes: &doc.archetypes,
        question_sets: &doc.question_sets,
        questions: &doc.questions,
        anomalies: &doc.anomalies,
        figure_a1: doc.figure_a1.as_ref(),
        notes: &doc.notes,
    };
    let mut extensions = Map::new();
    extensions.insert(
        EXTENSION_KEY.to_owned(),
        serde_json::to_value(&remainder).unwrap_or_default(),
    );
    CfPackage {
        document,
        items: builder.items,
        associations: builder.associations,
        definitions: Some(CfDefinitions { item_types }),
        extensions: Some(extensions),
    }
}

/// The link to a package's document, as a standalone item or association names it.
pub fn document_link(package: &CfPackage) -> LinkUri {
    LinkUri {
        title: package.document.title.clone(),
        identifier: package.document.identifier.clone(),
        uri: package.document.uri.clone(),
    }
}

/// A package's `CFDocument` as `GET /CFDocuments/{id}` serves it: with its `CFPackageURI`.
pub fn standalone_document(package: &CfPackage, base_url: &str) -> CfDocument {
    let mut document = package.document.clone();
    let uri = match Uuid::parse_str(&document.identifier) {
        Ok(id) => object_url(base_url, "CFPackages", &id),
        Err(_) => document.uri.clone(),
    };
    document.package_uri = Some(LinkUri {
        title: document.title.clone(),
        identifier: document.identifier.clone(),
        uri,
    });
    document
}

/// An item of a package as `GET /CFItems/{id}` serves it: with its `CFDocumentURI`.
pub fn standalone_item(package: &CfPackage, identifier: &str) -> Option<CfItem> {
    let mut item = package
        .items
        .iter()
        .find(|i| i.identifier == identifier)?
        .clone();
    item.document_uri = Some(document_link(package));
    Some(item)
}

/// An item of a package with every association from or to it, as
/// `GET /CFItemAssociations/{id}` serves them (the associations as in the package).
pub fn item_associations(package: &CfPackage, identifier: &str) -> Option<CfAssociationSet> {
    let item = standalone_item(package, identifier)?;
    let associations = package
        .associations
        .iter()
        .filter(|a| a.origin.identifier == identifier || a.destination.identifier == identifier)
        .cloned()
        .collect();
    Some(CfAssociationSet { item, associations })
}

/// An association of a package as `GET /CFAssociations/{id}` serves it.
pub fn standalone_association(package: &CfPackage, identifier: &str) -> Option<CfAssociation> {
    let mut association = package
        .associations
        .iter()
        .find(|a| a.identifier == identifier)?
        .clone();
    association.document_uri = Some(document_link(package));
    Some(association)
}

/// The `uri` of a statement's item: where the CASE API serves it.
pub fn statement_item_url(framework: &Framework, statement: &Statement, base_url: &str) -> String {
    let id = item_id(
        framework.slug(),
        framework.version(),
        ItemKind::Statement,
        statement.code.as_str(),
    );
    object_url(base_url, "CFItems", &id)
}
