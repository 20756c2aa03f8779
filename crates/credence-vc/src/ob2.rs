//! Open Badges 2.0 assertions, which most badges in circulation still are: recognised,
//! and verified from the documents the service fetched for them (this crate never
//! fetches). A *hosted* assertion is as good as its issuer's server: the copy at its `id`
//! is the one that counts, on an origin the issuer allows, and a `revoked` flag or an HTTP
//! 410 there revokes it. A *signed* assertion is a compact JWS (RS256 in the
//! specification; ES256 and EdDSA are read too) made with a `CryptographicKey` its issuer
//! owns, revoked through the issuer's `revocationList`.
//!
//! Open Badges 2.0 proves less than a Verifiable Credential, and the report says so: a
//! hosted badge carries no signature, and the issuer is known only by the web address it
//! publishes from.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::model::IdentityObject;
use crate::verify::{in_words, parse_date_time, Check, Outcome, VerificationReport};

/// The JSON-LD context of Open Badges 2.0.
pub const CONTEXT: &str = "https://w3id.org/openbadges/v2";

/// The namespace of an Open Badges 2.0 assertion baked into an SVG (`openbadges:assertion`).
pub const SVG_NAMESPACE: &str = "http://openbadges.org";

/// The keyword of the `iTXt` chunk of a PNG baked with Open Badges 2.0.
pub const PNG_KEYWORD: &str = "openbadges";

/// What Open Badges 2.0 proves and does not prove, as the verification page says it.
pub const WHAT_IT_PROVES: &str = "Open Badges 2.0 is the older badge format. A hosted badge carries no signature: it stands for as long as its issuer's web site publishes it, and the issuer is known only by that site's address. A signed badge is signed with a key its issuer publishes on its site. Neither says who the issuer is beyond its web site, and the recipient is named only by a (usually hashed) e-mail address.";

/// How an assertion is to be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// The copy at the assertion's `id` is fetched and counts.
    Hosted,
    /// The assertion travels as a compact JWS; `creator` is the key's URL, if given.
    Signed { creator: Option<String> },
}

