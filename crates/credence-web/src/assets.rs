//! Static assets compiled into the binary and served with a long cache lifetime; their
//! URLs carry a content hash so a new release is never hidden by a cached old file.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::WebError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "credence.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../../web/static/credence.css"),
    },
    Asset {
        name: "credence.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../../web/static/credence.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../../web/static/favicon.svg"),
    },
];

/// `GET /static/{name}`.
pub async fn serve(Path(name): Path<String>) -> Result<Response, WebError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == name)
        .ok_or_else(|| WebError::not_found(format!("There is no static file named {name:?}.")))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        asset.body,
    )
        .into_response())
}
