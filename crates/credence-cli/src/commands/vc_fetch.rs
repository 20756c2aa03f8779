//! `credence vc verify --fetch`: what the credential names is fetched through the server's
//! own guarded client (settings from `CREDENCE_FETCH_*`, e.g. `CREDENCE_FETCH_ALLOW_HOSTS`), then verified offline.

use std::collections::HashMap;

use credence_fetch::Fetcher;
use credence_vc::did::{DidResolver, StaticResolver};
use credence_vc::verify::FetchNote;
use serde_json::Value;

use crate::config::Config;
use crate::Failure;

/// Fetches the status lists and keys `document` names that are not given already, adding
/// them to `resolver` and `lists` (and the reasons of failures to `failures`); returns the
/// fetches made.
pub fn prepare(
    document: &Value,
    resolver: &mut StaticResolver,
    lists: &mut HashMap<String, Value>,
    failures: &mut HashMap<String, String>,
    jwt_keys: &mut Vec<credence_vc::jwt::JwtKey>,
) -> Result<Vec<FetchNote>, Failure> {
    // The `[fetch]` settings from the environment, read as the server reads them
    // (`CREDENCE_FETCH_*`; `credence vc` reads no configuration file).
    let mut config = Config::default();
    config.apply_env(|name| std::env::var(name).ok())?;
    let mut settings = config.fetch.settings()?;
    // --fetch asks for fetching, whatever CREDENCE_FETCH_ENABLED says for the server.
    settings.enabled = true;
    let fetcher = Fetcher::new(settings);
    let urls: Vec<String> = credence_service::remote::status_list_urls(document)
        .into_iter()
        .filter(|u| !lists.contains_key(u))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Failed(anyhow::anyhow!("cannot start the fetcher: {e}")))?;
    let given = resolver.clone();
    let known = move |method: &str| given.resolve_verification_method(method).is_ok();
    let prepared = runtime.block_on(credence_service::remote::prepare(
        &fetcher, document, &urls, &known,
    ));
    for method in prepared.methods {
        *resolver = std::mem::take(resolver).with(method);
    }
    lists.extend(prepared.lists);
    failures.extend(prepared.list_failures);
    jwt_keys.extend(prepared.jwt_keys);
    Ok(credence_service::remote::notes(prepared.log))
}

/// The fetches as lines under the report: URL, status, cache or fresh, time.
pub fn describe(fetches: &[FetchNote]) -> String {
    if fetches.is_empty() {
        return String::new();
    }
    let mut text = String::from("Fetched:\n");
    for f in fetches {
        let source = if f.from_cache { "from cache" } else { "fresh" };
        let outcome = match (&f.error, f.status) {
            (Some(error), _) => format!("failed: {error}"),
            (None, Some(status)) => format!("HTTP {status}, {source}"),
            (None, None) => source.to_owned(),
        };
        text.push_str(&format!("  {}  {outcome}, {} ms\n", f.url, f.millis));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetches_are_described_one_a_line() {
        let note = |url: &str, status, from_cache, error: Option<&str>| FetchNote {
            url: url.into(),
            status,
            from_cache,
            millis: 12,
            error: error.map(str::to_owned),
        };
        assert_eq!(describe(&[]), "");
        assert_eq!(
            describe(&[
                note("https://a.example/l", Some(200), false, None),
                note("https://b.example/d", Some(200), true, None),
                note("https://c.example/x", None, false, Some("timed out after 5 s")),
            ]),
            "Fetched:\n  https://a.example/l  HTTP 200, fresh, 12 ms\n  https://b.example/d  HTTP 200, from cache, 12 ms\n  https://c.example/x  failed: timed out after 5 s, 12 ms\n"
        );
    }
}