fn types(doc: &Value) -> Vec<&str> {
    match doc.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn contexts(doc: &Value) -> Vec<&str> {
    match doc.get("@context") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `doc` is an Open Badges 2.0 assertion: the OB 2.0 context (with or without a
/// trailing `.json` or slash) and the type `Assertion`, or the type alone with a `badge`
/// and a `recipient` (as some issuers publish it).
pub fn is_assertion(doc: &Value) -> bool {
    let typed = types(doc).contains(&"Assertion");
    let ob2_context = contexts(doc).iter().any(|c| {
        let c = c.trim_end_matches(".json").trim_end_matches('/');
        c == CONTEXT || c == "https://openbadgespec.org/v2/context"
    });
    typed && (ob2_context || (doc.get("badge").is_some() && doc.get("recipient").is_some()))
}

/// How `assertion` says it is verified (`verification.type`: `hosted`/`HostedBadge` or
/// `signed`/`SignedBadge`); an error says what is wrong with it.
pub fn method(assertion: &Value) -> Result<Method, String> {
    let verification = assertion
        .get("verification")
        .ok_or("it has no verification property, so it says neither where it is hosted nor how it is signed")?;
    let kind = verification
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match kind {
        "hosted" | "HostedBadge" => Ok(Method::Hosted),
        "signed" | "SignedBadge" => Ok(Method::Signed {
            creator: verification
                .get("creator")
                .and_then(Value::as_str)
                .map(str::to_owned),
        }),
        other => Err(format!(
            "its verification type {other:?} is neither hosted nor signed"
        )),
    }
}

/// The id of a property that is a URL or an object with an `id`.
fn id_of(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::String(url) => Some(url),
        Value::Object(fields) => fields.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// The URL of the assertion's badge class, when it is given by reference.
pub fn badge_url(assertion: &Value) -> Option<&str> {
    assertion.get("badge").and_then(Value::as_str)
}

/// The URL of a badge class's issuer profile, when given by reference.
pub fn issuer_url(badge: &Value) -> Option<&str> {
    badge.get("issuer").and_then(Value::as_str)
}

/// The URL of an issuer's revocation list.
pub fn revocation_list_url(issuer: &Value) -> Option<&str> {
    id_of(issuer.get("revocationList"))
}

/// The assertion a compact JWS carries, read without checking the signature.
pub fn jws_payload(jws: &str) -> Result<Value, String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let payload = jws
        .split('.')
        .nth(1)
        .ok_or("it is not a compact JWS (header.payload.signature)")?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| format!("its payload is not base64url ({e})"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("its payload is not JSON ({e})"))
}

/// What was presented for verification.
#[derive(Debug, Clone)]
pub enum Presented {
    /// An assertion as JSON (pasted, uploaded, baked, or fetched by its address).
    Json(Value),
    /// A signed assertion: the compact JWS.
    Jws(String),
}

/// A document the service tried to fetch: what it answered, or why it could not be had.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// The document.
    Got(Value),
    /// The server answered HTTP 410 Gone (for a hosted assertion: revoked).
    Gone,
    /// It could not be fetched, as a sentence ("timed out after 5 s").
    Failed(String),
    /// It was not fetched (fetching is off, or nothing names it).
    NotFetched(String),
}

impl Fetched {
    fn document(&self) -> Option<&Value> {
        match self {
            Self::Got(doc) => Some(doc),
            _ => None,
        }
    }

    fn reason(&self) -> String {
        match self {
            Self::Got(_) => String::new(),
            Self::Gone => "the server answered that it is gone (HTTP 410)".into(),
            Self::Failed(reason) | Self::NotFetched(reason) => reason.clone(),
        }
    }
}

/// The documents an assertion names, as the service obtained them.
#[derive(Debug, Clone)]
pub struct Documents {
    /// The assertion at its own `id` (hosted verification only).
    pub hosted: Option<Fetched>,
    /// The badge class (embedded ones are taken from the assertion).
    pub badge: Fetched,
    /// The issuer's profile (embedded ones are taken from the badge class).
    pub issuer: Fetched,
    /// The issuer's revocation list, if the profile names one.
    pub revocation_list: Option<Fetched>,
    /// The signing key (signed verification only).
    pub key: Option<Fetched>,
}

/// A verified assertion: the report, and the assertion with its badge class and issuer
/// embedded, for showing.
#[derive(Debug, Clone)]
pub struct Verified {
    pub report: VerificationReport,
    pub shown: Value,
}

/// Verifies an Open Badges 2.0 assertion from the documents fetched for it.
pub fn verify(presented: &Presented, docs: &Documents, now: DateTime<Utc>) -> Verified {
    let mut checks = Vec::new();
    let (assertion, method) = match presented {
        Presented::Json(doc) => (doc.clone(), method(doc)),
        Presented::Jws(jws) => match jws_payload(jws) {
            Ok(payload) => {
                let m = method(&payload);
                (payload, m)
            }
            Err(e) => {
                checks.push(Check::new(
                    "context",
                    Outcome::Failed,
                    format!("This looks like a signed Open Badges 2.0 assertion, but {e}."),
                ));
                return Verified {
                    report: VerificationReport::from_checks(checks),
                    shown: Value::Null,
                };
            }
        },
    };
    let method = match (method, presented) {
        // A JWS is signed whatever its payload says.
        (Ok(Method::Hosted) | Err(_), Presented::Jws(_)) => Method::Signed { creator: None },
        (Ok(m), _) => m,
        (Err(e), Presented::Json(_)) => {
            checks.push(Check::new(
                "context",
                Outcome::Failed,
                format!("This is an Open Badges 2.0 assertion, but {e}."),
            ));
            return Verified {
                report: VerificationReport::from_checks(checks),
                shown: assertion,
            };
        }
    };
    // The copy that counts: the hosted one when there is one.
    let counted = match (&method, docs.hosted.as_ref().and_then(Fetched::document)) {
        (Method::Hosted, Some(hosted)) => hosted.clone(),
        _ => assertion.clone(),
    };
    let badge = docs.badge.document();
    let issuer = docs.issuer.document();
    let issuer_id = issuer.and_then(|i| i.get("id")).and_then(Value::as_str);
    checks.push(format_check(&method));
    match &method {
        Method::Hosted => checks.extend(hosted_checks(&assertion, docs, issuer)),
        Method::Signed { .. } => match presented {
            Presented::Jws(jws) => checks.extend(signed_checks(jws, docs, issuer_id)),
            // The signature travels only in the JWS: without it, nothing proves who made it.
            Presented::Json(_) => checks.push(Check::new(
                "proof",
                Outcome::Failed,
                "This assertion says it is signed, but it was given without its signature (the JWS a signed Open Badges 2.0 badge carries): nothing proves its issuer made it. Verify the badge image or the JWS instead.",
            )),
        },
    }
    checks.push(badge_check(docs, badge, issuer));
    checks.extend(date_checks(&counted, now));
    checks.push(revocation_check(&method, &counted, docs));
    let mut shown = counted;
    if let (Some(badge), Some(fields)) = (badge, shown.as_object_mut()) {
        let mut badge = badge.clone();
        if let (Some(issuer), Some(b)) = (issuer, badge.as_object_mut()) {
            b.insert("issuer".into(), issuer.clone());
        }
        fields.insert("badge".into(), badge);
    }
    Verified {
        report: VerificationReport::from_checks(checks),
        shown,
    }
}

fn format_check(method: &Method) -> Check {
    let how = match method {
        Method::Hosted => "hosted by its issuer",
        Method::Signed { .. } => "signed by its issuer",
    };
    Check::new(
        "context",
        Outcome::Passed,
        format!("An Open Badges 2.0 assertion, {how}."),
    )
    .detail(WHAT_IT_PROVES)
}

/// The origin (`scheme://host[:port]`) of an http(s) URL.
fn origin(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.origin().ascii_serialization())
}

fn host(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .host_str()
        .map(str::to_ascii_lowercase)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the issuer allows an assertion hosted at `url`: by default on the origin of its
/// profile's `id`; its own `verification` may name `allowedOrigins` (hosts) or
/// `startsWith` (URL prefixes) instead.
fn origin_allowed(url: &str, issuer: &Value) -> bool {
    let policy = issuer.get("verification");
    let starts = strings(policy.and_then(|p| p.get("startsWith")));
    let allowed = strings(policy.and_then(|p| p.get("allowedOrigins")));
    if !starts.is_empty() && !starts.iter().any(|s| url.starts_with(s.as_str())) {
        return false;
    }
    if !allowed.is_empty() {
        return host(url).is_some_and(|h| allowed.iter().any(|a| a.eq_ignore_ascii_case(&h)));
    }
    if !starts.is_empty() {
        return true;
    }
    let issuer_origin = issuer.get("id").and_then(Value::as_str).and_then(origin);
    issuer_origin.is_some() && issuer_origin == origin(url)
}

fn hosted_checks(assertion: &Value, docs: &Documents, issuer: Option<&Value>) -> Vec<Check> {
    const CODE: &str = "proof";
    let id = assertion
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if origin(id).is_none() {
        return vec![Check::new(
            CODE,
            Outcome::Failed,
            "A hosted assertion must be published at an http(s) address, and this one's id is not one.",
        )
        .detail(format!("id: {id:?}"))];
    }
    let mut checks = Vec::new();
    match docs.hosted.as_ref() {
        Some(Fetched::Got(hosted)) => {
            let same = hosted.get("id").and_then(Value::as_str) == Some(id);
            checks.push(if same {
                Check::new(
                    CODE,
                    Outcome::Passed,
                    format!("The issuer's site publishes this assertion at its address ({id}). A hosted badge has no signature: this is the check Open Badges 2.0 makes instead."),
                )
            } else {
                Check::new(
                    CODE,
                    Outcome::Failed,
                    format!("The document published at {id} is not this assertion (its id differs)."),
                )
            });
        }
        // Gone means revoked: the revocation check says so, and the assertion was hosted.
        Some(Fetched::Gone) => checks.push(Check::new(
            CODE,
            Outcome::Passed,
            format!("The issuer's site answers for this assertion's address ({id}), saying it is gone."),
        )),
        Some(other) => checks.push(Check::new(
            CODE,
            Outcome::Unknown,
            format!(
                "The assertion could not be fetched from its issuer's site, so whether the issuer still publishes it is unknown: {}.",
                other.reason()
            ),
        )),
        None => checks.push(Check::new(
            CODE,
            Outcome::Unknown,
            "The assertion was not fetched from its issuer's site.",
        )),
    }
    checks.push(match issuer {
        Some(issuer) if origin_allowed(id, issuer) => Check::new(
            "issuer",
            Outcome::Passed,
            format!(
                "The assertion is hosted where its issuer, {}, allows ({}).",
                display_name(issuer),
                origin(id).unwrap_or_default()
            ),
        ),
        Some(issuer) => Check::new(
            "issuer",
            Outcome::Failed,
            format!(
                "The assertion is hosted at {}, which its issuer {} does not allow: anyone could publish a badge naming that issuer there.",
                origin(id).unwrap_or_default(),
                display_name(issuer)
            ),
        ),
        None => Check::new(
            "issuer",
            Outcome::Unknown,
            format!(
                "The issuer's profile could not be read, so who issued it is unknown: {}.",
                docs.issuer.reason()
            ),
        ),
    });
    checks
}

fn display_name(profile: &Value) -> String {
    let id = profile
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match profile.get("name").and_then(Value::as_str) {
        Some(name) => format!("{name} ({id})"),
        None => id.to_owned(),
    }
}

/// The algorithms a signed assertion may use, and how their key is read from PEM.
fn decoding_key(alg: Algorithm, pem: &str) -> Result<DecodingKey, String> {
    let read = match alg {
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => {
            DecodingKey::from_rsa_pem(pem.as_bytes())
        }
        Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(pem.as_bytes()),
        Algorithm::EdDSA => DecodingKey::from_ed_pem(pem.as_bytes()),
        other => return Err(format!("the algorithm {other:?} is not accepted")),
    };
    read.map_err(|e| format!("the key's publicKeyPem cannot be read for {alg:?} ({e})"))
}

fn signed_checks(jws: &str, docs: &Documents, issuer_id: Option<&str>) -> Vec<Check> {
    const CODE: &str = "proof";
    let key = match docs.key.as_ref() {
        Some(Fetched::Got(key)) => key,
        Some(other) => {
            return vec![Check::new(
                CODE,
                Outcome::Unknown,
                format!(
                "The issuer's key could not be fetched, so the signature could not be checked: {}.",
                other.reason()
            ),
            )]
        }
        None => {
            return vec![Check::new(
            CODE,
            Outcome::Failed,
            "The signed assertion names no key (verification.creator), and its issuer lists none.",
        )]
        }
    };
    let mut checks = Vec::new();
    let signature = jsonwebtoken::decode_header(jws)
        .map_err(|e| format!("its header cannot be read ({e})"))
        .and_then(|header| {
            let pem = key
                .get("publicKeyPem")
                .and_then(Value::as_str)
                .ok_or("the key document has no publicKeyPem")?;
            let decoding = decoding_key(header.alg, pem)?;
            let mut validation = Validation::new(header.alg);
            validation.required_spec_claims.clear();
            validation.validate_exp = false;
            validation.validate_nbf = false;
            validation.validate_aud = false;
            jsonwebtoken::decode::<Value>(jws, &decoding, &validation)
                .map(|_| header.alg)
                .map_err(|e| format!("the signature does not verify ({e})"))
        });
    checks.push(match signature {
        Ok(alg) => Check::new(
            CODE,
            Outcome::Passed,
            format!("The assertion is signed ({alg:?}) with the key its issuer publishes, and has not been changed since."),
        ),
        Err(e) => Check::new(CODE, Outcome::Failed, format!("The assertion's signature is not valid: {e}.")),
    });
    let owner = key.get("owner").and_then(Value::as_str);
    checks.push(match (owner, issuer_id) {
        (Some(owner), Some(issuer)) if owner == issuer => Check::new(
            "issuer",
            Outcome::Passed,
            format!("The signing key belongs to the badge's issuer ({issuer})."),
        ),
        (_, None) => Check::new(
            "issuer",
            Outcome::Unknown,
            format!(
                "The issuer's profile could not be read, so whose key signed it is unknown: {}.",
                docs.issuer.reason()
            ),
        ),
        (owner, Some(issuer)) => Check::new(
            "issuer",
            Outcome::Failed,
            format!(
                "The signing key belongs to {}, not to the badge's issuer ({issuer}).",
                owner.unwrap_or("no one it names")
            ),
        ),
    });
    checks
}

fn badge_check(docs: &Documents, badge: Option<&Value>, issuer: Option<&Value>) -> Check {
    const CODE: &str = "ob2.badge";
    match (badge, issuer) {
        (Some(badge), Some(_)) => Check::new(
            CODE,
            Outcome::Passed,
            format!(
                "The badge class {:?} and its issuer's profile were read.",
                badge
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("(unnamed)")
            ),
        ),
        (None, _) => Check::new(
            CODE,
            Outcome::Unknown,
            format!(
                "The badge class could not be read: {}.",
                docs.badge.reason()
            ),
        ),
        (Some(_), None) => Check::new(
            CODE,
            Outcome::Unknown,
            format!(
                "The issuer's profile could not be read: {}.",
                docs.issuer.reason()
            ),
        ),
    }
}

/// An OB 2.0 date: ISO 8601 (a date alone counts as its midnight UTC) or, as OB 1.x
/// wrote, seconds since 1970.
fn ob2_date(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(text) => parse_date_time(text).or_else(|| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        }),
        Value::Number(n) => n.as_i64().and_then(|s| DateTime::from_timestamp(s, 0)),
        _ => None,
    }
}

