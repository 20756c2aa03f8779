//! The route table: every URL Credence answers is listed here, and the layers every
//! request passes through.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::api;
use crate::negotiate::Format;
use crate::pages::{frameworks, health};
use crate::{assets, AppState, WebError};

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Builds the whole application.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit_bytes;
    Router::new()
        .route("/", get(frameworks::home))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/frameworks", get(frameworks::list))
        .route("/frameworks/{slug}", get(frameworks::show))
        .route(
            "/frameworks/{slug}/pathways/{code}",
            get(frameworks::pathway),
        )
        .route("/static/{name}", get(assets::serve))
        .route("/orgs/{slug}", get(api::orgs::profile))
        .route("/orgs/{slug}/did.json", get(api::orgs::did_document))
        .nest("/api/v1", api_routes())
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(html_errors))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// The JSON API, mounted under `/api/v1`, and its OpenAPI document at
/// `/api/v1/openapi.json`.
fn api_routes() -> Router<AppState> {
    let (routes, doc) = api::routes();
    let doc = std::sync::Arc::new(doc);
    routes.route(
        "/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
}

async fn not_found(request: Request) -> WebError {
    WebError::not_found(format!("Nothing is published at {}.", request.uri().path()))
}

/// Turns `application/problem+json` answers into HTML pages for clients that ask for HTML
/// (browsers), so people see a page and programs see a problem document.
async fn html_errors(request: Request, next: Next) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(Format::wants_html_error);
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !wants_html || !is_problem {
        return response;
    }
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let text = |key: &str| problem.get(key).and_then(|v| v.as_str()).unwrap_or("");
    crate::pages::error_page(status, text("title"), text("detail"))
}
