//! The route table: every URL Credence answers is listed here, and the layers every
//! request passes through.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::api;
use crate::api::table::DocumentedRoutes;
use crate::negotiate::Format;
use crate::pages::console::{
    self, admin as console_admin, affiliations as console_affiliations,
    award_list as console_award_list, awards as console_awards, bulk as console_bulk,
    claims as console_claims, expiry as console_expiry, products as console_products,
    teams as console_teams, workforce as console_workforce,
};
use crate::pages::{
    account, account_settings, assess, claim, confirm, credentials, frameworks, health, holder,
    notifications, oauth, operator, operator_mail, password, products, teams, verify, wallet,
};
use crate::{assets, metrics, AppState, WebError};

// `connect-src 'self'`: the bulk job page's script polls the job's status on this site.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   script-src 'self'; connect-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// Only `GET /metrics`, with no token: for a listener of its own that only the operator's
/// monitoring reaches (`server.metrics_listen`).
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::render))
        .with_state(state)
}

/// Builds the whole application: every route family below, the VC-API and `/api/v1`
/// (their tables are in [`documented_routers`]), then the layers.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit_bytes;
    let http_metrics = state.metrics.clone();
    let (api_v1, vc_api) = documented_routers(body_limit);
    let routes = Router::new()
        .merge(public_routes())
        .merge(account_routes())
        .merge(holder_routes())
        .merge(operator_routes())
        .merge(console_routes())
        // VC-API (W3C CCG), at the paths the specification gives (listed in `vc_api`).
        .merge(vc_api)
        .fallback(not_found)
        // The API applies the same limit itself, to every route but uploads and bulk files.
        .layer(RequestBodyLimitLayer::new(body_limit))
        // The console's bulk award upload, after the layer above: it has its own limit.
        .route(
            "/console/{org}/bulk/upload",
            post(console_bulk::bulk_upload)
                .route_layer(DefaultBodyLimit::max(api::awards::BULK_BODY_LIMIT))
                .route_layer(RequestBodyLimitLayer::new(api::awards::BULK_BODY_LIMIT)),
        )
        .nest("/api/v1", api_v1)
        .with_state(state);
    with_layers(routes, http_metrics)
}

/// What anyone may read: the home page, health and metrics, frameworks, assets, and the
/// public documents (organisations, status lists, achievements, credentials).
fn public_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(frameworks::home))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render_protected))
        .route("/frameworks", get(frameworks::list))
        .route("/frameworks/{slug}", get(frameworks::show))
        .route(
            "/frameworks/{slug}/pathways/{code}",
            get(frameworks::pathway),
        )
        .route("/static/{name}", get(assets::serve))
        .route("/orgs/{slug}", get(api::orgs::profile))
        .route("/orgs/{slug}/did.json", get(api::orgs::did_document))
        .route("/audit/checkpoint", get(api::audit_checkpoint::latest))
        .route(
            "/orgs/{slug}/status/{purpose}",
            get(api::awards::status_list),
        )
        .route("/achievements/{id}", get(api::awards::achievement))
        .route("/products/{id}", get(products::dossier))
        .route(
            "/achievements/{id}/image.svg",
            get(api::awards::achievement_image),
        )
        .route("/credentials/{id}", get(credentials::credential))
        .route(
            "/credentials/{id}/credential.json",
            get(credentials::download_json),
        )
        .route("/credentials/{id}/qr.svg", get(credentials::qr))
        .route("/credentials/{id}/{file}", get(credentials::badge))
}

/// Pages for people: verification, and signing in, out and up.
fn account_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/verify",
            get(verify::verify_form).post(verify::verify_submit),
        )
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route(
            "/register",
            get(account::register_form).post(account::register),
        )
        .route(
            "/password/forgot",
            get(password::forgot_form).post(password::forgot),
        )
        .route(
            "/password/reset/{secret}",
            get(password::reset_form).post(password::reset),
        )
        .route("/account/confirm/resend", post(confirm::resend))
        .route(
            "/unsubscribe/{token}",
            get(notifications::unsubscribe_form).post(notifications::unsubscribe),
        )
        .route(
            "/account/confirm/{secret}",
            get(confirm::confirm_form).post(confirm::confirm),
        )
        .route("/account", get(account_settings::show))
        .route("/account/apps/{client}/disconnect", post(oauth::disconnect))
        .route("/oauth/authorize", get(oauth::consent).post(oauth::answer))
        .route("/account/address", post(account_settings::request_change))
        .route(
            "/account/address/{secret}",
            get(account_settings::confirm_form).post(account_settings::confirm),
        )
        .route("/claim/{secret}", get(claim::show).post(claim::claim))
        .route("/claim/{secret}/resend", post(claim::resend))
        .route("/claim/{secret}/credential.json", get(claim::credential))
}

