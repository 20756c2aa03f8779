//! What a credential names that this Credence does not hold, fetched through the one
//! outbound client before the (synchronous, IO-free) verification runs: remote status list
//! credentials, `did:web` documents and HTTPS controller documents. The results are handed
//! to the verifier as maps; a failed fetch becomes the reason a check is unknown.

use std::collections::{BTreeSet, HashMap};

use credence_fetch::{FetchRecord, Fetcher, Want};
use credence_vc::did::{did_web_document_url, verification_methods, VerificationMethod};
use credence_vc::jwt::JwtKey;
use credence_vc::verify::FetchNote;
use serde_json::Value;

/// Everything fetched for one verification.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Verification methods read from fetched DID and controller documents.
    pub methods: Vec<VerificationMethod>,
    /// Keys given as JWKs (`publicKeyJwk`: Ed25519, P-256, RSA) by fetched DID documents
    /// for assertions, which a JWT-secured credential may be signed with.
    pub jwt_keys: Vec<JwtKey>,
    /// Status list credentials by URL.
    pub lists: HashMap<String, Value>,
    /// Why a status list could not be obtained, by URL.
    pub list_failures: HashMap<String, String>,
    /// Every fetch made, in order.
    pub log: Vec<FetchRecord>,
}

/// The status list URLs a credential names: the `statusListCredential` of Bitstring
/// Status List entries and the `id` of 1EdTech revocation list entries.
pub fn status_list_urls(doc: &Value) -> Vec<String> {
    use credence_vc::status_check::REVOCATION_LIST_1EDTECH;
    let entries: Vec<&Value> = match doc.get("credentialStatus") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter_map(|e| {
            if e.get("type").and_then(Value::as_str) == Some(REVOCATION_LIST_1EDTECH) {
                e.get("id").and_then(Value::as_str)
            } else {
                e.get("statusListCredential").and_then(Value::as_str)
            }
        })
        .map(str::to_owned)
        .collect()
}

/// The fetch log as the verification report lists it.
pub fn notes(log: Vec<FetchRecord>) -> Vec<FetchNote> {
    log.into_iter()
        .map(|f| FetchNote {
            url: f.url,
            status: f.status,
            from_cache: f.from_cache,
            millis: f.millis,
            error: f.error,
        })
        .collect()
}

/// The verification methods named by a document's proofs.
fn proof_methods(doc: &Value) -> Vec<String> {
    let proofs: Vec<&Value> = match doc.get("proof") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    proofs
        .into_iter()
        .filter_map(|p| p.get("verificationMethod").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// The ids listed under `relationship` (`assertionMethod`), as strings or embedded methods.
fn listed_under(document: &Value, relationship: &str) -> BTreeSet<String> {
    match document.get(relationship) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().or_else(|| i.get("id").and_then(Value::as_str)))
            .map(str::to_owned)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// The methods of `document` (whose id must be `controller`) that it lists for assertions
/// and that it controls itself. Embedded methods under `assertionMethod` count too.
fn assertion_methods(document: &Value, controller: &str) -> Vec<VerificationMethod> {
    if document.get("id").and_then(Value::as_str) != Some(controller) {
        return Vec::new();
    }
    let listed = listed_under(document, "assertionMethod");
    let mut all = verification_methods(document);
    if let Some(Value::Array(embedded)) = document.get("assertionMethod") {
        let wrapper = serde_json::json!({ "verificationMethod": embedded });
        all.extend(verification_methods(&wrapper));
    }
    all.into_iter()
        .filter(|m| m.controller == controller && listed.contains(&m.id))
        .collect()
}

/// The JWKs of `document` (whose id must be `controller`) that it lists for assertions and
/// controls itself, whatever their key type; embedded methods under `assertionMethod` count.
fn assertion_jwks(document: &Value, controller: &str) -> Vec<JwtKey> {
    if document.get("id").and_then(Value::as_str) != Some(controller) {
        return Vec::new();
    }
    let listed = listed_under(document, "assertionMethod");
    let referenced = document
        .get("verificationMethod")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|m| {
            m.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| listed.contains(id))
        });
    let embedded = document
        .get("assertionMethod")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|m| m.is_object());
    referenced
        .chain(embedded)
        .filter_map(|m| {
            let id = m.get("id")?.as_str()?;
            let jwk = m.get("publicKeyJwk").filter(|k| k.is_object())?;
            // A relative id ("#key-1") belongs to the document.
            let id = if id.starts_with('#') {
                format!("{controller}{id}")
            } else {
                id.to_owned()
            };
            let owner = m
                .get("controller")
                .and_then(Value::as_str)
                .unwrap_or(controller);
            (owner == controller).then(|| JwtKey {
                id,
                controller: controller.to_owned(),
                jwk: jwk.clone(),
            })
        })
        .collect()
}

