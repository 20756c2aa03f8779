//! Open Badges 2.0 assertions brought for verification: recognised among what `/verify`,
//! the VC-API and presentations receive (JSON, a signed assertion's JWS, or the address a
//! badge image carries), their documents fetched through the guarded client (the hosted
//! copy, the badge class, the issuer's profile, its revocation list and signing key), then
//! checked by `credence_vc::ob2`. Without fetching, what needs the issuer's site is
//! reported unknown.

use credence_fetch::FetchRecord;
use credence_vc::jwt::looks_like_jwt;
use credence_vc::ob2::{self, Documents, Fetched, Method, Presented, Verified};
use serde_json::Value;

use crate::desks::PublicDesk;
use crate::remote::{fetch_document, notes};

/// What was brought, if it is Open Badges 2.0: an assertion as JSON, a compact JWS whose
/// payload is an assertion, or an http(s) address (a badge baked with its assertion's
/// address).
pub fn recognise(doc: &Value) -> Option<Brought> {
    match doc {
        Value::Object(_) if ob2::is_assertion(doc) => Some(Brought::Json(doc.clone())),
        Value::String(text) if looks_like_jwt(text) => ob2::jws_payload(text)
            .ok()
            .filter(ob2::is_assertion)
            .map(|_| Brought::Jws(text.trim().to_owned())),
        Value::String(text) if text.starts_with("https://") || text.starts_with("http://") => {
            Some(Brought::Address(text.trim().to_owned()))
        }
        _ => None,
    }
}

/// An Open Badges 2.0 assertion as it was brought.
#[derive(Debug, Clone)]
pub enum Brought {
    Json(Value),
    Jws(String),
    /// The assertion's address, to be fetched first.
    Address(String),
}

/// A document named by URL or embedded: embedded ones are taken as they are.
async fn named(
    desk: &PublicDesk<'_>,
    value: Option<&Value>,
    what: &str,
    log: &mut Vec<FetchRecord>,
) -> Fetched {
    match value {
        Some(doc @ Value::Object(_)) => Fetched::Got(doc.clone()),
        Some(Value::String(url)) => fetch(desk, url, log).await,
        _ => Fetched::Failed(format!("the assertion names no {what}")),
    }
}

async fn fetch(desk: &PublicDesk<'_>, url: &str, log: &mut Vec<FetchRecord>) -> Fetched {
    let Some(fetcher) = desk
        .config
        .fetcher
        .as_ref()
        .filter(|f| f.settings().enabled)
    else {
        return Fetched::NotFetched(
            "this Credence does not fetch from other sites (fetching is turned off)".into(),
        );
    };
    match fetch_document(fetcher, url, log).await {
        Ok(doc) => Fetched::Got(doc),
        Err(failure) if failure.status == Some(410) => Fetched::Gone,
        Err(failure) => Fetched::Failed(format!("{url}: {}", failure.reason)),
    }
}

impl PublicDesk<'_> {
    /// Verifies an Open Badges 2.0 assertion, fetching what it names; the report lists
    /// every fetch.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn verify_ob2(&self, brought: Brought) -> Verified {
        let mut log = Vec::new();
        let (presented, hosted) = match brought {
            Brought::Json(doc) => (Presented::Json(doc), None),
            Brought::Jws(jws) => (Presented::Jws(jws), None),
            Brought::Address(url) => match fetch(self, &url, &mut log).await {
                Fetched::Got(doc) if ob2::is_assertion(&doc) => {
                    (Presented::Json(doc.clone()), Some(Fetched::Got(doc)))
                }
                Fetched::Got(_) => {
                    return self.unreadable(
                        format!("The badge names {url}, which does not answer an Open Badges 2.0 assertion."),
                        log,
                    )
                }
                Fetched::Gone => (
                    Presented::Json(serde_json::json!({ "id": url, "verification": { "type": "hosted" } })),
                    Some(Fetched::Gone),
                ),
                other => {
                    let reason = match other {
                        Fetched::Failed(r) | Fetched::NotFetched(r) => r,
                        _ => String::new(),
                    };
                    return self.unreadable(
                        format!("The badge carries only the address of its assertion, which could not be fetched: {reason}."),
                        log,
                    );
                }
            },
        };
        let assertion = match &presented {
            Presented::Json(doc) => doc.clone(),
            Presented::Jws(jws) => ob2::jws_payload(jws).unwrap_or_default(),
        };
        let method = ob2::method(&assertion);
        let hosted = match (&method, hosted, &presented) {
            (_, _, Presented::Jws(_)) => None,
            (Ok(Method::Hosted), Some(already), _) => Some(already),
            (Ok(Method::Hosted), None, _) => {
                Some(match assertion.get("id").and_then(Value::as_str) {
                    Some(id) if id.starts_with("https://") || id.starts_with("http://") => {
                        fetch(self, id, &mut log).await
                    }
                    _ => Fetched::Failed("the assertion's id is not a web address".into()),
                })
            }
            _ => None,
        };
        // What counts is the issuer's copy, when there is one.
        let counted = match &hosted {
            Some(Fetched::Got(doc)) => doc.clone(),
            _ => assertion.clone(),
        };
        let badge = named(self, counted.get("badge"), "badge class", &mut log).await;
        let issuer = match &badge {
            Fetched::Got(b) => named(self, b.get("issuer"), "issuer", &mut log).await,
            other => Fetched::Failed(format!(
                "the badge class, which names the issuer, could not be read ({})",
                match other {
                    Fetched::Failed(r) | Fetched::NotFetched(r) => r.as_str(),
                    _ => "it is gone",
                }
            )),
        };
        let issuer_doc = match &issuer {
            Fetched::Got(doc) => Some(doc.clone()),
            _ => None,
        };
        let revocation_list = match issuer_doc.as_ref().and_then(ob2::revocation_list_url) {
            Some(url) => Some(fetch(self, url, &mut log).await),
            None => None,
        };
        let key = if matches!(presented, Presented::Jws(_)) {
            let creator = match &method {
                Ok(Method::Signed { creator }) => creator.clone(),
                _ => None,
            };
            match creator.or_else(|| issuer_doc.as_ref().and_then(listed_key)) {
                Some(url) => Some(fetch(self, &url, &mut log).await),
                None => None,
            }
        } else {
            None
        };
        let docs = Documents {
            hosted,
            badge,
            issuer,
            revocation_list,
            key,
        };
        let mut verified = ob2::verify(&presented, &docs, self.now());
        verified.report.fetches = notes(log);
        verified
    }

    /// The report for an OB 2.0 badge that could not be read at all.
    fn unreadable(&self, message: String, log: Vec<FetchRecord>) -> Verified {
        use credence_vc::verify::{Check, Outcome, VerificationReport};
        let report =
            VerificationReport::from_checks(vec![Check::new("context", Outcome::Unknown, message)]);
        let mut verified = Verified {
            report,
            shown: Value::Null,
        };
        verified.report.fetches = notes(log);
        verified
    }
}

/// The first key an issuer's profile lists (`publicKey`: a URL, an object, or a list).
fn listed_key(issuer: &Value) -> Option<String> {
    let first = match issuer.get("publicKey")? {
        Value::Array(items) => items.first()?,
        other => other,
    };
    match first {
        Value::String(url) => Some(url.clone()),
        other => other.get("id").and_then(Value::as_str).map(str::to_owned),
    }
}