/// A holder's pages (dashboard, evidence, credentials, portfolio) and the assessor's queue.
fn holder_routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(holder::dashboard))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read", post(notifications::mark_read))
        .route("/notifications/email", post(notifications::set_email))
        .route("/dashboard/archetypes", post(holder::set_archetypes))
        .route(
            "/evidence",
            get(holder::evidence_list).post(holder::evidence_create),
        )
        .route("/evidence/new", get(holder::evidence_new))
        .route("/evidence/{id}", get(holder::evidence_detail))
        .route("/evidence/{id}/attachments", post(holder::evidence_attach))
        .route("/evidence/{id}/submit", post(holder::evidence_submit))
        .route("/evidence/{id}/delete", post(holder::evidence_delete))
        .route(
            "/evidence/{id}/visibility",
            post(credentials::set_evidence_visibility),
        )
        .route("/my/credentials", get(credentials::mine))
        .route("/credentials/{id}/wallet-offer", post(wallet::offer))
        .route(
            "/my/credentials/{id}/visibility",
            post(credentials::set_visibility),
        )
        .route(
            "/portfolio",
            get(holder::portfolio_settings).post(holder::portfolio_save),
        )
        .route("/portfolio/export.zip", get(holder::portfolio_export))
        .route("/p/{slug}", get(holder::portfolio_public))
        .route("/teams", get(teams::mine))
        .route("/teams/{id}/accept", post(teams::accept))
        .route("/teams/{id}/decline", post(teams::decline))
        .route("/teams/{id}/leave", post(teams::leave))
        .route("/orgs/{slug}/teams/{id}", get(teams::show))
        .route("/orgs/{slug}/teams/{id}/invite", post(teams::invite))
        .route("/assess", get(assess::queue))
        .route("/assess/{id}", post(assess::decide))
}

/// The operator pages: organisations, members and trust.
fn operator_routes() -> Router<AppState> {
    Router::new()
        .route("/operator", get(operator::orgs))
        .route("/operator/mail", get(operator_mail::outbox))
        .route("/operator/orgs", post(operator::create_org))
        .route("/operator/orgs/new", get(operator::new_org))
        .route("/operator/orgs/{slug}", get(operator::org))
        .route("/operator/orgs/{slug}/members", post(operator::add_member))
        .route(
            "/operator/orgs/{slug}/members/remove",
            post(operator::remove_member),
        )
        .route("/operator/orgs/{slug}/trust", post(operator::trust))
}

/// The issuer console of one organisation (but its bulk upload, which [`router`] mounts
/// under a body limit of its own).
fn console_routes() -> Router<AppState> {
    Router::new()
        .route("/console/{org}", get(console::overview))
        .route(
            "/console/{org}/award",
            get(console_awards::award_form).post(console_awards::award),
        )
        .route("/console/{org}/awards", get(console_award_list::awards))
        .route("/console/{org}/expiring", get(console_expiry::expiring))
        .route(
            "/console/{org}/awards/batch",
            post(console_award_list::batch),
        )
        .route(
            "/console/{org}/awards/{id}",
            get(console_awards::award_detail),
        )
        .route(
            "/console/{org}/awards/{id}/status",
            post(console_awards::change_status),
        )
        .route(
            "/console/{org}/awards/{id}/claim/resend",
            post(console_claims::resend),
        )
        .route(
            "/console/{org}/awards/{id}/claim/correct",
            post(console_claims::correct),
        )
        .route(
            "/console/{org}/achievements",
            get(console_awards::achievements).post(console_awards::create_achievement),
        )
        .route("/console/{org}/bulk", get(console_bulk::bulk_form))
        .route("/console/{org}/bulk/{id}", get(console_bulk::bulk_job))
        .route(
            "/console/{org}/bulk/{id}/report.csv",
            get(console_bulk::bulk_report),
        )
        .route(
            "/console/{org}/members",
            get(console_admin::members).post(console_admin::add_member),
        )
        .route(
            "/console/{org}/members/remove",
            post(console_admin::remove_member),
        )
        .route(
            "/console/{org}/tokens",
            get(console_admin::tokens).post(console_admin::create_token),
        )
        .route(
            "/console/{org}/tokens/{id}/revoke",
            post(console_admin::revoke_token),
        )
        .route("/console/{org}/keys", get(console_admin::keys))
        .route(
            "/console/{org}/keys/rotate",
            post(console_admin::rotate_key),
        )
        .route(
            "/console/{org}/keys/cryptosuite",
            post(console_admin::set_cryptosuite),
        )
        .route("/console/{org}/audit", get(console_admin::audit))
        .route(
            "/console/{org}/accreditations",
            get(console_admin::accreditations).post(console_admin::accredit),
        )
        .route(
            "/console/{org}/accreditations/{id}/revoke",
            post(console_admin::revoke_accreditation),
        )
        .merge(console_collective_routes())
}

