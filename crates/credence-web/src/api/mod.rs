//! The JSON API under `/api/v1`: handlers are a few lines each (extract, call one service
//! method, answer JSON). Bodies are read with [`ApiJson`], which answers malformed JSON
//! with `application/problem+json` (400 for syntax, 422 for a wrong shape, 415 for a
//! wrong content type) instead of axum's plain-text rejections.

pub mod accounts;
pub mod audit_checkpoint;
pub mod awards;
pub mod evidence;
pub mod orgs;
pub mod vcapi;

use axum::extract::DefaultBodyLimit;
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::AppState;

/// The document's fixed parts; the paths come from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Credence API",
        description = "The JSON API of Credence, a registry for competency evidence and Open Badges 3.0 credentials. Errors are `application/problem+json` (RFC 9457). Authenticate with `Authorization: Bearer <API token>`, or a session cookie plus the `X-CSRF-Token` header for changes.",
        license(name = "Apache-2.0")
    ),
    servers((url = "/api/v1")),
    components(schemas(crate::error::Problem))
)]
struct ApiDoc;

/// Every `/api/v1` route whose body is subject to the general limit, with its OpenAPI
/// description: a route cannot exist without appearing in the document.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::sign_in, accounts::sign_out))
        .routes(routes!(accounts::me))
        .routes(routes!(orgs::list, orgs::create))
        .routes(routes!(orgs::show))
        .routes(routes!(orgs::members, orgs::add_member))
        .routes(routes!(orgs::remove_member))
        .routes(routes!(orgs::tokens, orgs::create_token))
        .routes(routes!(orgs::revoke_token))
        .routes(routes!(orgs::keys))
        .routes(routes!(orgs::rotate_key))
        .routes(routes!(orgs::set_cryptosuite))
        .routes(routes!(orgs::audit))
        .routes(routes!(orgs::trust))
        .routes(routes!(evidence::queue))
        .routes(routes!(evidence::import))
        .routes(routes!(evidence::list, evidence::record))
        .routes(routes!(evidence::show, evidence::edit, evidence::delete))
        .routes(routes!(evidence::download))
        .routes(routes!(evidence::submit))
        .routes(routes!(evidence::decide))
        .routes(routes!(evidence::progress))
        .routes(routes!(awards::achievements, awards::create_achievement))
        .routes(routes!(awards::org_awards, awards::award))
        .routes(routes!(awards::my_awards))
        .routes(routes!(awards::change_status))
        .routes(routes!(awards::visibility))
        .routes(routes!(awards::verify))
        .routes(routes!(awards::bulk_job))
        .routes(routes!(awards::bulk_rows))
        .routes(routes!(vcapi::accreditations, vcapi::accredit))
        .routes(routes!(vcapi::revoke_accreditation))
        .split_for_parts()
}

/// The `/api/v1` routes whose bodies have a limit of their own instead of the general one
/// (attachment uploads, bulk award files), with their OpenAPI description. Mount them so
/// that the general limit does not also apply to them.
pub fn own_limit_routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(evidence::attach).map(|route| {
            route
                .route_layer(DefaultBodyLimit::max(evidence::ATTACHMENT_BODY_LIMIT))
                .route_layer(RequestBodyLimitLayer::new(evidence::ATTACHMENT_BODY_LIMIT))
        }))
        .routes(routes!(awards::bulk).map(|route| {
            route
                .route_layer(DefaultBodyLimit::max(awards::BULK_BODY_LIMIT))
                .route_layer(RequestBodyLimitLayer::new(awards::BULK_BODY_LIMIT))
        }))
        .split_for_parts()
}

/// The route of the document itself, `GET /api/v1/openapi.json`, and its description. The
/// handler reads the whole document from an [`axum::Extension`] that the caller adds with
/// `route_layer` once every part is merged.
pub fn document_route() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(openapi_json))
        .split_for_parts()
}

/// `GET /api/v1/openapi.json` (public): this document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI 3.1 document of the API", content_type = "application/json")))]
pub async fn openapi_json(
    axum::Extension(doc): axum::Extension<std::sync::Arc<utoipa::openapi::OpenApi>>,
) -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(doc.as_ref().clone())
}

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use credence_service::Page;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::WebError;

/// A JSON request body whose rejections are problem documents.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// Maps axum's JSON rejections to problem documents.
pub fn json_rejection(rejection: JsonRejection) -> WebError {
    match rejection {
        JsonRejection::JsonDataError(e) => WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid input",
            format!(
                "The JSON body does not have the expected shape: {}",
                e.body_text()
            ),
        ),
        JsonRejection::JsonSyntaxError(e) => {
            WebError::bad_request(format!("The body is not valid JSON: {}", e.body_text()))
        }
        JsonRejection::MissingJsonContentType(_) => WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send the body as JSON with 'Content-Type: application/json'.",
        ),
        JsonRejection::BytesRejection(e) => WebError::new(
            e.status(),
            "Body not read",
            format!("The body could not be read: {}", e.body_text()),
        ),
        other => WebError::new(other.status(), "Bad request", other.body_text()),
    }
}

/// `?offset=&limit=` of a list.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows to skip.
    #[serde(default)]
    pub offset: u64,
    /// Rows to return (1 to 500; default 50).
    #[serde(default = "default_limit")]
    pub limit: u64,
}

fn default_limit() -> u64 {
    50
}

impl PageQuery {
    pub fn page(self) -> Page {
        Page::new(self.offset, self.limit)
    }
}

/// A list answer: items and where they sit.
#[derive(Debug, serde::Serialize)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub offset: u64,
    pub limit: u64,
}

impl<T> Listing<T> {
    pub fn new(items: Vec<T>, page: Page) -> Self {
        Self {
            items,
            offset: page.offset,
            limit: page.limit,
        }
    }
}
