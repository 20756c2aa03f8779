//! The route table: every URL Credence answers is listed here, and the layers every
//! request passes through.

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
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
        .fallback(not_found)
        // The API applies the same limit itself, to every route but attachment uploads.
        .layer(RequestBodyLimitLayer::new(body_limit))
        .nest("/api/v1", api_routes(body_limit))
        .with_state(state)
        .layer(middleware::from_fn(html_errors))
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

/// The JSON API, mounted under `/api/v1`. Request bodies are limited to `body_limit`
/// bytes, except attachment uploads, which have a limit of their own.
fn api_routes(body_limit: usize) -> Router<AppState> {
    use api::{accounts, evidence, orgs};
    Router::new()
        .route("/accounts", post(accounts::register))
        .route(
            "/session",
            post(accounts::sign_in).delete(accounts::sign_out),
        )
        .route("/me", get(accounts::me))
        .route("/orgs", get(orgs::list).post(orgs::create))
        .route("/orgs/{slug}", get(orgs::show))
        .route(
            "/orgs/{slug}/members",
            get(orgs::members).post(orgs::add_member),
        )
        .route(
            "/orgs/{slug}/members/{account_id}/{role}",
            delete(orgs::remove_member),
        )
        .route(
            "/orgs/{slug}/tokens",
            get(orgs::tokens).post(orgs::create_token),
        )
        .route("/orgs/{slug}/tokens/{id}", delete(orgs::revoke_token))
        .route("/orgs/{slug}/keys", get(orgs::keys))
        .route("/orgs/{slug}/keys/rotate", post(orgs::rotate_key))
        .route("/orgs/{slug}/audit", get(orgs::audit))
        .route("/trusted-bodies/{slug}", put(orgs::trust))
        .route("/orgs/{slug}/queue", get(evidence::queue))
        .route("/orgs/{slug}/imports", post(evidence::import))
        .route("/evidence", get(evidence::list).post(evidence::record))
        .route(
            "/evidence/{id}",
            get(evidence::show)
                .put(evidence::edit)
                .delete(evidence::delete),
        )
        .route(
            "/evidence/{id}/attachments/{attachment}",
            get(evidence::download),
        )
        .route("/evidence/{id}/submit", post(evidence::submit))
        .route("/evidence/{id}/decision", post(evidence::decide))
        .route("/progress/{framework}/{pathway}", get(evidence::progress))
        .layer(RequestBodyLimitLayer::new(body_limit))
        // Added after the layer above, so only its own limit applies.
        .route(
            "/evidence/{id}/attachments",
            post(evidence::attach)
                .route_layer(DefaultBodyLimit::max(evidence::ATTACHMENT_BODY_LIMIT))
                .route_layer(RequestBodyLimitLayer::new(evidence::ATTACHMENT_BODY_LIMIT)),
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
