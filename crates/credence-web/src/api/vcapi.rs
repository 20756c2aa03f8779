//! The VC-API (W3C CCG): `POST /credentials/issue`, `/credentials/verify`,
//! `/credentials/status` and `/presentations/verify`; and accreditation under `/api/v1`.
//! Malformed or invalid requests to the VC-API get 400, as its specification and the CCG
//! test suites require (the rest of the API answers a wrong shape with 422), never 500;
//! the problem document names each JSON pointer either way.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use credence_domain::registry::StatusAction;
use credence_domain::{AccreditationId, OrgSlug};
use credence_service::accreditation::AccreditationView;
use credence_service::issuing::parse_suite;
use credence_service::vcapi::IssueRequest;
use credence_vc::verify::Outcome;
use serde::Deserialize;
use serde_json::{json, Value};

use super::ApiJson;
use crate::auth::CurrentActor;
use crate::error::{record_id, Problem};
use crate::throttle::{Budget, ClientAddr};
use crate::{AppState, WebError};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = VcApiIssueBody)]
#[serde(rename_all = "camelCase")]
pub struct IssueBody {
    pub credential: Value,
    #[serde(default)]
    pub options: IssueOptions,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = VcApiIssueOptions)]
#[serde(rename_all = "camelCase")]
pub struct IssueOptions {
    /// `{"type": "BitstringStatusListEntry"}` asks for a revocation entry; with
    /// `"statusPurpose": ["revocation", "suspension"]` (or `"suspension"`) a suspension entry
    /// too.
    pub credential_status: Option<Value>,
    /// `eddsa-rdfc-2022` or `eddsa-jcs-2022`; the organisation's default when absent.
    pub cryptosuite: Option<String>,
    /// A Credence extension: the recipient's e-mail address. The credential goes to their
    /// account when the address is confirmed there, and otherwise waits for them to claim
    /// it by the link e-mailed to it. The credential is not changed.
    pub recipient_email: Option<String>,
}

/// What `options.credentialStatus` asks for: `None` for no status, `Some(true)` when a
/// suspension entry is wanted besides the revocation entry.
fn requested_status(options: &IssueOptions) -> Result<Option<bool>, WebError> {
    let invalid = |pointer: &str, message: &str| {
        WebError::from(credence_service::ServiceError::invalid(pointer, message))
    };
    let v = match &options.credential_status {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => v,
    };
    if v.get("type").and_then(Value::as_str) != Some("BitstringStatusListEntry") {
        return Err(invalid(
            "/options/credentialStatus/type",
            "Credence offers status entries of type BitstringStatusListEntry.",
        ));
    }
    let purposes: Vec<&str> = match v.get("statusPurpose") {
        None => vec!["revocation"],
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(_) => vec![""],
    };
    if purposes.is_empty()
        || purposes
            .iter()
            .any(|p| !matches!(*p, "revocation" | "suspension"))
    {
        return Err(invalid(
            "/options/credentialStatus/statusPurpose",
            "The status purposes Credence offers are revocation and suspension.",
        ));
    }
    // Revocation is always there: a credential that can be suspended can be revoked.
    Ok(Some(purposes.contains(&"suspension")))
}

/// The VC-API's answer to invalid input: 400 where the rest of the API says 422.
fn bad_input(mut e: WebError) -> WebError {
    if e.status == StatusCode::UNPROCESSABLE_ENTITY {
        e.status = StatusCode::BAD_REQUEST;
        e.title = "Bad request";
    }
    e
}

/// `POST /credentials/issue`: 201 with the signed credential.
#[utoipa::path(post, path = "/credentials/issue", operation_id = "vcapi_issue", tag = "vc-api", request_body = IssueBody, security(("bearer" = []), ("session" = [])), responses((status = 201, description = "The signed credential"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn issue(
    State(state): State<AppState>,
    current: CurrentActor,
    body: Result<ApiJson<IssueBody>, WebError>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let ApiJson(body) = body.map_err(bad_input)?;
    issue_body(state, current, body).await.map_err(bad_input)
}

