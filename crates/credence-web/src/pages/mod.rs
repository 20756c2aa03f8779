//! Page handlers, each with its small template struct next to it; every template extends
//! `web/templates/layout.html`.

pub mod frameworks;
pub mod health;

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

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
    title: &'a str,
    status: u16,
    detail: &'a str,
}

/// An error as an HTML page, with the given status.
pub fn error_page(status: StatusCode, title: &str, detail: &str) -> Response {
    let mut response = render(&ErrorPage {
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
