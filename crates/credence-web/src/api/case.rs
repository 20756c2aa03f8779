//! The frameworks as 1EdTech CASE 1.1 (REST binding, read-only, public) at
//! `/ims/case/v1p1/...`, and the operator's import of a CASE package at
//! `POST /api/v1/frameworks/case`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::case::Uuid;
use credence_domain::case::{
    CfAssociation, CfAssociationSet, CfDocument, CfDocumentSet, CfItem, CfItemTypeSet,
};
use serde::Serialize;

use crate::auth::CurrentActor;
use crate::error::Problem;
use crate::{AppState, WebError};

/// A CASE `sourcedId` from the path: a UUID, else the 404 of an unknown object.
fn sourced_id(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw).map_err(|_| {
        WebError::not_found(format!(
            "'{raw}' is not a CASE identifier (a UUID) known here."
        ))
    })
}

/// `GET /ims/case/v1p1/CFDocuments`: the document of every framework version.
#[utoipa::path(get, path = "/ims/case/v1p1/CFDocuments", operation_id = "case_documents", tag = "case", responses((status = 200, description = "A CASE 1.1 `CFDocumentSet`", content_type = "application/json")))]
pub async fn documents(State(state): State<AppState>) -> Result<Json<CfDocumentSet>, WebError> {
    Ok(Json(
        state.services.registry.public().case_documents().await?,
    ))
}

/// `GET /ims/case/v1p1/CFDocuments/{sourcedId}`.
#[utoipa::path(get, path = "/ims/case/v1p1/CFDocuments/{id}", operation_id = "case_document", tag = "case", params(("id" = String, Path, description = "The document's identifier (a UUID)")), responses((status = 200, description = "A CASE 1.1 `CFDocument`", content_type = "application/json"), (status = 404, body = Problem)))]
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CfDocument>, WebError> {
    let id = sourced_id(&id)?;
    Ok(Json(
        state.services.registry.public().case_document(&id).await?,
    ))
}

/// `GET /ims/case/v1p1/CFPackages/{sourcedId}`: a framework version as a whole package.
#[utoipa::path(get, path = "/ims/case/v1p1/CFPackages/{id}", operation_id = "case_package", tag = "case", params(("id" = String, Path, description = "The identifier of the package's document (a UUID)")), responses((status = 200, description = "A CASE 1.1 `CFPackage`", content_type = "application/json"), (status = 404, body = Problem)))]
pub async fn package(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = sourced_id(&id)?;
    let package = state.services.registry.public().case_package(&id).await?;
    // Serialised from the shared, memoised package: a package is about a megabyte.
    Ok(Json(&*package).into_response())
}

/// `GET /ims/case/v1p1/CFItems/{sourcedId}`: a statement, level, layer, factor, topic,
/// taxonomy or pathway.
#[utoipa::path(get, path = "/ims/case/v1p1/CFItems/{id}", operation_id = "case_item", tag = "case", params(("id" = String, Path, description = "The item's identifier (a UUID)")), responses((status = 200, description = "A CASE 1.1 `CFItem`", content_type = "application/json"), (status = 404, body = Problem)))]
pub async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CfItem>, WebError> {
    let id = sourced_id(&id)?;
    Ok(Json(state.services.registry.public().case_item(&id).await?))
}

/// `GET /ims/case/v1p1/CFItemAssociations/{sourcedId}`: an item with every association
/// from or to it.
#[utoipa::path(get, path = "/ims/case/v1p1/CFItemAssociations/{id}", operation_id = "case_item_associations", tag = "case", params(("id" = String, Path, description = "The item's identifier (a UUID)")), responses((status = 200, description = "A CASE 1.1 `CFAssociationSet`", content_type = "application/json"), (status = 404, body = Problem)))]
pub async fn item_associations(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CfAssociationSet>, WebError> {
    let id = sourced_id(&id)?;
    Ok(Json(
        state
            .services
            .registry
            .public()
            .case_item_associations(&id)
            .await?,
    ))
}

/// `GET /ims/case/v1p1/CFItemTypes/{sourcedId}`: an item type and the types below it.
#[utoipa::path(get, path = "/ims/case/v1p1/CFItemTypes/{id}", operation_id = "case_item_types", tag = "case", params(("id" = String, Path, description = "The item type's identifier (a UUID)")), responses((status = 200, description = "A CASE 1.1 `CFItemTypeSet`", content_type = "application/json"), (status = 404, body = Problem)))]
pub async fn item_types(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CfItemTypeSet>, WebError> {
    let id = sourced_id(&id)?;
    Ok(Json(state.services.registry.public().case_item_types(&id)?))
}

/// `GET /ims/case/v1p1/CFAssociations/{sourcedId}`.
#[utoipa::path(get, path = "/ims/case/v1p1/CFAssociations/{id}", operation_id = "case_association", tag = "case", params(("id" = String, Path, description = "The association's identifier (a UUID)")), responses((status = 200, description = "A CASE 1.1 `CFAssociation`", content_type = "application/json"), (status = 404, body = Problem)))]
pub async fn association(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CfAssociation>, WebError> {
    let id = sourced_id(&id)?;
    Ok(Json(
        state
            .services
            .registry
            .public()
            .case_association(&id)
            .await?,
    ))
}

/// What an import did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportView {
    pub slug: String,
    pub version: String,
    pub statements: usize,
    /// False when the identical version was already stored.
    pub created: bool,
    /// The framework's page.
    pub url: String,
}

/// `POST /api/v1/frameworks/case` (operator): imports a CASE 1.1 `CFPackage` (the JSON
/// body) as a framework version. 201 when a version was created, 200 when the identical
/// version was already stored, 409 when that version is stored with other content, 422
/// naming every field at fault, and then nothing is written.
#[utoipa::path(post, path = "/frameworks/case", tag = "frameworks", request_body(content = Object, description = "A CASE 1.1 `CFPackage`", content_type = "application/json"), security(("bearer" = []), ("session" = [])), responses((status = 201, body = ImportView), (status = 200, body = ImportView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(state): State<AppState>,
    current: CurrentActor,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportView>), WebError> {
    let registry = &state.services.registry;
    let report = registry
        .operator(&current.actor)?
        .import_case_package(&body)
        .await?;
    let status = if report.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(ImportView {
            url: format!(
                "/frameworks/{}?version={}",
                report.slug,
                crate::pages::session::url_encode(&report.version)
            ),
            slug: report.slug,
            version: report.version,
            statements: report.statements,
            created: report.created,
        }),
    ))
}