/// The most documents fetched for one verification: a credential naming more (status
/// entries, proofs) gets the rest reported as not fetched, so one request cannot make this
/// Credence fetch without end.
pub const MAX_FETCHES: usize = 12;

/// The most time spent fetching for one verification, in milliseconds (fetches run one
/// after another, so this bounds how long a verification waits on other servers).
pub const FETCH_BUDGET_MS: u64 = 12_000;

/// Fetches a JSON document; a failure is recorded in the log and returned as a sentence.
async fn fetch_json(
    fetcher: &Fetcher,
    url: &str,
    log: &mut Vec<FetchRecord>,
) -> Result<Value, String> {
    fetch_document(fetcher, url, log)
        .await
        .map_err(|failure| failure.reason)
}

/// Why a document could not be had: the HTTP status the server answered, if it answered
/// one other than 200, and the reason as a sentence.
#[derive(Debug, Clone)]
pub struct FetchFailure {
    pub status: Option<u16>,
    pub reason: String,
}

/// Fetches a JSON document within this verification's budget (count and time); every
/// fetch is recorded in `log`.
pub async fn fetch_document(
    fetcher: &Fetcher,
    url: &str,
    log: &mut Vec<FetchRecord>,
) -> Result<Value, FetchFailure> {
    let refuse = |reason: String| FetchFailure {
        status: None,
        reason,
    };
    if log.len() >= MAX_FETCHES {
        return Err(refuse(format!(
            "not fetched: the credential names more than {MAX_FETCHES} documents to fetch"
        )));
    }
    if log.iter().map(|r| r.millis).sum::<u64>() >= FETCH_BUDGET_MS {
        return Err(refuse(format!(
            "not fetched: the {} s allowed for fetching were used up",
            FETCH_BUDGET_MS / 1000
        )));
    }
    let fetched = fetcher
        .fetch_logged(url, Want::Json, log)
        .await
        .map_err(|e| FetchFailure {
            status: match e {
                credence_fetch::FetchError::Status(code) => Some(code),
                _ => None,
            },
            reason: e.to_string(),
        })?;
    serde_json::from_slice(&fetched.body)
        .map_err(|e| refuse(format!("the answer is not JSON ({e})")))
}

