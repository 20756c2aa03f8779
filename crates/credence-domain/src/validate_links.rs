//! Validation of the parts of a framework document that link statements and levels to
//! one another or describe the framework as a whole: topics, the implications between
//! levels, the taxonomy markers, Figure A1 and the notes. Problems are located by JSON
//! pointers, as in `validate.rs`, which calls [`check`] after its own checks.

use std::collections::{HashMap, HashSet};

use crate::framework::FrameworkDocument;
use crate::validate::{Collector, Known};

/// Checks topics, implications, markers, Figure A1 and notes.
pub(crate) fn check(doc: &FrameworkDocument, c: &mut Collector, known: &Known<'_>) {
    check_topics(doc, c);
    check_implications(doc, c, known);
    check_markers(doc, c);
    check_figure(doc, c, known);
    check_notes(doc, c);
}

/// Topics: unique codes and names; every statement's topic declared; every declared
/// topic named by a statement.
fn check_topics(doc: &FrameworkDocument, c: &mut Collector) {
    let mut seen = HashSet::new();
    for (t, topic) in doc.topics.iter().enumerate() {
        c.unique(
            &mut seen,
            topic.code.as_str(),
            format!("/topics/{t}/code"),
            "topic code",
        );
        if topic.name.trim().is_empty() {
            c.add(format!("/topics/{t}/name"), "a topic needs a name");
        }
    }
    let mut used = HashSet::new();
    for (s, statement) in doc.statements.iter().enumerate() {
        if let Some(topic) = &statement.topic {
            if seen.contains(topic.as_str()) {
                used.insert(topic.as_str());
            } else {
                c.add(
                    format!("/statements/{s}/topic"),
                    format!("unknown topic '{topic}'"),
                );
            }
        }
    }
    for (t, topic) in doc.topics.iter().enumerate() {
        if !used.contains(topic.code.as_str()) {
            c.add(
                format!("/topics/{t}"),
                format!("no statement has the topic '{}'", topic.code),
            );
        }
    }
}

/// Implications: each names a known level of another taxonomy (within a taxonomy the
/// ranks already decide), once.
fn check_implications(doc: &FrameworkDocument, c: &mut Collector, known: &Known<'_>) {
    for (t, taxonomy) in doc.taxonomies.iter().enumerate() {
        for (l, level) in taxonomy.levels.iter().enumerate() {
            let mut seen = HashSet::new();
            for (i, implication) in level.implies.iter().enumerate() {
                let at = format!("/taxonomies/{t}/levels/{l}/implies/{i}/level");
                let target = implication.level.as_str();
                match known.level_taxonomy.get(target) {
                    None => c.add(at, format!("unknown level '{target}'")),
                    Some(&owner) if owner == taxonomy.code.as_str() => c.add(
                        at,
                        format!(
                            "'{target}' is a level of the same taxonomy '{owner}': within a \
                             taxonomy the ranks decide what a level meets"
                        ),
                    ),
                    Some(_) => c.unique(&mut seen, target, at, "implied level"),
                }
            }
        }
    }
}

/// Markers: a taxonomy's symbol is unique; a statement's marker is one of them, and one
/// of another taxonomy than its own is explained by an anomaly.
fn check_markers(doc: &FrameworkDocument, c: &mut Collector) {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for (t, taxonomy) in doc.taxonomies.iter().enumerate() {
        if let Some(marker) = &taxonomy.marker {
            let symbol = marker.symbol.as_str();
            if symbol.trim().is_empty() {
                c.add(
                    format!("/taxonomies/{t}/marker/symbol"),
                    "a marker needs a symbol",
                );
            } else if owner.insert(symbol, taxonomy.code.as_str()).is_some() {
                c.add(
                    format!("/taxonomies/{t}/marker/symbol"),
                    format!("the marker '{symbol}' is already another taxonomy's"),
                );
            }
        }
    }
    for (s, statement) in doc.statements.iter().enumerate() {
        let Some(marker) = &statement.marker else {
            continue;
        };
        let at = format!("/statements/{s}/marker");
        match owner.get(marker.as_str()) {
            None => c.add(at, format!("unknown marker '{marker}'")),
            Some(&taxonomy)
                if taxonomy != statement.taxonomy.as_str() && statement.anomalies.is_empty() =>
            {
                c.add(
                    at,
                    format!(
                        "the marker '{marker}' is the taxonomy '{taxonomy}''s, but the \
                         statement is in '{}': name the anomaly that explains it",
                        statement.taxonomy
                    ),
                )
            }
            Some(_) => {}
        }
    }
}

/// Figure A1: each row a known factor of its layer, once, ticking known archetypes
/// once; each footnote attached to a known archetype or layer.
fn check_figure(doc: &FrameworkDocument, c: &mut Collector, known: &Known<'_>) {
    let Some(figure) = &doc.figure_a1 else {
        return;
    };
    let mut factors = HashSet::new();
    for (r, row) in figure.rows.iter().enumerate() {
        let at = format!("/figure_a1/rows/{r}");
        known.check_placement(c, &at, &row.layer, Some(&row.factor));
        c.unique(
            &mut factors,
            row.factor.as_str(),
            format!("{at}/factor"),
            "factor",
        );
        let mut ticked = HashSet::new();
        for (a, archetype) in row.archetypes.iter().enumerate() {
            let at = format!("{at}/archetypes/{a}");
            if known.archetypes.contains(archetype.as_str()) {
                c.unique(&mut ticked, archetype.as_str(), at, "archetype");
            } else {
                c.add(at, format!("unknown archetype '{archetype}'"));
            }
        }
    }
    for (f, note) in figure.footnotes.iter().enumerate() {
        let at = format!("/figure_a1/footnotes/{f}");
        if let Some(archetype) = &note.archetype {
            if !known.archetypes.contains(archetype.as_str()) {
                c.add(
                    format!("{at}/archetype"),
                    format!("unknown archetype '{archetype}'"),
                );
            }
        }
        if let Some(layer) = &note.layer {
            if !known.layers.contains(layer.as_str()) {
                c.add(format!("{at}/layer"), format!("unknown layer '{layer}'"));
            }
        }
        if note.text.trim().is_empty() {
            c.add(format!("{at}/text"), "a footnote needs its text");
        }
    }
}

/// Notes: unique codes, a title and a text each.
fn check_notes(doc: &FrameworkDocument, c: &mut Collector) {
    let mut seen = HashSet::new();
    for (n, note) in doc.notes.iter().enumerate() {
        c.unique(
            &mut seen,
            note.code.as_str(),
            format!("/notes/{n}/code"),
            "note code",
        );
        for (field, value) in [("title", &note.title), ("text", &note.text)] {
            if value.trim().is_empty() {
                c.add(
                    format!("/notes/{n}/{field}"),
                    format!("a note needs a {field}"),
                );
            }
        }
    }
}