async fn issue_body(
    state: AppState,
    current: CurrentActor,
    body: IssueBody,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let request = IssueRequest {
        status: requested_status(&body.options)?,
        cryptosuite: body
            .options
            .cryptosuite
            .as_deref()
            .map(|name| parse_suite(name, "/options/cryptosuite"))
            .transpose()?,
        recipient_email: body
            .options
            .recipient_email
            .as_deref()
            .map(|e| {
                credence_domain::registry::Email::new(e).map_err(|e| {
                    credence_service::ServiceError::invalid("/options/recipientEmail", e.sentence())
                })
            })
            .transpose()?,
    };
    let credential = state
        .services
        .registry
        .caller(&current.actor)
        .vcapi_issue(body.credential, request)
        .await?;
    Ok((StatusCode::CREATED, Json(credential)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = VcApiVerifyBody)]
#[serde(rename_all = "camelCase")]
pub struct VerifyBody {
    pub verifiable_credential: Value,
    #[serde(default)]
    pub options: Option<Value>,
}

/// `POST /credentials/verify`: 200 when every check passes, 400 otherwise, with the checks,
/// warnings and errors, and the full report. The body is `{"verifiableCredential": ...}`
/// (JSON), or a JWT-secured credential itself (`Content-Type: application/vc+jwt`, as
/// VC-JOSE-COSE registers it; `application/jwt` too).
#[utoipa::path(post, path = "/credentials/verify", operation_id = "vcapi_verify_credential", tag = "vc-api", request_body(content((VerifyBody = "application/json"), (String = "application/vc+jwt"))), security(()), responses((status = 200, description = "Every check passed: `{verified, checks, warnings, errors, report}`"), (status = 400, description = "A check failed or could not be made (same shape), or the request is malformed (a problem document)"), (status = 429, body = Problem)))]
pub async fn verify(
    State(state): State<AppState>,
    client: ClientAddr,
    request: axum::extract::Request,
) -> Result<(StatusCode, Json<Value>), WebError> {
    use axum::extract::FromRequest;
    state.throttles.spend(Budget::Verify, client)?;
    let media_type = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = if media_type == "application/vc+jwt" || media_type == "application/jwt" {
        let bytes = axum::body::Bytes::from_request(request, &state)
            .await
            .map_err(|e| WebError::new(e.status(), "Body not read", e.body_text()))?;
        let token = std::str::from_utf8(&bytes)
            .map_err(|_| WebError::bad_request("The token is not text (UTF-8)."))?;
        VerifyBody {
            verifiable_credential: Value::String(token.trim().to_owned()),
            options: None,
        }
    } else {
        let ApiJson(body) = ApiJson::<VerifyBody>::from_request(request, &state)
            .await
            .map_err(bad_input)?;
        body
    };
    verify_body(state, body).await.map_err(bad_input)
}

async fn verify_body(
    state: AppState,
    body: VerifyBody,
) -> Result<(StatusCode, Json<Value>), WebError> {
    // A JSON object (Data Integrity), or a string holding a JWT-secured credential
    // (application/vc+jwt).
    let is_jwt = body
        .verifiable_credential
        .as_str()
        .is_some_and(credence_vc::jwt::looks_like_jwt);
    if !body.verifiable_credential.is_object() && !is_jwt {
        return Err(WebError::from(credence_service::ServiceError::invalid(
            "/verifiableCredential",
            "This must be a credential (a JSON object, or a JWT-secured credential as a string).",
        )));
    }
    let report = state
        .services
        .registry
        .public()
        .verify_credential_json(&body.verifiable_credential)
        .await?;
    let verified = report.is_verified();
    let by = |outcome: Outcome| -> Vec<Value> {
        report
            .checks
            .iter()
            .filter(|c| c.outcome == outcome)
            .map(|c| json!({"check": c.code, "message": c.message}))
            .collect()
    };
    let passed: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Passed)
        .map(|c| c.code.clone())
        .collect();
    let errors: Vec<Value> = [by(Outcome::Failed), by(Outcome::Unknown)].concat();
    let body = json!({
        "verified": verified,
        "checks": passed,
        "warnings": by(Outcome::Warning),
        "errors": errors,
        "report": report,
    });
    let status = if verified {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((status, Json(body)))
}

/// A status change, in either of the VC-API's forms: the current one,
/// `{"credentialId", "credentialStatus": {"type", "statusPurpose"}, "status": true}`
/// (`true` sets the purpose's bit: revoke or suspend; `false` lifts a suspension), or the
/// earlier `{"credentialId", "credentialStatus": [{"type", "status": "revoked"}]}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = VcApiStatusBody)]
#[serde(rename_all = "camelCase")]
pub struct StatusBody {
    pub credential_id: String,
    pub credential_status: Value,
    #[serde(default)]
    pub status: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The action a status body asks for, and a word for it.
fn status_action(body: &StatusBody) -> Result<(StatusAction, String), WebError> {
    let invalid = |pointer: &str, message: String| {
        WebError::from(credence_service::ServiceError::invalid(pointer, message))
    };
    match (&body.credential_status, body.status) {
        (Value::Object(entry), Some(set)) => {
            let purpose = entry
                .get("statusPurpose")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let action = match (purpose, set) {
                ("revocation", true) => StatusAction::Revoke,
                ("suspension", true) => StatusAction::Suspend,
                ("suspension", false) => StatusAction::Reinstate,
                ("revocation", false) => {
                    return Err(invalid("/status", "A revocation cannot be undone.".into()))
                }
                (other, _) => {
                    return Err(invalid(
                        "/credentialStatus/statusPurpose",
                        format!("'{other}' is not a status purpose: use revocation or suspension."),
                    ))
                }
            };
            Ok((action, format!("{purpose} {set}")))
        }
        (Value::Array(changes), _) => {
            let [change] = changes.as_slice() else {
                return Err(invalid(
                    "/credentialStatus",
                    "Send exactly one status change.".into(),
                ));
            };
            let status = change
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let action = match status {
                "revoked" | "revocation" => StatusAction::Revoke,
                "suspended" | "suspension" => StatusAction::Suspend,
                "active" | "reinstated" | "unsuspended" => StatusAction::Reinstate,
                other => {
                    return Err(invalid(
                        "/credentialStatus/0/status",
                        format!("'{other}' is not a status: use revoked, suspended or active."),
                    ))
                }
            };
            Ok((action, status.to_owned()))
        }
        _ => Err(invalid(
            "/credentialStatus",
            "Give credentialStatus as {\"type\", \"statusPurpose\"} with a boolean status.".into(),
        )),
    }
}

/// `POST /credentials/status`: revoke, suspend or reinstate a credential by its id.
#[utoipa::path(post, path = "/credentials/status", operation_id = "vcapi_credential_status", tag = "vc-api", request_body = StatusBody, security(("bearer" = []), ("session" = [])), responses((status = 200, description = "`{credentialId, status}`: the credential's status after the change"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn status(
    State(state): State<AppState>,
    current: CurrentActor,
    body: Result<ApiJson<StatusBody>, WebError>,
) -> Result<Json<Value>, WebError> {
    let ApiJson(body) = body.map_err(bad_input)?;
    status_body(state, current, body).await.map_err(bad_input)
}

async fn status_body(
    state: AppState,
    current: CurrentActor,
    body: StatusBody,
) -> Result<Json<Value>, WebError> {
    let (action, said) = status_action(&body)?;
    let reason = body
        .reason
        .clone()
        .unwrap_or_else(|| format!("Changed through the VC-API ({said})."));
    let award = state
        .services
        .registry
        .caller(&current.actor)
        .vcapi_status(&body.credential_id, action, &reason)
        .await?;
    Ok(Json(
        json!({"credentialId": body.credential_id, "status": award.status}),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = VcApiPresentationBody)]
#[serde(rename_all = "camelCase")]
pub struct PresentationBody {
    pub verifiable_presentation: Value,
    #[serde(default)]
    pub options: PresentationOptions,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = VcApiPresentationOptions)]
pub struct PresentationOptions {
    pub challenge: Option<String>,
    pub domain: Option<String>,
}

/// `POST /presentations/verify`: the holder's proof (with `challenge` and `domain`) and
/// every credential inside.
#[utoipa::path(post, path = "/presentations/verify", operation_id = "vcapi_verify_presentation", tag = "vc-api", request_body = PresentationBody, security(()), responses((status = 200, description = "The presentation's proof and every credential inside verified: the report"), (status = 400, description = "A check failed (the report), or the request is malformed (a problem document)"), (status = 429, body = Problem)))]
pub async fn verify_presentation(
    State(state): State<AppState>,
    client: ClientAddr,
    body: Result<ApiJson<PresentationBody>, WebError>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    state.throttles.spend(Budget::Verify, client)?;
    let ApiJson(body) = body.map_err(bad_input)?;
    presentation_body(state, body).await.map_err(bad_input)
}

async fn presentation_body(
    state: AppState,
    body: PresentationBody,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let report = state
        .services
        .registry
        .public()
        .verify_presentation(
            &body.verifiable_presentation,
            body.options.challenge.as_deref(),
            body.options.domain.as_deref(),
        )
        .await?;
    let status = if report.verified {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((status, Json(json!(report))))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccreditBody {
    pub provider: String,
    pub pathways: Vec<String>,
    /// When the accreditation ends: a day (it stands through it) or an RFC 3339
    /// date-time; absent: no end. The provider's admins and issuers are reminded before.
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// `POST /api/v1/orgs/{slug}/accreditations` (issuer of the accrediting body).
#[utoipa::path(post, path = "/orgs/{slug}/accreditations", tag = "accreditation", params(("slug" = String, Path, description = "The organisation's slug")), request_body = AccreditBody, responses((status = 201, body = AccreditationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accredit(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<AccreditBody>,
) -> Result<(StatusCode, Json<AccreditationView>), WebError> {
    let registry = &state.services.registry;
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let body_desk = registry.accrediting_body(&current.actor, &slug).await?;
    let view = body_desk
        .accredit(&body.provider, &body.pathways, body.valid_until.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `GET /api/v1/orgs/{slug}/accreditations` (public): given and received.
#[utoipa::path(get, path = "/orgs/{slug}/accreditations", tag = "accreditation", params(("slug" = String, Path, description = "The organisation's slug")), responses((status = 200, description = "`{given: [AccreditationView], received: [AccreditationView]}`"), (status = 404, body = Problem)))]
pub async fn accreditations(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, WebError> {
    let slug: OrgSlug = record_id(&slug, "organisation")?;
    let (given, received) = state
        .services
        .registry
        .public()
        .accreditations(&slug)
        .await?;
    Ok(Json(json!({"given": given, "received": received})))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    pub reason: String,
}

/// `POST /api/v1/accreditations/{id}/revoke` (issuer of the body that gave it).
#[utoipa::path(post, path = "/accreditations/{id}/revoke", tag = "accreditation", params(("id" = String, Path, description = "The accreditation's id")), request_body = RevokeBody, responses((status = 200, body = AccreditationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn revoke_accreditation(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> Result<Json<AccreditationView>, WebError> {
    let registry = &state.services.registry;
    let id: AccreditationId = record_id(&id, "accreditation")?;
    let body_org = registry.public().accreditation_body(&id).await?;
    let issuer = current.actor.issuer(&body_org)?;
    Ok(Json(
        registry
            .with_accrediting_body(&issuer)
            .revoke_accreditation(&id, &body.reason)
            .await?,
    ))
}