fn date_checks(assertion: &Value, now: DateTime<Utc>) -> Vec<Check> {
    let mut checks = Vec::new();
    match assertion.get("issuedOn") {
        None => checks.push(Check::new(
            "valid_from",
            Outcome::Failed,
            "The assertion does not say when it was issued (issuedOn is required).",
        )),
        Some(value) => checks.push(match ob2_date(value) {
            None => Check::new(
                "valid_from",
                Outcome::Failed,
                format!("The assertion's issuedOn {value} is not a date."),
            ),
            Some(t) if t > now => Check::new(
                "valid_from",
                Outcome::Failed,
                format!(
                    "The assertion says it is issued on {}, which has not come yet.",
                    in_words(t)
                ),
            ),
            Some(t) => Check::new(
                "valid_from",
                Outcome::Passed,
                format!("Issued on {}.", in_words(t)),
            ),
        }),
    }
    checks.push(match assertion.get("expires") {
        None => Check::new(
            "valid_until",
            Outcome::NotApplicable,
            "The assertion does not expire.",
        ),
        Some(value) => match ob2_date(value) {
            None => Check::new(
                "valid_until",
                Outcome::Failed,
                format!("The assertion's expiry {value} is not a date."),
            ),
            Some(t) if t <= now => Check::new(
                "valid_until",
                Outcome::Failed,
                format!("The assertion expired on {}.", in_words(t)),
            ),
            Some(t) => Check::new(
                "valid_until",
                Outcome::Passed,
                format!("The assertion is valid until {}.", in_words(t)),
            ),
        },
    });
    checks
}

