//! Content negotiation: HTML by default, JSON when the request's `Accept` header prefers it
//! or the query says `format=json`.

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT;
use axum::http::request::Parts;

/// The representation a client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

impl Format {
    /// Reads an `Accept` header value; anything unclear means HTML.
    pub fn from_accept(accept: &str) -> Self {
        let mut html = None::<f32>;
        let mut json = None::<f32>;
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let slot = match media.as_str() {
                "text/html" | "application/xhtml+xml" => &mut html,
                "application/json" | "application/problem+json" | "application/ld+json" => {
                    &mut json
                }
                _ => continue,
            };
            *slot = Some(slot.map_or(q, |old: f32| old.max(q)));
        }
        match (html, json) {
            (_, Some(j)) if j > 0.0 && html.is_none_or(|h| j > h) => Self::Json,
            _ => Self::Html,
        }
    }

    /// Whether an error should be written as a page rather than `application/problem+json`:
    /// only for clients that explicitly ask for HTML.
    pub fn wants_html_error(accept: &str) -> bool {
        accept.to_ascii_lowercase().contains("text/html") && Self::from_accept(accept) == Self::Html
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // A link can ask for JSON too, since a browser cannot set the Accept header.
        let query = parts.uri.query().unwrap_or("");
        if query.split('&').any(|pair| pair == "format=json") {
            return Ok(Self::Json);
        }
        Ok(parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .map_or(Self::Html, Self::from_accept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(accept: &str, expected: Format) {
        assert_eq!(Format::from_accept(accept), expected, "Accept: {accept}");
    }

    #[test]
    fn negotiation() {
        for (accept, expected) in [
            ("", Format::Html),
            ("*/*", Format::Html),
            ("application/json", Format::Json),
            ("application/ld+json", Format::Json),
            ("text/html,application/xhtml+xml,*/*;q=0.8", Format::Html),
            ("text/html;q=0.5, application/json", Format::Json),
            ("application/json;q=0, text/html", Format::Html),
            ("application/json;q=0.9, text/html;q=0.9", Format::Html),
            ("APPLICATION/JSON", Format::Json),
            ("garbage;;;q=x", Format::Html),
        ] {
            check(accept, expected);
        }
    }
}
