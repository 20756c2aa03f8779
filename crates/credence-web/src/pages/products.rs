//! A product version's dossier page (issue 19): the product's facts and versions, the
//! answers of its buying and deploying sites to the report's question sets beside the
//! product-specific pathway, and the coverage of the sites' staff, with the refresher rule.
//! `?format=json` (or a client that does not ask for HTML) answers as `GET /api/v1/products/{id}`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::ProductId;
use credence_service::products::DossierView;

use crate::api::products::{version_of, DossierQuery};
use crate::auth::CurrentActor;
use crate::error::record_id;
use crate::negotiate::Format;
use crate::pages::credentials::wants_html;
use crate::pages::render;
use crate::pages::session::Nav;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "product.html")]
struct DossierPage {
    nav: Nav,
    title: String,
    d: DossierView,
}

impl DossierPage {
    /// "12 of 40 answered".
    fn answered(&self, set: &credence_service::products::QuestionSetView) -> String {
        format!("{} of {} answered", set.answered, set.questions.len())
    }
}

/// `GET /products/{id}`: the dossier of a product version (`?version=`, else the current).
pub async fn dossier(
    State(state): State<AppState>,
    current: CurrentActor,
    nav: Nav,
    headers: HeaderMap,
    format: Format,
    Path(id): Path<String>,
    Query(query): Query<DossierQuery>,
) -> Result<Response, WebError> {
    let id: ProductId = record_id(&id, "product")?;
    let version = version_of(&query)?;
    let d = state
        .services
        .registry
        .caller(&current.actor)
        .product_dossier(&id, version.as_ref())
        .await?;
    if format == Format::Json || !wants_html(&headers) {
        return Ok(Json(d).into_response());
    }
    let title = match &d.version {
        Some(v) => format!("{} {}", d.product.name, v.version),
        None => d.product.name.clone(),
    };
    Ok(render(&DossierPage { nav, title, d }))
}
