//! Evidence: a holder's records, attachments and submissions; the assessor's queue and
//! decisions; pathway progress; a provider's completion-record imports.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use credence_domain::{AttachmentId, EvidenceId, OrgSlug};
use credence_service::evidence::{
    AttachmentView, CompletionImportReport, DecisionInput, EvidenceDetail, EvidenceInput,
    EvidenceView, ProgressView, QueueItem,
};
use serde::Deserialize;

use super::{ApiJson, Listing, PageQuery};
use crate::auth::CurrentActor;
use crate::error::{record_id, Problem};
use crate::{AppState, WebError};

/// The largest attachment upload accepted by the route, in bytes: 5 MiB and room for
/// nothing else (the body is the file).
pub const ATTACHMENT_BODY_LIMIT: usize = credence_service::evidence::MAX_ATTACHMENT_BYTES + 1024;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    /// The slug of the organisation to submit to.
    pub org: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NameQuery {
    /// The file's name.
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The framework's slug (optional).
    #[serde(default)]
    pub framework: Option<String>,
}

fn body_rejection(rejection: BytesRejection) -> WebError {
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::new(
            status,
            "Payload too large",
            "The body is larger than this route accepts.",
        )
    } else {
        WebError::new(status, "Body not read", rejection.body_text())
    }
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// `POST /api/v1/evidence` (holder): records a draft.
#[utoipa::path(post, path = "/evidence", tag = "evidence", request_body = EvidenceInput, responses((status = 201, body = EvidenceDetail), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(body): ApiJson<EvidenceInput>,
) -> Result<(StatusCode, Json<EvidenceDetail>), WebError> {
    let holder = current.actor.holder()?;
    let detail = state
        .services
        .registry
        .with_holder(&holder)
        .record_evidence(body)
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// `GET /api/v1/evidence` (holder): the holder's evidence, newest first.
#[utoipa::path(get, path = "/evidence", tag = "evidence", params(PageQuery), responses((status = 200, description = "`{items: [EvidenceView], offset, limit}`"), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Query(page): Query<PageQuery>,
) -> Result<Json<Listing<EvidenceView>>, WebError> {
    let holder = current.actor.holder()?;
    let page = page.page();
    let items = state
        .services
        .registry
        .with_holder(&holder)
        .holder_evidence(page)
        .await?;
    Ok(Json(Listing::new(items, page)))
}

/// `GET /api/v1/evidence/{id}` (its holder): with attachments and history.
#[utoipa::path(get, path = "/evidence/{id}", tag = "evidence", params(("id" = String, Path, description = "The evidence's id")), responses((status = 200, body = EvidenceDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
) -> Result<Json<EvidenceDetail>, WebError> {
    let holder = current.actor.holder()?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    Ok(Json(
        state
            .services
            .registry
            .with_holder(&holder)
            .evidence_detail(&id)
            .await?,
    ))
}

/// `PUT /api/v1/evidence/{id}` (its holder): replaces a draft's content.
#[utoipa::path(put, path = "/evidence/{id}", tag = "evidence", params(("id" = String, Path, description = "The evidence's id")), request_body = EvidenceInput, responses((status = 200, body = EvidenceDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EvidenceInput>,
) -> Result<Json<EvidenceDetail>, WebError> {
    let holder = current.actor.holder()?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    Ok(Json(
        state
            .services
            .registry
            .with_holder(&holder)
            .edit_evidence(&id, body)
            .await?,
    ))
}

