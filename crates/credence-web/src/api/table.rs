//! A part of the route table whose routes are documented in the OpenAPI document:
//! `router.rs` lists each route's method, path and handler, and [`DocumentedRoutes::add`]
//! mounts it, takes the handler's `#[utoipa::path]` description into the document, and
//! refuses a route whose method or path differs from the one its handler documents.

use axum::extract::DefaultBodyLimit;
use axum::routing::MethodRouter;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::openapi::path::{PathItem, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr, Server};

use crate::AppState;

/// What `utoipa_axum::routes!(handler)` makes of one handler: the schemas it names, its
/// documented path and the axum method router.
pub type Documented = (Vec<(String, RefOr<Schema>)>, Paths, MethodRouter<AppState>);

/// Routes with their OpenAPI description, and the list of what was mounted.
pub struct DocumentedRoutes {
    router: Router<AppState>,
    doc: OpenApi,
    /// Where the routes are mounted (`/api/v1`, or `` for the VC-API at the root).
    prefix: &'static str,
    listed: Vec<(String, String)>,
}

impl DocumentedRoutes {
    /// An empty table for routes that will be mounted under `prefix`.
    pub fn new(prefix: &'static str) -> Self {
        Self {
            router: Router::new(),
            doc: OpenApi::default(),
            prefix,
            listed: Vec::new(),
        }
    }

    /// Mounts `method path` with the handler that `routes!` described.
    ///
    /// # Panics
    /// When the handler's `#[utoipa::path]` documents another path or method than the one
    /// written in the route table, as axum panics on a malformed route: the server cannot
    /// start with a table and a document that disagree.
    pub fn add(mut self, method: &str, path: &'static str, documented: Documented) -> Self {
        let (schemas, paths, method_router) = documented;
        let item = paths.paths.get(path);
        assert!(
            paths.paths.len() == 1 && item.is_some_and(|item| has_operation(item, method)),
            "the route table says `{method} {path}`, but its handler documents {:?}",
            paths
                .paths
                .iter()
                .map(|(p, item)| format!("{} {p}", methods(item).join("|")))
                .collect::<Vec<_>>()
        );
        self.router = self.router.route(path, method_router);
        self.doc.paths.merge(paths);
        let components = self.doc.components.get_or_insert_with(Default::default);
        components.schemas.extend(schemas);
        self.listed.push((
            method.to_ascii_uppercase(),
            format!("{}{path}", self.prefix),
        ));
        self
    }

    /// Gives every route of this table a body limit of its own, `limit` bytes, instead of
    /// the general one: merge it after the general limit's layer.
    pub fn own_body_limit(mut self, limit: usize) -> Self {
        self.router = self
            .router
            .route_layer(DefaultBodyLimit::max(limit))
            .route_layer(RequestBodyLimitLayer::new(limit));
        self
    }

    /// Applies `f` to the router (a layer for every route of the table).
    pub fn map_router(mut self, f: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = f(self.router);
        self
    }

    /// Adds another table's routes; both must be mounted under the same prefix.
    pub fn merge(mut self, other: DocumentedRoutes) -> Self {
        assert_eq!(self.prefix, other.prefix, "tables under different prefixes");
        self.router = self.router.merge(other.router);
        self.doc.merge(other.doc);
        self.listed.extend(other.listed);
        self
    }

    /// The routes' descriptions, each path marked as served from the site's root when the
    /// table is not under the document's `/api/v1`.
    pub fn doc(&self) -> OpenApi {
        let mut doc = self.doc.clone();
        if self.prefix.is_empty() {
            for item in doc.paths.paths.values_mut() {
                item.servers = Some(vec![Server::new("/")]);
            }
        }
        doc
    }

    /// `(METHOD, full path)` of every route, in the order the table lists them.
    pub fn listed(&self) -> &[(String, String)] {
        &self.listed
    }

    /// The axum router of the table.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// The methods (lower case, as in the table) that `item` documents an operation for.
fn methods(item: &PathItem) -> Vec<&'static str> {
    [
        ("get", &item.get),
        ("post", &item.post),
        ("put", &item.put),
        ("delete", &item.delete),
        ("patch", &item.patch),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method)
    .collect()
}

/// Whether `item` documents an operation for `method`.
fn has_operation(item: &PathItem, method: &str) -> bool {
    methods(item).contains(&method)
}
