//! Framework pages and their JSON: the list of frameworks, one framework with its
//! archetypes, pathways and statements, and one pathway.

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::framework::{Question, Statement};
use credence_domain::{Framework, FrameworkSlug, PathwayCode};
use serde::Deserialize;
use serde_json::json;

use crate::negotiate::Format;
use crate::pages::render;
use crate::pages::session::Nav;
use crate::{AppState, WebError};

/// A framework slug taken from the path, refused before any service sees it.
pub struct SlugPath(FrameworkSlug);

impl FromRequestParts<AppState> for SlugPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request(e.body_text()))?;
        let slug = params
            .iter()
            .find(|(k, _)| k == "slug")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        FrameworkSlug::new(slug)
            .map(Self)
            .map_err(|e| WebError::not_found(format!("No framework is published here: {e}.")))
    }
}

/// A pathway code taken from the path.
pub struct PathwayPath(PathwayCode);

impl FromRequestParts<AppState> for PathwayPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request(e.body_text()))?;
        let code = params
            .iter()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        PathwayCode::new(code)
            .map(Self)
            .map_err(|e| WebError::not_found(format!("No pathway is published here: {e}.")))
    }
}

#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    frameworks: usize,
    statements: usize,
}

/// `GET /`: what Credence is, and the way in for each kind of visitor.
pub async fn home(State(state): State<AppState>, nav: Nav) -> Result<Response, WebError> {
    let frameworks = state.services.frameworks.list().await?;
    let mut statements = 0;
    for f in &frameworks {
        if let Ok(slug) = FrameworkSlug::new(&f.slug) {
            statements += state
                .services
                .frameworks
                .get(&slug, Some(&f.version))
                .await?
                .document()
                .statements
                .len();
        }
    }
    Ok(render(&HomePage {
        nav,
        frameworks: frameworks.len(),
        statements,
    }))
}

struct FrameworkRow {
    slug: String,
    version: String,
    title: String,
    publisher: String,
    imported_at: String,
}

#[derive(Template)]
#[template(path = "frameworks.html")]
struct FrameworksPage {
    nav: Nav,
    title: &'static str,
    frameworks: Vec<FrameworkRow>,
}

/// `GET /frameworks`.
pub async fn list(
    State(state): State<AppState>,
    format: Format,
    nav: Nav,
) -> Result<Response, WebError> {
    let frameworks = state.services.frameworks.list().await?;
    if format == Format::Json {
        let items: Vec<_> = frameworks
            .iter()
            .map(|f| {
                json!({
                    "slug": f.slug,
                    "version": f.version,
                    "title": f.title,
                    "publisher": f.publisher,
                    "sha256": f.content_sha256,
                    "imported_at": f.imported_at.to_rfc3339(),
                    "url": format!("/frameworks/{}?version={}", f.slug, f.version),
                })
            })
            .collect();
        return Ok(Json(json!({ "frameworks": items })).into_response());
    }
    Ok(render(&FrameworksPage {
        nav,
        title: "Competency frameworks",
        frameworks: frameworks
            .into_iter()
            .map(|f| FrameworkRow {
                slug: f.slug,
                version: f.version,
                title: f.title,
                publisher: f.publisher,
                imported_at: f.imported_at.format("%-d %B %Y").to_string(),
            })
            .collect(),
    }))
}

/// A statement prepared for display.
struct StatementView<'a> {
    statement: &'a Statement,
    pathway_name: String,
    flagged: bool,
}

struct LevelGroup<'a> {
    name: String,
    taxonomy: String,
    statements: Vec<StatementView<'a>>,
}

struct FactorGroup<'a> {
    name: String,
    anchor: String,
    levels: Vec<LevelGroup<'a>>,
    count: usize,
}

