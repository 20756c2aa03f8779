//! Page handlers, each with its small template struct next to it; every template extends
//! `web/templates/layout.html`.

pub mod account;
pub mod account_settings;
pub mod assess;
pub mod claim;
pub mod confirm;
pub mod console;
pub mod credentials;
pub mod frameworks;
pub mod health;
pub mod holder;
pub mod notifications;
pub mod oauth;
pub mod operator;
pub mod operator_mail;
pub mod password;
pub mod picker;
pub mod products;
pub mod session;
pub mod teams;
pub mod verify;
pub mod verify_fetches;
pub mod wallet;

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use credence_service::ServiceError;

use crate::WebError;

/// Renders a template into a response; a rendering failure is logged and becomes a 500.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(body) => Html(body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Something went wrong on our side. It has been logged.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    nav: session::Nav,
    title: &'a str,
    status: u16,
    detail: &'a str,
}

/// An error as an HTML page, with the given status.
pub fn error_page(status: StatusCode, title: &str, detail: &str) -> Response {
    let mut response = render(&ErrorPage {
        nav: session::Nav::anonymous(),
        title: if title.is_empty() {
            status.canonical_reason().unwrap_or("Error")
        } else {
            title
        },
        status: status.as_u16(),
        detail,
    });
    *response.status_mut() = status;
    response
}

/// A message about one field of a form, or about the whole form when `field` is empty.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// The id of the element of the field, which the summary at the top of a form links
    /// to: the first part of the field's pointer (`archetypes` for `/archetypes/2`).
    pub fn anchor(&self) -> &str {
        self.field.split('.').next().unwrap_or_default()
    }
}

/// The messages to show on a form when the service refused its content (invalid fields, a
/// conflict, a refused sign-in); any other error passes through to become an error page.
pub fn form_errors(error: ServiceError) -> Result<(StatusCode, Vec<FieldError>), WebError> {
    match error {
        ServiceError::Invalid(problems) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            problems
                .0
                .into_iter()
                .map(|p| FieldError {
                    field: p.pointer.trim_start_matches('/').replace('/', "."),
                    message: p.message,
                })
                .collect(),
        )),
        ServiceError::Conflict(message) => Ok((
            StatusCode::CONFLICT,
            vec![FieldError {
                field: String::new(),
                message,
            }],
        )),
        ServiceError::Unauthenticated(message) => Ok((
            StatusCode::UNAUTHORIZED,
            vec![FieldError {
                field: String::new(),
                message,
            }],
        )),
        // Said on the form, in the words the service chose (when to try again).
        ServiceError::TooManyRequests { message, .. } => Ok((
            StatusCode::TOO_MANY_REQUESTS,
            vec![FieldError {
                field: String::new(),
                message,
            }],
        )),
        ServiceError::QuotaExceeded(message) => Ok((
            StatusCode::PAYLOAD_TOO_LARGE,
            vec![FieldError {
                field: String::new(),
                message,
            }],
        )),
        ServiceError::Busy(message) => Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            vec![FieldError {
                field: String::new(),
                message,
            }],
        )),
        other => Err(other.into()),
    }
}

/// The message for one field, for templates: the first about the field or a part of it
/// (`/archetypes/2` is about `archetypes`).
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field || (!field.is_empty() && e.anchor() == field))
        .map(|e| e.message.as_str())
}

/// Renders a page with a status other than 200 (a form shown again with its errors).
pub fn render_with<T: Template>(status: StatusCode, template: &T) -> Response {
    let mut response = render(template);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

/// The messages of a refused form as one sentence-separated line.
pub fn joined(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A file chosen in a multipart form.
#[derive(Debug)]
pub struct UploadedFile {
    pub name: String,
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A multipart form read whole: its text fields by name, and its `file` field when a file
/// was chosen.
#[derive(Debug, Default)]
pub struct MultipartForm {
    fields: std::collections::HashMap<String, String>,
    pub file: Option<UploadedFile>,
}

impl MultipartForm {
    /// A text field's value; empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// Reads every part of the form; a body over the route's limit is a 413.
    pub async fn read(mut multipart: axum::extract::Multipart) -> Result<Self, WebError> {
        let mut form = Self::default();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| WebError::bad_request(format!("The form could not be read: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let media_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| {
                WebError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "File too large",
                    format!("The file could not be received: {e}"),
                )
            })?;
            if name == "file" {
                if !bytes.is_empty() {
                    form.file = Some(UploadedFile {
                        name: file_name.unwrap_or_default(),
                        media_type,
                        bytes: bytes.to_vec(),
                    });
                }
            } else {
                form.fields
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        Ok(form)
    }
}