/// The console's sections for the report's collective view (administrators): AI products,
/// then its people together ([`console_workforce_routes`]).
fn console_collective_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console/{org}/products",
            get(console_products::products).post(console_products::register),
        )
        .route(
            "/console/{org}/products/{id}/edit",
            get(console_products::edit_form).post(console_products::edit),
        )
        .route(
            "/console/{org}/products/{id}/versions",
            post(console_products::add_version),
        )
        .route(
            "/console/{org}/products/{id}/answers",
            get(console_products::answers),
        )
        .route(
            "/console/{org}/products/{id}/versions/{version}/answers",
            post(console_products::answer),
        )
        .merge(console_workforce_routes())
}

/// An organisation's console, its people together: teams, the workforce view and its
/// targets, affiliations.
fn console_workforce_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console/{org}/teams",
            get(console_teams::teams).post(console_teams::create),
        )
        .route(
            "/console/{org}/workforce",
            get(console_workforce::workforce),
        )
        .route("/console/{org}/workforce.csv", get(console_workforce::csv))
        .route(
            "/console/{org}/affiliations",
            get(console_affiliations::affiliations).post(console_affiliations::propose),
        )
        .route(
            "/console/{org}/affiliations/{other}/accept",
            post(console_affiliations::accept),
        )
        .route(
            "/console/{org}/affiliations/{other}/end",
            post(console_affiliations::end),
        )
        .route(
            "/console/{org}/workforce/targets",
            post(console_workforce::add_target),
        )
        .route(
            "/console/{org}/workforce/targets/{id}/remove",
            post(console_workforce::remove_target),
        )
}

/// The layers every request passes through: problem documents as pages for browsers,
/// caching and security headers, metrics, tracing and request ids.
fn with_layers(routes: Router, http_metrics: Arc<metrics::HttpMetrics>) -> Router {
    routes
        .layer(middleware::from_fn(html_errors))
        .layer(middleware::from_fn(private_no_store))
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
        .layer(middleware::from_fn_with_state(http_metrics, metrics::track))
        // Every request has an id (the client's `x-request-id`, or a new UUID), in its
        // tracing span and in the response, so a report can be matched to the logs.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The tracing span of one request: method, path (never the query, which may carry
/// secrets) and request id.
fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 128)
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// `documented!("/api/v1"; post "/accounts" => api::accounts::register, …)`: a table of
/// routes, each written as its method, path and handler, and described in the OpenAPI
/// document by the handler's `#[utoipa::path]` (which must say the same method and path).
macro_rules! documented {
    ($prefix:literal; $($method:ident $path:literal => $handler:path),* $(,)?) => {
        DocumentedRoutes::new($prefix)
            $(.add(stringify!($method), $path, utoipa_axum::routes!($handler)))*
    };
}

/// The routes described in `/api/v1/openapi.json`: the JSON API and the VC-API.
struct Tables {
    /// `/api/v1` routes under the general body limit.
    api: DocumentedRoutes,
    /// `/api/v1` routes with body limits of their own (attachment uploads, bulk files).
    api_own_limits: DocumentedRoutes,
    /// `GET /api/v1/openapi.json`.
    document: DocumentedRoutes,
    /// The VC-API, OpenID4VCI's metadata and endpoints, and the Open Badges 3.0 API with its
    /// OAuth 2.0 endpoints, at the site's root.
    vc_api: DocumentedRoutes,
    /// The frameworks as 1EdTech CASE 1.1, at the paths its REST binding gives.
    case: DocumentedRoutes,
}