struct LayerGroup<'a> {
    name: String,
    factors: Vec<FactorGroup<'a>>,
    count: usize,
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Groups statements by layer, factor and level, in the framework's own order.
fn group<'a>(
    fw: &'a Framework,
    statements: impl Iterator<Item = &'a Statement>,
) -> Vec<LayerGroup<'a>> {
    let doc = fw.document();
    let statements: Vec<&Statement> = statements.collect();
    // Levels in taxonomy order, then those without a level.
    let mut level_order: Vec<(Option<&credence_domain::LevelCode>, String, String)> = doc
        .taxonomies
        .iter()
        .flat_map(|t| {
            t.levels
                .iter()
                .map(move |l| (Some(&l.code), l.name.clone(), t.name.clone()))
        })
        .collect();
    level_order.push((None, "No level (cannot be assessed)".into(), String::new()));
    let view = |s: &'a Statement| StatementView {
        statement: s,
        pathway_name: fw
            .pathway(&s.pathway)
            .map_or_else(|| s.pathway.to_string(), |p| p.name.clone()),
        flagged: !s.anomalies.is_empty(),
    };
    let mut layers = Vec::new();
    for layer in &doc.layers {
        let mut factor_names: Vec<Option<&str>> = layer
            .factors
            .iter()
            .map(|f| Some(f.name.as_str()))
            .collect();
        factor_names.push(None);
        let mut factors = Vec::new();
        for factor in factor_names {
            let mut levels = Vec::new();
            for (code, name, taxonomy) in &level_order {
                let in_group: Vec<StatementView> = statements
                    .iter()
                    .filter(|s| {
                        s.layer == layer.name
                            && s.factor.as_deref() == factor
                            && s.level.as_ref() == *code
                    })
                    .map(|s| view(s))
                    .collect();
                if !in_group.is_empty() {
                    levels.push(LevelGroup {
                        name: name.clone(),
                        taxonomy: taxonomy.clone(),
                        statements: in_group,
                    });
                }
            }
            if !levels.is_empty() {
                let name = factor.map_or_else(
                    || format!("{} (across the layer)", layer.name),
                    str::to_owned,
                );
                factors.push(FactorGroup {
                    anchor: format!("factor-{}", slugify(&name)),
                    count: levels.iter().map(|l| l.statements.len()).sum(),
                    name,
                    levels,
                });
            }
        }
        if !factors.is_empty() {
            layers.push(LayerGroup {
                name: layer.name.clone(),
                count: factors.iter().map(|f| f.count).sum(),
                factors,
            });
        }
    }
    layers
}

struct PathwayRow {
    code: String,
    name: String,
    kind: &'static str,
    archetype: String,
    table: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage<'a> {
    nav: Nav,
    title: String,
    fw: &'a Framework,
    pathways: Vec<PathwayRow>,
    layers: Vec<LayerGroup<'a>>,
    statement_count: usize,
    question_count: usize,
    figure: Option<FigureView>,
    topics: Vec<TopicView>,
    /// The path of this version's CASE 1.1 package.
    case_package: String,
}

/// One statement of a topic, as the topics list shows it.
struct TopicMember {
    code: String,
    level: String,
    table: String,
    source_line: u32,
    text: String,
}

/// A topic with its statements, for review.
struct TopicView {
    code: String,
    name: String,
    decision: String,
    members: Vec<TopicMember>,
}

/// One row of Figure A1: a layer heading or a factor with a tick per archetype.
struct FigureRow {
    /// The layer's name on the first row of each layer, with its footnote marker.
    layer: Option<String>,
    factor: String,
    ticks: Vec<bool>,
    source_line: Option<u32>,
}

/// Figure A1 as a table.
struct FigureView {
    title: String,
    source_line: Option<u32>,
    /// Archetype column headings with any footnote marker.
    columns: Vec<(String, String)>,
    rows: Vec<FigureRow>,
    footnotes: Vec<(String, String, Option<u32>)>,
}

/// Figure A1 of a framework document as a table: archetypes across, factors down.
fn figure_view(fw: &Framework) -> Option<FigureView> {
    let doc = fw.document();
    let figure = doc.figure_a1.as_ref()?;
    let marker_of_archetype = |code: &credence_domain::ArchetypeCode| {
        figure
            .footnotes
            .iter()
            .find(|f| f.archetype.as_ref() == Some(code))
            .map_or_else(String::new, |f| f.marker.clone())
    };
    let columns = doc
        .archetypes
        .iter()
        .map(|a| (a.plural.clone(), marker_of_archetype(&a.code)))
        .collect();
    let mut rows = Vec::new();
    let mut last_layer: Option<&str> = None;
    for row in &figure.rows {
        let layer = (last_layer != Some(row.layer.as_str())).then(|| {
            let marker = figure
                .footnotes
                .iter()
                .find(|f| f.layer.as_deref() == Some(row.layer.as_str()))
                .map_or("", |f| f.marker.as_str());
            format!("{}{marker}", row.layer)
        });
        last_layer = Some(row.layer.as_str());
        rows.push(FigureRow {
            layer,
            factor: row.factor.clone(),
            ticks: doc
                .archetypes
                .iter()
                .map(|a| row.archetypes.contains(&a.code))
                .collect(),
            source_line: row.source_line,
        });
    }
    Some(FigureView {
        title: figure.title.clone(),
        source_line: figure.source_line,
        columns,
        rows,
        footnotes: figure
            .footnotes
            .iter()
            .map(|f| (f.marker.clone(), f.text.clone(), f.source_line))
            .collect(),
    })
}