/// Fetches the documents behind `method` (a `did:web` URL or an HTTPS URL) and keeps the
/// assertion keys they list.
async fn resolve_method(fetcher: &Fetcher, method: &str, prepared: &mut Prepared) {
    let base = method.split('#').next().unwrap_or(method);
    if base.starts_with("did:web:") {
        let Ok(url) = did_web_document_url(base) else {
            return;
        };
        if let Ok(document) = fetch_json(fetcher, &url, &mut prepared.log).await {
            prepared.methods.extend(assertion_methods(&document, base));
            prepared.jwt_keys.extend(assertion_jwks(&document, base));
        }
    } else if base.starts_with("https://") || base.starts_with("http://") {
        // An HTTPS verification method: the method document names its controller, whose
        // own document must list the method for assertions.
        let Ok(document) = fetch_json(fetcher, base, &mut prepared.log).await else {
            return;
        };
        // The method's own entries, as the document gives them: Multikey and Ed25519 keys
        // for Data Integrity proofs, `publicKeyJwk` (Ed25519, P-256, RSA) for JWTs.
        let raw: Vec<Value> = match document.get("verificationMethod") {
            Some(Value::Array(items)) => items.clone(),
            Some(_) => Vec::new(),
            None => vec![document.clone()],
        };
        for entry in raw
            .into_iter()
            .filter(|m| m.get("id").and_then(Value::as_str) == Some(method))
        {
            let Some(controller) = entry.get("controller").and_then(Value::as_str) else {
                continue;
            };
            let controller_doc = if controller == base {
                Some(document.clone())
            } else if controller.starts_with("did:web:") {
                let Ok(url) = did_web_document_url(controller) else {
                    continue;
                };
                fetch_json(fetcher, &url, &mut prepared.log).await.ok()
            } else {
                fetch_json(fetcher, controller, &mut prepared.log)
                    .await
                    .ok()
            };
            let listed = controller_doc.is_some_and(|d| {
                d.get("id").and_then(Value::as_str) == Some(controller)
                    && listed_under(&d, "assertionMethod").contains(method)
            });
            if !listed {
                continue;
            }
            let wrapper = serde_json::json!({ "verificationMethod": [entry.clone()] });
            prepared.methods.extend(verification_methods(&wrapper));
            if let Some(jwk) = entry.get("publicKeyJwk").filter(|k| k.is_object()) {
                prepared.jwt_keys.push(JwtKey {
                    id: method.to_owned(),
                    controller: controller.to_owned(),
                    jwk: jwk.clone(),
                });
            }
        }
    }
}

/// Fetches the status lists in `list_urls` and the keys of every proof on the credential and
/// on those lists, except methods `known` already answers.
pub async fn prepare(
    fetcher: &Fetcher,
    doc: &Value,
    list_urls: &[String],
    known: &(dyn Fn(&str) -> bool + Sync),
) -> Prepared {
    let mut prepared = Prepared::default();
    for url in list_urls {
        match fetch_json(fetcher, url, &mut prepared.log).await {
            Ok(list) => {
                prepared.lists.insert(url.clone(), list);
            }
            Err(reason) => {
                prepared.list_failures.insert(url.clone(), reason);
            }
        }
    }
    let mut methods: BTreeSet<String> = proof_methods(doc).into_iter().collect();
    for list in prepared.lists.values() {
        methods.extend(proof_methods(list));
    }
    let mut seen = BTreeSet::new();
    for method in methods {
        if method.starts_with("did:key:") || known(&method) {
            continue;
        }
        let base = method.split('#').next().unwrap_or(&method).to_owned();
        if base.starts_with("did:web:") && !seen.insert(base) {
            // The DID document was fetched already; its keys are all in `methods`.
            continue;
        }
        resolve_method(fetcher, &method, &mut prepared).await;
    }
    prepared
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    fn check(document: Value, controller: &str, expected: &[&str]) {
        let got: Vec<String> = assertion_methods(&document, controller)
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(got, expected, "{document}");
    }

    #[test]
    fn only_keys_listed_for_assertions_by_their_controller_count() {
        let did = "did:web:issuer.example";
        let method = |id: &str, controller: &str| json!({ "id": id, "type": "Multikey", "controller": controller, "publicKeyMultibase": KEY });
        let k1 = format!("{did}#k1");
        check(
            json!({ "id": did, "verificationMethod": [method(&k1, did)], "assertionMethod": [k1] }),
            did,
            &[&k1],
        );
        // Listed only for authentication: not for a credential's proof.
        check(
            json!({ "id": did, "verificationMethod": [method(&k1, did)], "authentication": [k1] }),
            did,
            &[],
        );
        // Controlled by someone else.
        check(
            json!({ "id": did, "verificationMethod": [method(&k1, "did:web:other.example")], "assertionMethod": [k1] }),
            did,
            &[],
        );
        // A document that is not the DID's own.
        check(
            json!({ "id": "did:web:other.example", "verificationMethod": [method(&k1, did)], "assertionMethod": [k1] }),
            did,
            &[],
        );
        // Embedded under assertionMethod.
        check(
            json!({ "id": did, "assertionMethod": [method(&k1, did)] }),
            did,
            &[&k1],
        );
    }
}