impl Tables {
    fn new() -> Self {
        let api = documented!("/api/v1";
            post "/accounts" => api::accounts::register,
            post "/session" => api::accounts::sign_in,
            delete "/session" => api::accounts::sign_out,
            get "/me" => api::accounts::me,
            get "/orgs" => api::orgs::list,
            post "/orgs" => api::orgs::create,
            get "/orgs/{slug}" => api::orgs::show,
            get "/orgs/{slug}/members" => api::orgs::members,
            post "/orgs/{slug}/members" => api::orgs::add_member,
            delete "/orgs/{slug}/members/{account_id}/{role}" => api::orgs::remove_member,
            get "/orgs/{slug}/tokens" => api::orgs::tokens,
            post "/orgs/{slug}/tokens" => api::orgs::create_token,
            delete "/orgs/{slug}/tokens/{id}" => api::orgs::revoke_token,
            get "/orgs/{slug}/keys" => api::orgs::keys,
            post "/orgs/{slug}/keys/rotate" => api::orgs::rotate_key,
            put "/orgs/{slug}/cryptosuite" => api::orgs::set_cryptosuite,
            get "/orgs/{slug}/audit" => api::orgs::audit,
            put "/trusted-bodies/{slug}" => api::orgs::trust,
            get "/orgs/{slug}/queue" => api::evidence::queue,
            post "/orgs/{slug}/imports" => api::evidence::import,
            get "/evidence" => api::evidence::list,
            post "/evidence" => api::evidence::record,
            get "/evidence/{id}" => api::evidence::show,
            put "/evidence/{id}" => api::evidence::edit,
            delete "/evidence/{id}" => api::evidence::delete,
            get "/evidence/{id}/attachments/{attachment}" => api::evidence::download,
            post "/evidence/{id}/submit" => api::evidence::submit,
            post "/evidence/{id}/decision" => api::evidence::decide,
            get "/progress/{framework}/{pathway}" => api::evidence::progress,
            get "/orgs/{slug}/achievements" => api::awards::achievements,
            post "/orgs/{slug}/achievements" => api::awards::create_achievement,
            get "/orgs/{slug}/awards" => api::awards::org_awards,
            post "/orgs/{slug}/awards" => api::awards::award,
            get "/awards" => api::awards::my_awards,
            post "/awards/{id}/status" => api::awards::change_status,
            patch "/awards/{id}/visibility" => api::awards::visibility,
            post "/verify" => api::awards::verify,
            get "/bulk/{id}" => api::awards::bulk_job,
            get "/bulk/{id}/rows" => api::awards::bulk_rows,
            get "/orgs/{slug}/accreditations" => api::vcapi::accreditations,
            post "/orgs/{slug}/accreditations" => api::vcapi::accredit,
            post "/accreditations/{id}/revoke" => api::vcapi::revoke_accreditation,
            get "/orgs/{slug}/products" => api::products::list,
            post "/orgs/{slug}/products" => api::products::register,
            put "/orgs/{slug}/products/{id}" => api::products::edit,
            post "/orgs/{slug}/products/{id}/versions" => api::products::add_version,
            post "/products/{id}/versions/{version}/answers" => api::products::answer,
            get "/products/{id}" => api::products::dossier,
            get "/me/refreshers" => api::products::refreshers,
            get "/orgs/{slug}/teams/{id}" => api::teams::team,
            get "/orgs/{slug}/workforce" => api::teams::workforce,
            get "/orgs/{slug}/affiliations" => api::affiliations::list,
            post "/orgs/{slug}/affiliations" => api::affiliations::propose,
            post "/orgs/{slug}/affiliations/{other}/accept" => api::affiliations::accept,
            delete "/orgs/{slug}/affiliations/{other}" => api::affiliations::end,
            post "/frameworks/case" => api::case::import,
        );
        let api_own_limits = documented!("/api/v1";
            post "/evidence/{id}/attachments" => api::evidence::attach,
        )
        .own_body_limit(api::evidence::ATTACHMENT_BODY_LIMIT)
        .merge(
            documented!("/api/v1";
                post "/orgs/{slug}/awards/bulk" => api::awards::bulk,
            )
            .own_body_limit(api::awards::BULK_BODY_LIMIT),
        );
        let document = documented!("/api/v1";
            get "/openapi.json" => api::openapi_json,
        );
        let vc_api = documented!("";
            post "/credentials/issue" => api::vcapi::issue,
            post "/credentials/verify" => api::vcapi::verify,
            post "/credentials/status" => api::vcapi::status,
            post "/presentations/verify" => api::vcapi::verify_presentation,
        )
        .merge(documented!("";
            get "/.well-known/openid-credential-issuer" => api::oid4vci::issuer_metadata,
            get "/.well-known/oauth-authorization-server" => api::oid4vci::authorization_metadata,
            post "/oid4vci/token" => api::oid4vci::token,
            post "/oid4vci/nonce" => api::oid4vci::nonce,
            post "/oid4vci/credential" => api::oid4vci::credential,
        ));
        let case = documented!("";
            get "/ims/case/v1p1/CFDocuments" => api::case::documents,
            get "/ims/case/v1p1/CFDocuments/{id}" => api::case::document,
            get "/ims/case/v1p1/CFPackages/{id}" => api::case::package,
            get "/ims/case/v1p1/CFItems/{id}" => api::case::item,
            get "/ims/case/v1p1/CFItemTypes/{id}" => api::case::item_types,
            get "/ims/case/v1p1/CFItemAssociations/{id}" => api::case::item_associations,
            get "/ims/case/v1p1/CFAssociations/{id}" => api::case::association,
        );
        // The Open Badges 3.0 API (1EdTech) and its OAuth 2.0 endpoints, at the root.
        let ob_api = documented!("";
            get "/ims/ob/v3p0/discovery" => api::obapi::discovery,
            get "/ims/ob/v3p0/credentials" => api::obapi::credentials,
            post "/ims/ob/v3p0/credentials" => api::obapi::upsert_credential,
            get "/ims/ob/v3p0/profile" => api::obapi::profile,
            put "/ims/ob/v3p0/profile" => api::obapi::put_profile,
            post "/oauth/register" => api::obapi::register,
            post "/oauth/token" => api::obapi::token,
            post "/oauth/revoke" => api::obapi::revoke,
        );
        Self {
            api,
            api_own_limits,
            document,
            vc_api: vc_api.merge(ob_api),
            case,
        }
    }

