//! The route table: every URL Credence answers is listed here, and the layers every
//! request passes through.

use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, patch, post, put};
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

/// The largest bulk award file accepted, in bytes.
pub const BULK_BODY_LIMIT: usize = 16 * 1024 * 1024;

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
        .route(
            "/orgs/{slug}/status/{purpose}",
            get(api::awards::status_list),
        )
        .route("/achievements/{id}", get(api::awards::achievement))
        .route(
            "/achievements/{id}/image.svg",
            get(api::awards::achievement_image),
        )
        .route("/credentials/{id}", get(api::awards::credential))
        .nest("/api/v1", api_routes())
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(body_limit))
        // Bulk award files may be larger than any other body: this route has its own limit,
        // added after the general one so that it is not also subject to it.
        .merge(
            Router::new()
                .route("/api/v1/orgs/{slug}/awards/bulk", post(api::awards::bulk))
                .layer(DefaultBodyLimit::max(BULK_BODY_LIMIT))
                .layer(RequestBodyLimitLayer::new(BULK_BODY_LIMIT)),
        )
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

/// The JSON API, mounted under `/api/v1`.
fn api_routes() -> Router<AppState> {
    use api::{accounts, awards, orgs};
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
        .route(
            "/orgs/{slug}/achievements",
            get(awards::achievements).post(awards::create_achievement),
        )
        .route(
            "/orgs/{slug}/awards",
            get(awards::org_awards).post(awards::award),
        )
        .route("/awards", get(awards::my_awards))
        .route("/awards/{id}/status", post(awards::change_status))
        .route("/awards/{id}/visibility", patch(awards::visibility))
        .route("/verify", post(awards::verify))
        .route("/bulk/{id}", get(awards::bulk_job))
        .route("/bulk/{id}/rows", get(awards::bulk_rows))
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