/// A credential published at an address on another server, read from the answer: JSON, or
/// a PNG or SVG badge with a credential baked in.
fn credential_from_answer(url: &str, content_type: &str, body: &[u8]) -> Result<Value, String> {
    use credence_vc::baking::{unbake, BakedCredential};
    if Want::Json.accepts(content_type) {
        return match serde_json::from_slice::<Value>(body) {
            Ok(doc) if doc.is_object() => Ok(doc),
            Ok(_) => Err(format!("{url} answers JSON that is not a credential.")),
            Err(e) => Err(format!(
                "{url} answers something that is not valid JSON ({e})."
            )),
        };
    }
    match unbake(body) {
        Ok(Some(BakedCredential::Json(doc))) => Ok(doc),
        // A JWT-secured credential, verified as one.
        Ok(Some(BakedCredential::Jwt(jwt))) => Ok(Value::String(jwt)),
        // An Open Badges 2.0 hosted assertion baked as its address.
        Ok(Some(BakedCredential::Url(address))) => Ok(Value::String(address)),
        Ok(None) => Err(format!(
            "{url} is a badge image with no credential baked into it."
        )),
        Err(e) => Err(format!(
            "{url} is not a badge image Credence can read ({e})."
        )),
    }
}

impl crate::registry::Registry {
    /// Whether verification may fetch from other servers (`fetch.enabled`).
    pub fn fetches_enabled(&self) -> bool {
        self.config
            .fetcher
            .as_ref()
            .is_some_and(|f| f.settings().enabled)
    }

    /// The credential at `url` on another server, fetched through the guarded client, with
    /// the fetch as the report lists it; or why it could not be read, as a sentence.
    pub async fn fetch_credential(&self, url: &str) -> Result<(Value, Vec<FetchNote>), String> {
        let Some(fetcher) = self
            .config
            .fetcher
            .as_ref()
            .filter(|f| f.settings().enabled)
        else {
            return Err("This Credence does not fetch from other sites (fetching is turned off). Download the credential or its badge image and upload it instead.".into());
        };
        let mut log = Vec::new();
        let fetched = fetcher
            .fetch_logged(url.trim(), Want::Credential, &mut log)
            .await
            .map_err(|e| format!("The credential at {url} could not be fetched: {e}."))?;
        let doc = credential_from_answer(url, &fetched.content_type, &fetched.body)?;
        Ok((doc, notes(log)))
    }
}

#[cfg(test)]
mod answer_tests {
    use super::credential_from_answer;

    fn check(content_type: &str, body: &[u8], expected: Result<(), &str>) {
        let got = credential_from_answer("https://x.example/c", content_type, body).map(|_| ());
        match (got, expected) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(needle)) => assert!(e.contains(needle), "{content_type}: {e}"),
            (got, want) => panic!("{content_type}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn answers_are_read_as_json_or_baked_images() {
        check(
            "application/ld+json",
            br#"{"type":["VerifiableCredential"]}"#,
            Ok(()),
        );
        check("application/json", b"[1]", Err("not a credential"));
        check("application/json", b"{", Err("not valid JSON"));
        check(
            "image/svg+xml",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            Err("no credential baked"),
        );
        check("image/png", b"not a png", Err("not a badge image"));
    }
}