    fn all(&self) -> [&DocumentedRoutes; 5] {
        [
            &self.api,
            &self.api_own_limits,
            &self.document,
            &self.vc_api,
            &self.case,
        ]
    }
}

/// `(METHOD, path)` of every route described in `/api/v1/openapi.json`, as mounted: the
/// tidy and API tests compare it with the document.
pub fn documented_routes() -> Vec<(String, String)> {
    let tables = Tables::new();
    tables
        .all()
        .iter()
        .flat_map(|t| t.listed().iter().cloned())
        .collect()
}

/// The JSON API, to mount under `/api/v1`, with its OpenAPI document at
/// `/api/v1/openapi.json`; and the VC-API, to mount at the root. Request bodies of the
/// JSON API are limited to `body_limit` bytes, except attachment uploads and bulk award
/// files, which have limits of their own.
fn documented_routers(body_limit: usize) -> (Router<AppState>, Router<AppState>) {
    let tables = Tables::new();
    let doc = std::sync::Arc::new(api::document(&tables.all()));
    let Tables {
        api,
        api_own_limits,
        document,
        vc_api,
        case,
    } = tables;
    let api_v1 = api
        .merge(document.map_router(|r| r.route_layer(axum::Extension(doc))))
        .into_router()
        .layer(RequestBodyLimitLayer::new(body_limit))
        // Merged after the layer above, so only their own limits apply.
        .merge(api_own_limits.into_router());
    (api_v1, vc_api.merge(case).into_router())
}

async fn not_found(request: Request) -> WebError {
    WebError::not_found(format!("Nothing is published at {}.", request.uri().path()))
}

/// Answers to a signed-in browser (a session cookie) or an authenticated program (an
/// `Authorization` header) may be private: nothing may store them (`Cache-Control:
/// no-store`, replacing whatever a handler set). Anonymous answers keep their own caching.
async fn private_no_store(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let authenticated = headers.contains_key(header::AUTHORIZATION)
        || crate::auth::cookie(headers, crate::auth::SESSION_COOKIE).is_some();
    let mut response = next.run(request).await;
    if authenticated {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
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
    let status = response.status();
    // Errors made by layers rather than handlers (an oversize body, a method the route
    // does not have: plain text or empty) become problem documents too, so every error has
    // one shape. JSON answers with an error status (a failed verification) stay as they are.
    let is_plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if is_plain && (status.is_client_error() || status.is_server_error()) {
        let detail = match status {
            StatusCode::PAYLOAD_TOO_LARGE => {
                "The request body is larger than this address accepts."
            }
            StatusCode::METHOD_NOT_ALLOWED => "This address does not accept that method.",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "This address does not accept that content type.",
            _ => "The request could not be handled.",
        };
        let title = status.canonical_reason().unwrap_or("Error");
        if wants_html {
            return crate::pages::error_page(status, title, detail);
        }
        return WebError::new(status, title, detail).into_response();
    }
    if !wants_html || !is_problem {
        return response;
    }
    let status = response.status();
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let text = |key: &str| problem.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let mut page = crate::pages::error_page(status, text("title"), text("detail"));
    if let Some(value) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, value);
    }
    page
}
