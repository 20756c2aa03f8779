//! The JSON API under `/api/v1`: handlers are a few lines each (extract, call one service
//! method, answer JSON). Bodies are read with [`ApiJson`], which answers malformed JSON
//! with `application/problem+json` (400 for syntax, 422 for a wrong shape, 415 for a
//! wrong content type) instead of axum's plain-text rejections.

pub mod accounts;
pub mod affiliations;
pub mod audit_checkpoint;
pub mod awards;
pub mod case;
pub mod evidence;
pub mod obapi;
pub mod oid4vci;
pub mod orgs;
pub mod products;
pub mod table;
pub mod teams;
pub mod vcapi;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

use table::DocumentedRoutes;

/// The document's fixed parts; the paths come from the handlers' annotations, through the
/// route table in `router.rs`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Credence API",
        description = "The JSON API of Credence, a registry for competency evidence and Open Badges 3.0 credentials, and its VC-API (W3C CCG) at the paths that specification gives, served from the site's root. Errors are `application/problem+json` (RFC 9457). Authenticate with `Authorization: Bearer <API token>`, or a session cookie plus the `X-CSRF-Token` header for changes.",
        license(name = "Apache-2.0")
    ),
    servers((url = "/api/v1")),
    components(schemas(crate::error::Problem)),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

/// The ways to authenticate: `bearer` (an API token) and `session` (a browser's session
/// cookie, with the session's CSRF token in the `X-CSRF-Token` header on changes).
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token of one organisation role, `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "oid4vci_access_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An OpenID4VCI access token from `/oid4vci/token`, `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "A signed-in browser's session cookie; changes also need the session's CSRF token in the `X-CSRF-Token` header.",
            ))),
        );
    }
}

/// The whole OpenAPI document: the fixed parts and the description of every table's routes.
pub fn document(tables: &[&DocumentedRoutes]) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for table in tables {
        doc.merge(table.doc());
    }
    doc
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
        if !json_content_type(req.headers()) {
            return Err(unsupported_media_type());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| json_rejection(e.into()))?;
        // Parsed plainly first; only a body that fails is parsed again by axum, which
        // tracks the path to the error for the message. Tracking it on every body cost
        // about a tenth of verifying a 38 KB credential.
        match serde_json::from_slice(&bytes) {
            Ok(value) => Ok(Self(value)),
            Err(_) => match axum::Json::<T>::from_bytes(&bytes) {
                Ok(axum::Json(value)) => Ok(Self(value)),
                Err(rejection) => Err(json_rejection(rejection)),
            },
        }
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/*+json`),
/// as axum's `Json` requires.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn unsupported_media_type() -> WebError {
    WebError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Unsupported media type",
        "Send the body as JSON with 'Content-Type: application/json'.",
    )
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
        JsonRejection::MissingJsonContentType(_) => unsupported_media_type(),
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
