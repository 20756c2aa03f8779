//! The JSON log: one line per event and per closing span, and every span opened inside a
//! request's span carries the request's id among its own fields. A use case's span may
//! close on a database worker thread (SQLite's worker holds the span of the statement it
//! runs), outside the request, so its line could not otherwise say which request it was.

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::Subscriber;
use tracing_subscriber::fmt::format::{FmtSpan, JsonFields};
use tracing_subscriber::fmt::FormattedFields;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

/// The field of the request span (credence-web's router) that names the request.
const REQUEST_ID: &str = "request_id";

/// The subscriber of `log.format = "json"`: events and closing spans at `filter`, as JSON
/// lines on standard error.
pub fn subscriber(filter: EnvFilter) -> impl Subscriber + Send + Sync {
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_span_events(FmtSpan::CLOSE)
                .with_ansi(false)
                .with_writer(std::io::stderr),
        )
        .with(RequestIds)
}

/// The request a span belongs to, kept with the span for its children.
struct RequestId(String);

/// Copies the request id of a span's parent into the span's own logged fields.
struct RequestIds;

impl<S> Layer<S> for RequestIds
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut own = OwnRequestId(None);
        attrs.record(&mut own);
        if let Some(request_id) = own.0 {
            span.extensions_mut().insert(RequestId(request_id));
            return;
        }
        let Some(inherited) = span
            .parent()
            .and_then(|parent| parent.extensions().get::<RequestId>().map(|r| r.0.clone()))
        else {
            return;
        };
        let mut extensions = span.extensions_mut();
        if let Some(fields) = extensions.get_mut::<FormattedFields<JsonFields>>() {
            fields.fields = with_request_id(&fields.fields, &inherited);
        }
        extensions.insert(RequestId(inherited));
    }
}

/// Reads the request id of a request span.
struct OwnRequestId(Option<String>);

impl Visit for OwnRequestId {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == REQUEST_ID {
            self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == REQUEST_ID {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

/// A span's fields as formatted for the JSON log (a JSON object, or nothing when it has
/// none), with the request id added.
fn with_request_id(fields: &str, request_id: &str) -> String {
    let mut map: Map<String, Value> = serde_json::from_str(fields).unwrap_or_default();
    map.insert(REQUEST_ID.to_owned(), Value::String(request_id.to_owned()));
    Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use super::with_request_id;

    #[test]
    fn spans_gain_the_request_id() {
        for (fields, expected) in [
            ("", r#"{"request_id":"r-1"}"#),
            ("{}", r#"{"request_id":"r-1"}"#),
            (
                r#"{"slug":"acme"}"#,
                r#"{"request_id":"r-1","slug":"acme"}"#,
            ),
        ] {
            let made: serde_json::Value =
                serde_json::from_str(&with_request_id(fields, "r-1")).expect("JSON");
            let expected: serde_json::Value = serde_json::from_str(expected).expect("JSON");
            assert_eq!(made, expected, "{fields}");
        }
    }
}