/// The reason an issuer gave for revoking, if any.
fn reason_of(entry: &Value) -> String {
    entry
        .get("revocationReason")
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty())
        .map(|r| format!(" The reason given: {r}"))
        .unwrap_or_default()
}

fn revocation_check(method: &Method, assertion: &Value, docs: &Documents) -> Check {
    const CODE: &str = "status.revocation";
    if matches!(docs.hosted, Some(Fetched::Gone)) {
        return Check::new(
            CODE,
            Outcome::Failed,
            "The issuer has revoked this badge: its site answers that the assertion is gone (HTTP 410).",
        );
    }
    if assertion.get("revoked").and_then(Value::as_bool) == Some(true) {
        return Check::new(
            CODE,
            Outcome::Failed,
            format!("The issuer has revoked this badge.{}", reason_of(assertion)),
        );
    }
    let id = assertion.get("id").and_then(Value::as_str);
    let uid = assertion.get("uid").and_then(Value::as_str);
    match docs.revocation_list.as_ref() {
        Some(Fetched::Got(list)) => {
            let entries = list
                .get("revokedAssertions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let hit = entries.iter().find(|e| match e {
                Value::String(s) => Some(s.as_str()) == id || Some(s.as_str()) == uid,
                other => {
                    let eid = other.get("id").and_then(Value::as_str);
                    let euid = other.get("uid").and_then(Value::as_str);
                    (eid.is_some() && eid == id) || (euid.is_some() && euid == uid)
                }
            });
            match hit {
                Some(entry) => Check::new(
                    CODE,
                    Outcome::Failed,
                    format!(
                        "The issuer's revocation list names this badge as revoked.{}",
                        reason_of(entry)
                    ),
                ),
                None => Check::new(
                    CODE,
                    Outcome::Passed,
                    "The issuer's revocation list does not name this badge.",
                ),
            }
        }
        Some(other) => Check::new(
            CODE,
            Outcome::Unknown,
            format!(
                "The issuer's revocation list could not be fetched, so whether the badge was revoked is unknown: {}.",
                other.reason()
            ),
        ),
        None => match method {
            Method::Hosted if matches!(docs.hosted, Some(Fetched::Got(_))) => Check::new(
                CODE,
                Outcome::Passed,
                "The issuer's site publishes the assertion without marking it revoked.",
            ),
            Method::Hosted => Check::new(
                CODE,
                Outcome::Unknown,
                "Whether the issuer revoked it is unknown: its site could not be asked.",
            ),
            Method::Signed { .. } => Check::new(
                CODE,
                Outcome::NotApplicable,
                "The issuer publishes no revocation list, so a signed badge of theirs cannot be revoked.",
            ),
        },
    }
}