/// Every topic of a framework with its statements, in document order.
fn topic_views(fw: &Framework) -> Vec<TopicView> {
    fw.document()
        .topics
        .iter()
        .map(|t| TopicView {
            code: t.code.to_string(),
            name: t.name.clone(),
            decision: t.decision.clone().unwrap_or_default(),
            members: fw
                .topic_statements(&t.code)
                .map(|s| TopicMember {
                    code: s.code.to_string(),
                    level: s
                        .level
                        .as_ref()
                        .and_then(|l| fw.level(l))
                        .map_or_else(|| "no level".to_owned(), |l| l.name.clone()),
                    table: s.table.clone(),
                    source_line: s.source_line,
                    text: s.text.clone(),
                })
                .collect(),
        })
        .collect()
}

/// `GET /frameworks/{slug}`: the framework as a page, or its document as JSON.
pub async fn show(
    State(state): State<AppState>,
    SlugPath(slug): SlugPath,
    Query(query): Query<VersionQuery>,
    format: Format,
    nav: Nav,
) -> Result<Response, WebError> {
    let fw: Arc<Framework> = state
        .services
        .frameworks
        .get(&slug, query.version.as_deref())
        .await?;
    if format == Format::Json {
        return Ok(Json(fw.document()).into_response());
    }
    let doc = fw.document();
    let pathways = doc
        .pathways
        .iter()
        .map(|p| PathwayRow {
            code: p.code.to_string(),
            name: p.name.clone(),
            kind: p.kind.label(),
            archetype: p
                .archetype
                .as_ref()
                .and_then(|a| fw.archetype(a))
                .map_or_else(String::new, |a| a.name.clone()),
            table: p.table.clone().unwrap_or_default(),
            count: fw.pathway_statements(&p.code).count(),
        })
        .collect();
    let page = FrameworkPage {
        nav,
        title: doc.title.clone(),
        pathways,
        layers: group(&fw, doc.statements.iter()),
        statement_count: doc.statements.len(),
        question_count: doc.questions.len(),
        figure: figure_view(&fw),
        topics: topic_views(&fw),
        case_package: format!(
            "{}/CFPackages/{}",
            credence_domain::case::API_PATH,
            credence_domain::case::document_id(fw.slug(), fw.version())
        ),
        fw: &fw,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "pathway.html")]
struct PathwayPage<'a> {
    nav: Nav,
    title: String,
    fw: &'a Framework,
    pathway: &'a credence_domain::framework::Pathway,
    archetype: Option<&'a credence_domain::framework::Archetype>,
    prerequisites: Vec<(String, String)>,
    layers: Vec<LayerGroup<'a>>,
    statement_count: usize,
    question_set: Option<&'a credence_domain::framework::QuestionSet>,
    questions: Vec<&'a Question>,
}

/// `GET /frameworks/{slug}/pathways/{code}`.
pub async fn pathway(
    State(state): State<AppState>,
    SlugPath(slug): SlugPath,
    PathwayPath(code): PathwayPath,
    Query(query): Query<VersionQuery>,
    format: Format,
    nav: Nav,
) -> Result<Response, WebError> {
    let fw = state
        .services
        .frameworks
        .get(&slug, query.version.as_deref())
        .await?;
    let pathway = fw.pathway(&code).ok_or_else(|| {
        WebError::not_found(format!(
            "Framework '{slug}' has no pathway '{code}' in version {}.",
            fw.version()
        ))
    })?;
    let statements: Vec<&Statement> = fw.pathway_statements(&code).collect();
    let questions: Vec<&Question> = pathway
        .question_set
        .as_ref()
        .map(|set| fw.questions_in(set).collect())
        .unwrap_or_default();
    if format == Format::Json {
        return Ok(Json(json!({
            "framework": {"slug": fw.slug(), "version": fw.version(), "title": fw.document().title},
            "pathway": pathway,
            "statements": statements,
            "questions": questions,
        }))
        .into_response());
    }
    let page = PathwayPage {
        nav,
        title: pathway.name.clone(),
        archetype: pathway.archetype.as_ref().and_then(|a| fw.archetype(a)),
        prerequisites: pathway
            .prerequisites
            .iter()
            .map(|p| {
                let name = fw
                    .pathway(p)
                    .map_or_else(|| p.to_string(), |p| p.name.clone());
                (p.to_string(), name)
            })
            .collect(),
        statement_count: statements.len(),
        layers: group(&fw, statements.into_iter()),
        question_set: pathway
            .question_set
            .as_ref()
            .and_then(|q| fw.question_set(q)),
        questions,
        pathway,
        fw: &fw,
    };
    Ok(render(&page))
}