/// `DELETE /api/v1/evidence/{id}` (its holder): deletes a draft.
#[utoipa::path(delete, path = "/evidence/{id}", tag = "evidence", params(("id" = String, Path, description = "The evidence's id")), responses((status = 204, description = "Deleted"), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    let holder = current.actor.holder()?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    state
        .services
        .registry
        .with_holder(&holder)
        .delete_evidence(&id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/evidence/{id}/attachments?name=` (its holder): the raw body is the file,
/// typed by its `Content-Type`.
#[utoipa::path(post, path = "/evidence/{id}/attachments", tag = "evidence", params(("id" = String, Path, description = "The evidence's id"), NameQuery), request_body(description = "The file (at most 5 MiB), typed by its `Content-Type`", content(("application/octet-stream"))), responses((status = 201, body = AttachmentView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn attach(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    Query(query): Query<NameQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<AttachmentView>), WebError> {
    let holder = current.actor.holder()?;
    let body = body.map_err(body_rejection)?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    let name = query.name.unwrap_or_default();
    let view = state
        .services
        .registry
        .with_holder(&holder)
        .add_attachment(&id, &name, content_type(&headers), body.to_vec())
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `GET /api/v1/evidence/{id}/attachments/{attachment}` (its holder, or an assessor of the
/// organisation it was submitted to): the file, as a download.
#[utoipa::path(get, path = "/evidence/{id}/attachments/{attachment}", tag = "evidence", params(("id" = String, Path, description = "The evidence's id"), ("attachment" = String, Path, description = "The attachment's id")), responses((status = 200, description = "The file, as a download, with its own media type", content_type = "application/octet-stream"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn download(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id: EvidenceId = record_id(&id, "evidence")?;
    let attachment: AttachmentId = record_id(&attachment, "attachment")?;
    let file = state
        .services
        .registry
        .caller(&current.actor)
        .attachment_download(&id, &attachment)
        .await?;
    let disposition = HeaderValue::from_str(&content_disposition(&file.file_name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let media_type = HeaderValue::from_str(&file.media_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        file.content,
    )
        .into_response())
}

/// `attachment` with the file name twice: an ASCII fallback, and the exact name encoded as
/// RFC 8187 says (`filename*=UTF-8''...`).
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// `POST /api/v1/evidence/{id}/submit` (its holder): `{"org": slug}`.
#[utoipa::path(post, path = "/evidence/{id}/submit", tag = "evidence", params(("id" = String, Path, description = "The evidence's id")), request_body = SubmitBody, responses((status = 200, body = EvidenceDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> Result<Json<EvidenceDetail>, WebError> {
    let holder = current.actor.holder()?;
    let id: EvidenceId = record_id(&id, "evidence")?;
    Ok(Json(
        state
            .services
            .registry
            .with_holder(&holder)
            .submit_evidence(&id, &body.org)
            .await?,
    ))
}

/// `POST /api/v1/evidence/{id}/decision` (an assessor of the organisation it was
/// submitted to): attest at a level, or reject with a comment.
#[utoipa::path(post, path = "/evidence/{id}/decision", tag = "evidence", params(("id" = String, Path, description = "The evidence's id")), request_body = DecisionInput, responses((status = 200, body = EvidenceDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionInput>,
) -> Result<Json<EvidenceDetail>, WebError> {
    let id: EvidenceId = record_id(&id, "evidence")?;
    Ok(Json(
        state
            .services
            .registry
            .caller(&current.actor)
            .decide_evidence(&id, body)
            .await?,
    ))
}

/// `GET /api/v1/orgs/{slug}/queue` (assessor): evidence awaiting a decision.
#[utoipa::path(get, path = "/orgs/{slug}/queue", tag = "evidence", params(("slug" = String, Path, description = "The organisation's slug"), PageQuery), responses((status = 200, description = "`{items: [QueueItem], offset, limit}`"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn queue(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Listing<QueueItem>>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let assessor = registry.assessor(&current.actor, &slug).await?;
    let page = page.page();
    Ok(Json(Listing::new(
        assessor.evidence_queue(page).await?,
        page,
    )))
}

/// `GET /api/v1/progress/{framework}/{pathway}` (holder): progress from attested evidence.
#[utoipa::path(get, path = "/progress/{framework}/{pathway}", tag = "evidence", params(("framework" = String, Path, description = "The framework's slug"), ("pathway" = String, Path, description = "The pathway's code")), responses((status = 200, body = ProgressView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    current: CurrentActor,
    Path((framework, pathway)): Path<(String, String)>,
) -> Result<Json<ProgressView>, WebError> {
    let holder = current.actor.holder()?;
    Ok(Json(
        state
            .services
            .registry
            .with_holder(&holder)
            .holder_progress(&framework, &pathway)
            .await?,
    ))
}

/// `POST /api/v1/orgs/{slug}/imports?framework=` (issuer of a provider): completion
/// records as `text/csv`; answers a report per row.
#[utoipa::path(post, path = "/orgs/{slug}/imports", tag = "evidence", params(("slug" = String, Path, description = "The organisation's slug"), ImportQuery), request_body(content = String, description = "Completion records, one per row", content_type = "text/csv"), responses((status = 200, body = CompletionImportReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<CompletionImportReport>, WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let issuer = registry.issuer(&current.actor, &slug).await?;
    if !content_type(&headers)
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/csv"))
    {
        return Err(WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send the completion records as 'Content-Type: text/csv'.",
        ));
    }
    let body = body.map_err(body_rejection)?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid input",
            "The file is not UTF-8 text.",
        )
    })?;
    Ok(Json(
        issuer
            .import_completions(query.framework.as_deref(), text)
            .await?,
    ))
}