/// Whether the assertion's recipient is the e-mail address `email` (hashed identities
/// compared by their SHA-256 hash; `md5$` ones never match).
pub fn recipient_matches_email(assertion: &Value, email: &str) -> bool {
    let Some(recipient) = assertion.get("recipient") else {
        return false;
    };
    if recipient.get("type").and_then(Value::as_str) != Some("email") {
        return false;
    }
    let identity = IdentityObject {
        type_: "IdentityObject".into(),
        hashed: recipient
            .get("hashed")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        identity_hash: recipient
            .get("identity")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        identity_type: "emailAddress".into(),
        salt: recipient
            .get("salt")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    identity.matches_email(email)
}

/// The OB 3.0-shaped view of an assertion that the verification page reads (name,
/// description, image, criteria, issuer, dates, alignments, evidence), for showing only.
pub fn as_ob3_view(shown: &Value) -> Value {
    let badge = shown.get("badge").cloned().unwrap_or_default();
    let issuer = badge.get("issuer").cloned().unwrap_or_default();
    let alignment: Vec<Value> = match badge.get("alignment") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|a| {
                json!({
                    "targetName": a.get("targetName"),
                    "targetUrl": a.get("targetUrl"),
                    "targetCode": a.get("targetCode"),
                    "targetDescription": a.get("targetDescription"),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let criteria = match badge.get("criteria") {
        Some(Value::Object(c)) => c.get("narrative").cloned(),
        _ => None,
    };
    let image = match badge.get("image") {
        Some(Value::Object(i)) => i.get("id").cloned(),
        other => other.cloned(),
    };
    let date = |field: &str| {
        shown
            .get(field)
            .and_then(ob2_date)
            .map(|t| Value::from(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
    };
    json!({
        "issuer": { "id": issuer.get("id"), "name": issuer.get("name") },
        "validFrom": date("issuedOn"),
        "validUntil": date("expires"),
        "evidence": shown.get("evidence"),
        "credentialSubject": {
            "achievement": {
                "name": badge.get("name"),
                "description": badge.get("description"),
                "criteria": { "narrative": criteria },
                "image": image,
                "alignment": alignment,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertions_are_recognised_by_context_and_type() {
        assert!(is_assertion(
            &json!({"@context": CONTEXT, "type": "Assertion"})
        ));
        assert!(is_assertion(
            &json!({"@context": "https://w3id.org/openbadges/v2/", "type": ["Assertion"]})
        ));
        assert!(is_assertion(
            &json!({"type": "Assertion", "badge": "https://b.example/b", "recipient": {}})
        ));
        assert!(!is_assertion(
            &json!({"@context": CONTEXT, "type": "BadgeClass"})
        ));
        assert!(!is_assertion(
            &json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]})
        ));
    }

    #[test]
    fn the_verification_method_is_read_or_refused() {
        assert_eq!(
            method(&json!({"verification": {"type": "HostedBadge"}})),
            Ok(Method::Hosted)
        );
        assert_eq!(
            method(&json!({"verification": {"type": "signed", "creator": "https://i.example/k"}})),
            Ok(Method::Signed {
                creator: Some("https://i.example/k".into())
            })
        );
        assert!(method(&json!({})).unwrap_err().contains("no verification"));
        assert!(method(&json!({"verification": {"type": "magic"}}))
            .unwrap_err()
            .contains("\"magic\""));
    }

    #[test]
    fn hosting_origins_follow_the_issuers_policy() {
        let issuer = json!({"id": "https://issuer.example/profile"});
        assert!(origin_allowed("https://issuer.example/a/1", &issuer));
        assert!(!origin_allowed("https://evil.example/a/1", &issuer));
        assert!(!origin_allowed("http://issuer.example/a/1", &issuer));
        let allowed = json!({"id": "https://issuer.example/p", "verification": {"allowedOrigins": ["badges.example"]}});
        assert!(origin_allowed("https://badges.example/a/1", &allowed));
        assert!(!origin_allowed("https://issuer.example/a/1", &allowed));
        let prefixed = json!({"id": "https://issuer.example/p", "verification": {"startsWith": "https://host.example/issuer-7/"}});
        assert!(origin_allowed(
            "https://host.example/issuer-7/a/1",
            &prefixed
        ));
        assert!(!origin_allowed(
            "https://host.example/issuer-8/a/1",
            &prefixed
        ));
    }

    #[test]
    fn dates_are_iso_8601_dates_or_seconds() {
        let t = |v: Value| ob2_date(&v).map(|t| t.to_rfc3339());
        assert_eq!(
            t(json!("2024-03-01")).as_deref(),
            Some("2024-03-01T00:00:00+00:00")
        );
        assert_eq!(
            t(json!("2024-03-01T09:00:00Z")).as_deref(),
            Some("2024-03-01T09:00:00+00:00")
        );
        assert_eq!(
            t(json!(1_700_000_000)).as_deref(),
            Some("2023-11-14T22:13:20+00:00")
        );
        assert_eq!(t(json!("yesterday")), None);
    }

    #[test]
    fn a_hosted_copy_that_is_gone_reads_revoked_and_a_missing_one_unknown() {
        let assertion = json!({
            "@context": CONTEXT, "type": "Assertion", "id": "https://i.example/a/1",
            "badge": {"name": "B", "issuer": {"id": "https://i.example/p", "name": "I"}},
            "verification": {"type": "hosted"}, "issuedOn": "2024-01-01"
        });
        let docs = |hosted: Fetched| Documents {
            hosted: Some(hosted),
            badge: Fetched::Got(assertion["badge"].clone()),
            issuer: Fetched::Got(assertion["badge"]["issuer"].clone()),
            revocation_list: None,
            key: None,
        };
        let now = Utc::now();
        let presented = Presented::Json(assertion.clone());
        let gone = verify(&presented, &docs(Fetched::Gone), now).report;
        assert_eq!(
            gone.check("status.revocation").unwrap().outcome,
            Outcome::Failed
        );
        let unknown = verify(
            &presented,
            &docs(Fetched::Failed("timed out after 5 s".into())),
            now,
        )
        .report;
        assert_eq!(unknown.verdict, crate::verify::Verdict::Incomplete);
        assert!(unknown
            .check("proof")
            .unwrap()
            .message
            .contains("timed out after 5 s"));
        let ok = verify(&presented, &docs(Fetched::Got(assertion.clone())), now).report;
        assert_eq!(ok.verdict, crate::verify::Verdict::Verified, "{ok:#?}");
    }

    #[test]
    fn a_signed_assertion_without_its_jws_is_not_valid() {
        let assertion = json!({
            "@context": CONTEXT, "type": "Assertion", "id": "urn:uuid:1",
            "badge": {"name": "B", "issuer": {"id": "https://i.example/p", "name": "I"}},
            "verification": {"type": "SignedBadge", "creator": "https://i.example/k"},
            "issuedOn": "2024-01-01"
        });
        let docs = Documents {
            hosted: None,
            badge: Fetched::Got(assertion["badge"].clone()),
            issuer: Fetched::Got(assertion["badge"]["issuer"].clone()),
            revocation_list: None,
            key: None,
        };
        let report = verify(&Presented::Json(assertion), &docs, Utc::now()).report;
        assert_eq!(
            report.verdict,
            crate::verify::Verdict::NotValid,
            "{report:#?}"
        );
        assert_eq!(report.check("proof").unwrap().outcome, Outcome::Failed);
    }

    #[test]
    fn recipients_match_by_salted_hash() {
        let a = json!({"recipient": {"type": "email", "hashed": true, "salt": "s",
            "identity": "sha256$7d8e4c3ec5fa1f4ce09cab6fc13a8a8b4c0d7e0b1dbb3aa4d6a1f1d0a8ad1a2b"}});
        assert!(!recipient_matches_email(&a, "x@example.org"));
        let plain =
            json!({"recipient": {"type": "email", "hashed": false, "identity": "A@Example.org"}});
        assert!(recipient_matches_email(&plain, "a@example.org"));
        let url =
            json!({"recipient": {"type": "url", "hashed": false, "identity": "a@example.org"}});
        assert!(!recipient_matches_email(&url, "a@example.org"));
    }
}
