//! The W3C Verifiable Credentials Data Model's normative requirements that a JSON document
//! can break, kept as data ([`REQUIREMENTS`]); [`check_credential`], which reports every
//! violation with an RFC 6901 JSON pointer; and [`check_related_resources`], which compares
//! the digests a credential gives for its `relatedResource`s with the resources' bytes.
//!
//! A document whose first `@context` is `https://www.w3.org/2018/credentials/v1` is held to
//! VC Data Model 1.1 (`issuanceDate`, `expirationDate`, ids on status and refresh entries);
//! any other document to VC Data Model 2.0
//! (<https://www.w3.org/TR/vc-data-model-2.0/>). What the JSON-LD terms mean is not checked
//! here (safe-mode expansion in [`crate::canon`] refuses undefined terms), and neither are
//! proofs ([`crate::proof`]).

use crate::contexts::{CREDENTIALS_V1, CREDENTIALS_V2};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, Engine};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;

/// One normative requirement of the data model that a JSON document can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Requirement {
    /// A stable code, e.g. `subject-non-empty`; [`Violation::requirement`] is one of these.
    pub id: &'static str,
    /// The section of VC Data Model 2.0 (or 1.1, where it says so) that states it.
    pub section: &'static str,
    /// What is required, in the specification's words or close to them.
    pub text: &'static str,
    /// When Credence checks it: `issue and verification` ([`check_credential`], which the
    /// verifier's `data_model` check runs), or `verification` only.
    pub checked_at: &'static str,
    /// The unit test (or the case of the table-driven test) that shows it refusing.
    pub test: &'static str,
}

const BOTH: &str = "issue and verification";

macro_rules! requirement {
    ($id:literal, $section:literal, $text:literal) => {
        Requirement {
            id: $id,
            section: $section,
            text: $text,
            checked_at: BOTH,
            test: concat!("each_requirement_is_refused/", $id),
        }
    };
}

/// Every requirement [`check_credential`] checks, and the digest comparison made at
/// verification. VC 2.0 sections unless the section says VC 1.1.
pub const REQUIREMENTS: &[Requirement] = &[
    requirement!(
        "credential-object",
        "4.2 Verifiable Credentials",
        "A verifiable credential is a JSON object (a compacted JSON-LD document); any other JSON value is not a credential."
    ),
    requirement!(
        "context-present",
        "4.3 Contexts",
        "Verifiable credentials MUST include a @context property."
    ),
    requirement!(
        "context-ordered-set",
        "4.3 Contexts",
        "The value of the @context property MUST be an ordered set (a JSON array)."
    ),
    requirement!(
        "context-first-v2",
        "4.3 Contexts",
        "The first item of @context MUST be the URL https://www.w3.org/ns/credentials/v2 (VC 1.1: https://www.w3.org/2018/credentials/v1); @context is ordered, so the base context listed later does not count."
    ),
    requirement!(
        "context-items",
        "4.3 Contexts",
        "Subsequent items in @context MUST be composed of any combination of URLs and objects, each processable as a JSON-LD context."
    ),
    requirement!(
        "context-undefined-terms-last",
        "4.3 Contexts",
        "A document that does not use contexts defining all its terms MUST include https://www.w3.org/ns/credentials/undefined-terms/v2 as the LAST value of @context."
    ),
    requirement!(
        "id-url",
        "4.4 Identifiers",
        "If present, the value of an id property (the credential's, each credentialSubject's, and those of credentialStatus, evidence, termsOfUse, refreshService, confidenceMethod and renderMethod entries) MUST be a single URL: one string, absolute, with a scheme (DIDs and URNs are URLs)."
    ),
    requirement!(
        "type-present",
        "4.5 Types",
        "Verifiable credentials MUST contain a type property with an associated value."
    ),
    requirement!(
        "type-values",
        "4.5 Types",
        "The value of a type property MUST be one or more terms and absolute URL strings: a string, or a non-empty array of strings."
    ),
    requirement!(
        "type-verifiable-credential",
        "4.5 Types",
        "The type of a verifiable credential object MUST include VerifiableCredential."
    ),
    requirement!(
        "name-description",
        "4.6 Names and Descriptions",
        "If present, the value of name and of description (of the credential and of its issuer) MUST be a string or a language value object, or several of them."
    ),
    requirement!(
        "language-value-object",
        "11.1 Language and Base Direction",
        "A language value object MUST contain @value, a string; @language, if present, is a string; @direction, if present, is ltr or rtl; the object MUST NOT include any other keys."
    ),
    requirement!(
        "issuer-present",
        "4.7 Issuer",
        "A verifiable credential MUST have an issuer property."
    ),
    requirement!(
        "issuer-url",
        "4.7 Issuer",
        "The value of the issuer property MUST be either a URL, or an object containing an id property whose value is a URL."
    ),
    requirement!(
        "subject-present",
        "4.8 Credential Subject",
        "A verifiable credential MUST contain a credentialSubject property."
    ),
    requirement!(
        "subject-objects",
        "4.8 Credential Subject",
        "The value of credentialSubject is a set of objects: one object, or a non-empty array of objects."
    ),
    requirement!(
        "subject-non-empty",
        "4.8 Credential Subject",
        "Each credentialSubject object MUST be the subject of one or more claims, serialized inside it: it holds at least one claim or an id."
    ),
    requirement!(
        "valid-from-datetimestamp",
        "4.9 Validity Period",
        "If present, the value of validFrom MUST be an XML Schema dateTimeStamp string (YYYY-MM-DDThh:mm:ss with optional fraction and a REQUIRED time zone, Z or +hh:mm/-hh:mm)."
    ),
    requirement!(
        "valid-until-datetimestamp",
        "4.9 Validity Period",
        "If present, the value of validUntil MUST be an XML Schema dateTimeStamp string (YYYY-MM-DDThh:mm:ss with optional fraction and a REQUIRED time zone, Z or +hh:mm/-hh:mm)."
    ),
    requirement!(
        "validity-order",
        "4.9 Validity Period",
        "If both are present, validFrom MUST express a point in time that is the same as or earlier than validUntil."
    ),
    requirement!(
        "v2-no-v1-dates",
        "4.9 Validity Period; 4.3 Contexts",
        "A VC 2.0 credential states its validity with validFrom and validUntil. issuanceDate and expirationDate are VC 1.1 terms, undefined by https://www.w3.org/ns/credentials/v2, and a conforming document uses contexts that define every term it uses; a VC 2.0 verifier does not read them as validity dates."
    ),
    requirement!(
        "status-type",
        "4.10 Status",
        "If present, credentialStatus is one or more objects, and the type property of each is REQUIRED."
    ),
    requirement!(
        "schema-type",
        "4.11 Data Schemas",
        "The value of credentialSchema MUST be one or more data schemas (objects), and each MUST specify its type."
    ),
    requirement!(
        "schema-id",
        "4.11 Data Schemas",
        "Each credentialSchema MUST specify an id property that MUST be a URL identifying the schema file."
    ),
    requirement!(
        "related-resource-objects",
        "5.3 Integrity of Related Resources",
        "The value of the relatedResource property MUST be one or more objects."
    ),
    requirement!(
        "related-resource-id",
        "5.3 Integrity of Related Resources",
        "The id of each relatedResource object is REQUIRED and conforms to 4.4 Identifiers (a URL)."
    ),
    requirement!(
        "related-resource-id-unique",
        "5.3 Integrity of Related Resources",
        "The id of a related resource MUST be unique among the list of related resource objects."
    ),
    requirement!(
        "related-resource-digest",
        "5.3 Integrity of Related Resources",
        "Each object associated with relatedResource MUST contain at least a digestSRI or a digestMultibase value."
    ),
    requirement!(
        "related-resource-digest-sri",
        "5.3 Integrity of Related Resources",
        "digestSRI is one or more cryptographic digests as defined by the hash-expression grammar of Subresource Integrity 3.5: sha256-, sha384- or sha512- followed by the base64 digest of that length."
    ),
    requirement!(
        "related-resource-digest-multibase",
        "5.3 Integrity of Related Resources",
        "digestMultibase is one or more cryptographic digests as defined by Data Integrity 1.0 2.6: a multibase-encoded (u base64url-no-pad, z base58btc, ...) multihash whose length matches its hash function."
    ),
    requirement!(
        "related-resource-media-type",
        "5.3 Integrity of Related Resources",
        "mediaType, if present, is a valid media type (type/subtype) as listed in the IANA Media Types registry, written as a string."
    ),
    Requirement {
        id: "related-resource-digest-match",
        section: "5.3 Integrity of Related Resources",
        text: "A verifier that retrieves a related resource MUST produce a validation error unless the resource matches its cryptographic digest (checked for the JSON-LD contexts bundled with Credence; other resources are not fetched).",
        checked_at: "verification",
        test: "related_resource_digests_are_compared",
    },
    requirement!(
        "refresh-service-type",
        "5.4 Refreshing",
        "The value of refreshService MUST be one or more refresh services (objects); each refreshService value MUST specify its type. (VC 2.0 dropped VC 1.1's required id, see v1-refresh-service-id.)"
    ),
    requirement!(
        "terms-of-use-type",
        "5.5 Terms of Use",
        "The value of termsOfUse MUST specify one or more terms of use policies (objects); each termsOfUse value MUST specify its type."
    ),
    requirement!(
        "evidence-type",
        "5.6 Evidence",
        "If present, the value of evidence MUST be either a single object or a set of one or more objects, each with a type (4.5 Types)."
    ),
    requirement!(
        "reserved-type",
        "5.10 Reserved Extension Points",
        "Implementations MUST specify a type property in the value associated with a reserved property (confidenceMethod, renderMethod)."
    ),
    requirement!(
        "v1-issuance-date-present",
        "VC 1.1: 4.6 Issuance Date",
        "A VC 1.1 credential MUST have an issuanceDate property."
    ),
    requirement!(
        "v1-issuance-date-datetime",
        "VC 1.1: 4.6 Issuance Date",
        "The value of issuanceDate MUST be a string value of an XML Schema combined date-time (YYYY-MM-DDThh:mm:ss, optional fraction, optional time zone)."
    ),
    requirement!(
        "v1-expiration-date-datetime",
        "VC 1.1: 4.8 Expiration",
        "If present, the value of expirationDate MUST be a string value of an XML Schema date-time."
    ),
    requirement!(
        "v1-status-id",
        "VC 1.1: 4.9 Status",
        "Each VC 1.1 credentialStatus MUST include an id property, which MUST be a URL."
    ),
    requirement!(
        "v1-refresh-service-id",
        "VC 1.1: 5.5 Refreshing",
        "Each VC 1.1 refreshService value MUST specify its id, the URL of the service."
    ),
];

/// The requirement with this id.
pub fn requirement(id: &str) -> Option<&'static Requirement> {
    REQUIREMENTS.iter().find(|r| r.id == id)
}

/// One broken requirement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The [`Requirement::id`] broken.
    pub requirement: &'static str,
    /// Where, as an RFC 6901 JSON pointer within the credential (`""` is the whole
    /// document; a missing property is pointed at where it belongs, e.g. `/issuer`).
    pub pointer: String,
    /// What is wrong and what is expected, in plain English.
    pub message: String,
}

/// The URL a document that uses undefined terms lists last.
pub const UNDEFINED_TERMS_V2: &str = "https://www.w3.org/ns/credentials/undefined-terms/v2";

/// Which data model a document is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V2,
    V1,
}

/// Every violation of the data model's MUSTs in `credential` (an unsigned or signed
/// credential; proofs are not checked here). Empty when it conforms.
pub fn check_credential(credential: &Value) -> Vec<Violation> {
    let Some(doc) = credential.as_object() else {
        return vec![Violation {
            requirement: "credential-object",
            pointer: String::new(),
            message: format!(
                "The document is {}, not a JSON object, so it is not a credential.",
                kind(credential)
            ),
        }];
    };
    let mut checker = Checker::default();
    let version = checker.context(doc);
    if let Some(id) = get(doc, "id") {
        checker.id(id, "/id".into(), "id-url", "The credential's id");
    }
    checker.types(doc);
    checker.issuer(doc, version);
    checker.subject(doc);
    match version {
        Version::V2 => {
            checker.names(doc, "", "The credential's");
            checker.validity(doc);
            // A context with `@vocab` (W3C's examples context, or an inline one) defines
            // every term, these two included: they are then plain claims, not dates.
            let vocab = match get(doc, "@context") {
                Some(Value::Array(items)) => items.iter().any(|c| {
                    c.as_str() == Some(crate::contexts::CREDENTIALS_EXAMPLES_V2)
                        || c.get("@vocab").is_some()
                }),
                _ => false,
            };
            for field in ["issuanceDate", "expirationDate"] {
                if !vocab && get(doc, field).is_some() {
                    let instead = if field == "issuanceDate" {
                        "validFrom"
                    } else {
                        "validUntil"
                    };
                    checker.report(
                        "v2-no-v1-dates",
                        format!("/{field}"),
                        format!("{field} is a VC 1.1 property that the VC 2.0 context does not define; a VC 2.0 credential uses {instead} instead."),
                    );
                }
            }
        }
        Version::V1 => checker.v1_dates(doc),
    }
    let v1 = version == Version::V1;
    checker.entries(
        doc,
        "credentialStatus",
        "status-type",
        v1.then_some("v1-status-id"),
    );
    checker.entries(doc, "credentialSchema", "schema-type", Some("schema-id"));
    checker.entries(
        doc,
        "refreshService",
        "refresh-service-type",
        v1.then_some("v1-refresh-service-id"),
    );
    checker.entries(doc, "termsOfUse", "terms-of-use-type", None);
    checker.entries(doc, "evidence", "evidence-type", None);
    if !v1 {
        checker.entries(doc, "confidenceMethod", "reserved-type", None);
        checker.entries(doc, "renderMethod", "reserved-type", None);
        checker.related_resources(doc);
    }
    checker.violations
}

/// The value of `key`, treating JSON `null` as absent (as JSON-LD does).
fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// What a JSON value is, for messages: "a number", "an array", ...
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One reference token, escaped per RFC 6901 (`~` as `~0`, `/` as `~1`).
pub fn escape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}

fn item(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// The values of a property that takes one value or an array of them, with their pointers.
/// An empty array gives none.
fn values<'a>(value: &'a Value, pointer: &str) -> Vec<(String, &'a Value)> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (item(pointer, i), v))
            .collect(),
        one => vec![(pointer.to_owned(), one)],
    }
}

#[derive(Default)]
struct Checker {
    violations: Vec<Violation>,
}

impl Checker {
    fn report(&mut self, requirement: &'static str, pointer: String, message: String) {
        debug_assert!(
            self::requirement(requirement).is_some(),
            "{requirement} is not in REQUIREMENTS"
        );
        self.violations.push(Violation {
            requirement,
            pointer,
            message,
        });
    }

    /// `@context`; returns the data model the document is held to.
    fn context(&mut self, doc: &Map<String, Value>) -> Version {
        const AT: &str = "/@context";
        let items = match get(doc, "@context") {
            None => {
                self.report(
                    "context-present",
                    AT.into(),
                    format!("The credential has no @context; it must be a list starting with {CREDENTIALS_V2}."),
                );
                return Version::V2;
            }
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.report(
                    "context-ordered-set",
                    AT.into(),
                    format!(
                        "@context is {}; it must be an ordered list (a JSON array) whose first item is {CREDENTIALS_V2}.",
                        kind(other)
                    ),
                );
                return if other.as_str() == Some(CREDENTIALS_V1) {
                    Version::V1
                } else {
                    Version::V2
                };
            }
        };
        let first = items.first().and_then(Value::as_str);
        let version = if first == Some(CREDENTIALS_V1) {
            Version::V1
        } else {
            Version::V2
        };
        if first != Some(CREDENTIALS_V2) && first != Some(CREDENTIALS_V1) {
            let later = items.iter().position(|c| {
                c.as_str() == Some(CREDENTIALS_V2) || c.as_str() == Some(CREDENTIALS_V1)
            });
            let message = match (items.first(), later) {
                (None, _) => format!("@context is empty; its first item must be {CREDENTIALS_V2}."),
                (Some(_), Some(at)) => format!(
                    "The base context is item {at} of @context; @context is ordered and {CREDENTIALS_V2} must be its first item."
                ),
                (Some(Value::String(s)), None) => format!(
                    "The first item of @context is {s:?}; it must be {CREDENTIALS_V2}."
                ),
                (Some(other), None) => format!(
                    "The first item of @context is {}; it must be the URL {CREDENTIALS_V2}.",
                    kind(other)
                ),
            };
            let pointer = if items.is_empty() {
                AT.to_owned()
            } else {
                item(AT, 0)
            };
            self.report("context-first-v2", pointer, message);
        }
        for (i, context) in items.iter().enumerate().skip(1) {
            match context {
                Value::Object(_) => {}
                Value::String(s) => {
                    if let Some(problem) = url_problem(s) {
                        self.report(
                            "context-items",
                            item(AT, i),
                            format!("@context item {s:?} {problem}; each later item must be a context URL or a context object."),
                        );
                    }
                }
                other => self.report(
                    "context-items",
                    item(AT, i),
                    format!(
                        "@context item {i} is {}; each later item must be a context URL or a context object.",
                        kind(other)
                    ),
                ),
            }
        }
        let last = items.len().saturating_sub(1);
        for (i, context) in items.iter().enumerate() {
            if context.as_str() == Some(UNDEFINED_TERMS_V2) && i != last {
                self.report(
                    "context-undefined-terms-last",
                    item(AT, i),
                    format!("{UNDEFINED_TERMS_V2} is item {i} of {}; it must be the last item of @context.", items.len()),
                );
            }
        }
        version
    }

    /// An `id` that must be a URL; `what` names it in the message ("The credential's id").
    fn id(&mut self, value: &Value, pointer: String, requirement: &'static str, what: &str) {
        match value {
            Value::String(s) => {
                if let Some(problem) = url_problem(s) {
                    self.report(
                        requirement,
                        pointer,
                        format!("{what} {s:?} {problem}; it must be a URL (such as https://…, did:… or urn:uuid:…)."),
                    );
                }
            }
            other => self.report(
                requirement,
                pointer,
                format!("{what} is {}; it must be a single URL string.", kind(other)),
            ),
        }
    }

    fn types(&mut self, doc: &Map<String, Value>) {
        let Some(types) = get(doc, "type") else {
            self.report(
                "type-present",
                "/type".into(),
                "The credential has no type; it must have a type including VerifiableCredential."
                    .into(),
            );
            return;
        };
        self.type_values(types, "/type");
        let listed: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let is_vc = |t: &&str| {
            *t == "VerifiableCredential"
                || *t == "https://www.w3.org/2018/credentials#VerifiableCredential"
        };
        if !listed.is_empty() && !listed.iter().any(is_vc) {
            self.report(
                "type-verifiable-credential",
                "/type".into(),
                format!(
                    "The credential's type ({}) does not include VerifiableCredential.",
                    listed.join(", ")
                ),
            );
        }
    }

    /// A `type` value: a term or absolute URL, or a non-empty array of them.
    fn type_values(&mut self, value: &Value, pointer: &str) {
        match value {
            Value::String(s) => self.type_term(s, pointer.to_owned()),
            Value::Array(items) if items.is_empty() => self.report(
                "type-values",
                pointer.to_owned(),
                "type is an empty list; it must hold one or more type names.".into(),
            ),
            Value::Array(items) => {
                for (i, t) in items.iter().enumerate() {
                    match t {
                        Value::String(s) => self.type_term(s, item(pointer, i)),
                        other => self.report(
                            "type-values",
                            item(pointer, i),
                            format!(
                                "A type is {}; each type must be a string (a term or an absolute URL).",
                                kind(other)
                            ),
                        ),
                    }
                }
            }
            other => self.report(
                "type-values",
                pointer.to_owned(),
                format!(
                    "type is {}; it must be a string or a list of strings.",
                    kind(other)
                ),
            ),
        }
    }

    fn type_term(&mut self, term: &str, pointer: String) {
        let problem = if term.is_empty() {
            Some("is empty".to_owned())
        } else if term.chars().any(char::is_whitespace) {
            Some("contains white space".to_owned())
        } else if term.contains(':') {
            url_problem(term).map(|p| format!("{p}, and it is not a term either"))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.report(
                "type-values",
                pointer,
                format!("The type {term:?} {problem}; a type is a term (such as VerifiableCredential) or an absolute URL."),
            );
        }
    }

    fn issuer(&mut self, doc: &Map<String, Value>, version: Version) {
        const AT: &str = "/issuer";
        match get(doc, "issuer") {
            None => self.report(
                "issuer-present",
                AT.into(),
                "The credential has no issuer; it must name its issuer by a URL (or an object with an id URL).".into(),
            ),
            Some(issuer @ Value::String(_)) => {
                self.id(issuer, AT.into(), "issuer-url", "The issuer");
            }
            Some(Value::Object(issuer)) => {
                match get(issuer, "id") {
                    Some(id) => self.id(id, child(AT, "id"), "issuer-url", "The issuer's id"),
                    None => self.report(
                        "issuer-url",
                        child(AT, "id"),
                        "The issuer object has no id; it must have an id whose value is a URL."
                            .into(),
                    ),
                }
                if version == Version::V2 {
                    self.names(issuer, AT, "The issuer's");
                }
            }
            Some(other) => self.report(
                "issuer-url",
                AT.into(),
                format!(
                    "The issuer is {}; it must be a URL or an object with an id URL.",
                    kind(other)
                ),
            ),
        }
    }

    fn subject(&mut self, doc: &Map<String, Value>) {
        const AT: &str = "/credentialSubject";
        match get(doc, "credentialSubject") {
            None => self.report(
                "subject-present",
                AT.into(),
                "The credential has no credentialSubject; it must state claims about one or more subjects.".into(),
            ),
            Some(Value::Array(subjects)) if subjects.is_empty() => self.report(
                "subject-objects",
                AT.into(),
                "credentialSubject is an empty list; it must hold one or more subjects (objects)."
                    .into(),
            ),
            Some(value @ (Value::Array(_) | Value::Object(_))) => {
                for (pointer, subject) in values(value, AT) {
                    match subject {
                        Value::Object(subject) => self.subject_object(subject, pointer),
                        other => self.report(
                            "subject-objects",
                            pointer,
                            format!(
                                "A credentialSubject is {}; each subject must be an object holding its claims.",
                                kind(other)
                            ),
                        ),
                    }
                }
            }
            Some(other) => self.report(
                "subject-objects",
                AT.into(),
                format!(
                    "credentialSubject is {}; it must be an object (or a list of objects) holding the claims.",
                    kind(other)
                ),
            ),
        }
    }

    fn subject_object(&mut self, subject: &Map<String, Value>, pointer: String) {
        let claims = subject.iter().any(|(k, v)| k != "@context" && !v.is_null());
        if !claims {
            self.report(
                "subject-non-empty",
                pointer.clone(),
                "The credential subject is empty; it must hold at least one claim (or the subject's id).".into(),
            );
        }
        if let Some(id) = get(subject, "id") {
            self.id(id, child(&pointer, "id"), "id-url", "The subject's id");
        }
    }

    /// `name` and `description` of the object at `pointer`.
    fn names(&mut self, object: &Map<String, Value>, pointer: &str, whose: &str) {
        for field in ["name", "description"] {
            let Some(value) = get(object, field) else {
                continue;
            };
            let at = child(pointer, field);
            match value {
                Value::Array(items) if items.is_empty() => self.report(
                    "name-description",
                    at,
                    format!("{whose} {field} is an empty list; it must be a string or a language value object."),
                ),
                Value::Array(_) | Value::String(_) | Value::Object(_) => {
                    for (p, v) in values(value, &at) {
                        match v {
                            Value::String(_) => {}
                            Value::Object(o) => self.language_value(o, &p, whose, field),
                            other => self.report(
                                "name-description",
                                p,
                                format!("{whose} {field} is {}; it must be a string or a language value object.", kind(other)),
                            ),
                        }
                    }
                }
                other => self.report(
                    "name-description",
                    at,
                    format!(
                        "{whose} {field} is {}; it must be a string or a language value object.",
                        kind(other)
                    ),
                ),
            }
        }
    }

    fn language_value(
        &mut self,
        object: &Map<String, Value>,
        pointer: &str,
        whose: &str,
        field: &str,
    ) {
        match object.get("@value") {
            Some(Value::String(_)) => {}
            Some(other) => self.report(
                "language-value-object",
                child(pointer, "@value"),
                format!("The @value of {whose} {field} is {}; it must be a string.", kind(other)),
            ),
            None => self.report(
                "language-value-object",
                child(pointer, "@value"),
                format!("{whose} {field} is an object without @value; a language value object holds the text in @value."),
            ),
        }
        match object.get("@language") {
            None | Some(Value::String(_)) => {}
            Some(other) => self.report(
                "language-value-object",
                child(pointer, "@language"),
                format!("The @language of {whose} {field} is {}; it must be a language tag string such as \"en\".", kind(other)),
            ),
        }
        match object.get("@direction") {
            None => {}
            Some(Value::String(d)) if d == "ltr" || d == "rtl" => {}
            Some(other) => self.report(
                "language-value-object",
                child(pointer, "@direction"),
                format!(
                    "The @direction of {whose} {field} is {other}; it must be \"ltr\" or \"rtl\"."
                ),
            ),
        }
        for key in object.keys() {
            if !matches!(key.as_str(), "@value" | "@language" | "@direction") {
                self.report(
                    "language-value-object",
                    child(pointer, key),
                    format!("{whose} {field} has the key {key:?}; a language value object holds only @value, @language and @direction."),
                );
            }
        }
    }

    /// `validFrom`, `validUntil` and their order.
    fn validity(&mut self, doc: &Map<String, Value>) {
        let from = self.date_time_stamp(doc, "validFrom", "valid-from-datetimestamp");
        let until = self.date_time_stamp(doc, "validUntil", "valid-until-datetimestamp");
        if let (Some((from_text, from)), Some((until_text, until))) = (from, until) {
            if from.instant() > until.instant() {
                self.report(
                    "validity-order",
                    "/validUntil".into(),
                    format!("validUntil {until_text:?} is earlier than validFrom {from_text:?}; a credential cannot stop being valid before it starts."),
                );
            }
        }
    }

    fn date_time_stamp<'a>(
        &mut self,
        doc: &'a Map<String, Value>,
        field: &str,
        requirement: &'static str,
    ) -> Option<(&'a str, DateTime)> {
        let value = get(doc, field)?;
        let pointer = format!("/{field}");
        let Value::String(text) = value else {
            self.report(
                requirement,
                pointer,
                format!("{field} is {}; it must be a date and time string such as 2025-01-31T09:00:00Z.", kind(value)),
            );
            return None;
        };
        match DateTime::parse(text) {
            Some(t) if t.offset_minutes.is_some() => Some((text, t)),
            Some(_) => {
                self.report(
                    requirement,
                    pointer,
                    format!("{field} {text:?} has no time zone; add Z (UTC) or an offset such as +01:00 (an XML Schema dateTimeStamp requires one)."),
                );
                None
            }
            None => {
                self.report(
                    requirement,
                    pointer,
                    format!("{field} {text:?} is not an XML Schema dateTimeStamp; write it as YYYY-MM-DDThh:mm:ss with a time zone, such as 2025-01-31T09:00:00Z or 2025-01-31T09:00:00-06:00."),
                );
                None
            }
        }
    }

    fn v1_dates(&mut self, doc: &Map<String, Value>) {
        for (field, requirement) in [
            ("issuanceDate", "v1-issuance-date-datetime"),
            ("expirationDate", "v1-expiration-date-datetime"),
        ] {
            match get(doc, field) {
                None if field == "issuanceDate" => self.report(
                    "v1-issuance-date-present",
                    "/issuanceDate".into(),
                    "This VC 1.1 credential has no issuanceDate; VC 1.1 requires one.".into(),
                ),
                None => {}
                Some(Value::String(text)) if DateTime::parse(text).is_some() => {}
                Some(value) => self.report(
                    requirement,
                    format!("/{field}"),
                    format!("{field} {value} is not an XML Schema date-time; write it as YYYY-MM-DDThh:mm:ss, best with a time zone, such as 2025-01-31T09:00:00Z."),
                ),
            }
        }
    }

    /// A property whose values are objects with a `type` (status, schema, evidence, ...);
    /// `id_rule`: the requirement of a REQUIRED id (reported when missing or not a URL);
    /// without one, an id is optional and must be a URL if present.
    fn entries(
        &mut self,
        doc: &Map<String, Value>,
        property: &str,
        type_rule: &'static str,
        id_rule: Option<&'static str>,
    ) {
        let Some(value) = get(doc, property) else {
            return;
        };
        let at = format!("/{property}");
        if value.as_array().is_some_and(Vec::is_empty) {
            self.report(
                type_rule,
                at,
                format!("{property} is an empty list; it must hold one or more objects, each with a type."),
            );
            return;
        }
        for (pointer, entry) in values(value, &at) {
            let Value::Object(entry) = entry else {
                self.report(
                    type_rule,
                    pointer,
                    format!(
                        "A {property} entry is {}; each must be an object with a type.",
                        kind(entry)
                    ),
                );
                continue;
            };
            match get(entry, "type") {
                Some(types) => self.type_values(types, &child(&pointer, "type")),
                None => self.report(
                    type_rule,
                    child(&pointer, "type"),
                    format!("A {property} entry has no type; each must say its type."),
                ),
            }
            match (get(entry, "id"), id_rule) {
                (Some(id), rule) => self.id(
                    id,
                    child(&pointer, "id"),
                    rule.unwrap_or("id-url"),
                    &format!("The {property} id"),
                ),
                (None, Some(rule)) => self.report(
                    rule,
                    child(&pointer, "id"),
                    format!("A {property} entry has no id; it must have an id URL."),
                ),
                (None, None) => {}
            }
        }
    }

    fn related_resources(&mut self, doc: &Map<String, Value>) {
        const AT: &str = "/relatedResource";
        let Some(value) = get(doc, "relatedResource") else {
            return;
        };
        if !matches!(value, Value::Object(_) | Value::Array(_))
            || value.as_array().is_some_and(Vec::is_empty)
        {
            self.report(
                "related-resource-objects",
                AT.into(),
                format!(
                    "relatedResource is {}; it must be one or more objects, each with an id and a digest.",
                    if value.is_array() { "an empty list" } else { kind(value) }
                ),
            );
            return;
        }
        let mut seen = HashSet::new();
        for (pointer, entry) in values(value, AT) {
            let Value::Object(entry) = entry else {
                self.report(
                    "related-resource-objects",
                    pointer,
                    format!(
                        "A relatedResource entry is {}; each must be an object with an id and a digestSRI or digestMultibase.",
                        kind(entry)
                    ),
                );
                continue;
            };
            match get(entry, "id") {
                None => self.report(
                    "related-resource-id",
                    child(&pointer, "id"),
                    "A relatedResource entry has no id; it must name the resource by its URL."
                        .into(),
                ),
                Some(id) => {
                    let before = self.violations.len();
                    self.id(
                        id,
                        child(&pointer, "id"),
                        "related-resource-id",
                        "The related resource id",
                    );
                    if let (Value::String(s), true) = (id, self.violations.len() == before) {
                        if !seen.insert(s.as_str()) {
                            self.report(
                                "related-resource-id-unique",
                                child(&pointer, "id"),
                                format!("The related resource {s} is listed more than once; each related resource id must be unique."),
                            );
                        }
                    }
                }
            }
            let sri = get(entry, "digestSRI");
            let multibase = get(entry, "digestMultibase");
            if sri.is_none() && multibase.is_none() {
                self.report(
                    "related-resource-digest",
                    pointer.clone(),
                    "A relatedResource entry has neither digestSRI nor digestMultibase; it must give at least one digest of the resource.".into(),
                );
            }
            if let Some(sri) = sri {
                self.digests(
                    sri,
                    &child(&pointer, "digestSRI"),
                    "related-resource-digest-sri",
                    |s| parse_sri(s).map(drop),
                );
            }
            if let Some(multibase) = multibase {
                self.digests(
                    multibase,
                    &child(&pointer, "digestMultibase"),
                    "related-resource-digest-multibase",
                    |s| parse_multibase(s).map(drop),
                );
            }
            match get(entry, "mediaType") {
                None => {}
                Some(Value::String(m)) if is_media_type(m) => {}
                Some(other) => self.report(
                    "related-resource-media-type",
                    child(&pointer, "mediaType"),
                    format!("The mediaType {other} is not a media type; write it as type/subtype, such as application/ld+json."),
                ),
            }
        }
    }

    fn digests(
        &mut self,
        value: &Value,
        pointer: &str,
        requirement: &'static str,
        parse: impl Fn(&str) -> Result<(), String>,
    ) {
        if value.as_array().is_some_and(Vec::is_empty) {
            self.report(
                requirement,
                pointer.to_owned(),
                "The digest is an empty list; give one or more digests.".into(),
            );
            return;
        }
        for (p, digest) in values(value, pointer) {
            let problem = match digest {
                Value::String(s) => parse(s).err(),
                other => Some(format!("is {}, not a digest string", kind(other))),
            };
            if let Some(problem) = problem {
                self.report(requirement, p, format!("The digest {digest} {problem}."));
            }
        }
    }
}

/// Why `s` is not an absolute URL, or `None` when it is one. DIDs (`did:method:id`) and URNs
/// (`urn:nid:nss`) are held to their own syntax; `http(s)`, `ws(s)` and `ftp` URLs need a host.
fn url_problem(s: &str) -> Option<&'static str> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Some("has no scheme (such as https:, did: or urn:), so it is not an absolute URL");
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Some("does not start with a URL scheme, so it is not an absolute URL");
    }
    if rest.is_empty() {
        return Some("has nothing after its scheme");
    }
    if s.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    }) {
        return Some("contains characters a URL cannot hold (such as spaces)");
    }
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Some("has a % that is not followed by two hexadecimal digits");
        }
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" | "ws" | "wss" | "ftp" => {
            let Some(after) = rest.strip_prefix("//") else {
                return Some("has no // and host after its scheme");
            };
            let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let (host, port) = if host_port.starts_with('[') {
                match host_port.split_once(']') {
                    Some((h, p)) => (h, p.strip_prefix(':')),
                    None => return Some("has an unclosed [ in its host"),
                }
            } else {
                match host_port.rsplit_once(':') {
                    Some((h, p)) => (h, Some(p)),
                    None => (host_port, None),
                }
            };
            if host.is_empty() {
                return Some("has no host");
            }
            if port.is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit())) {
                return Some("has a port that is not a number");
            }
            None
        }
        "did" => {
            // did = "did:" method-name ":" method-specific-id, then an optional path,
            // query or fragment (DID URL).
            let Some((method, id)) = rest.split_once(':') else {
                return Some("is not a DID (did:method:identifier)");
            };
            let method_ok = !method.is_empty()
                && method
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            let id = id.split(['/', '?', '#']).next().unwrap_or_default();
            if scheme != "did" || !method_ok || id.is_empty() {
                return Some("is not a DID (did:method:identifier)");
            }
            None
        }
        "urn" => {
            let Some((nid, nss)) = rest.split_once(':') else {
                return Some("is not a URN (urn:namespace:identifier)");
            };
            let nid_ok = (1..=32).contains(&nid.len())
                && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !nid.starts_with('-');
            if !nid_ok || nss.is_empty() {
                return Some("is not a URN (urn:namespace:identifier)");
            }
            None
        }
        _ => None,
    }
}

/// `type/subtype` (RFC 6838 restricted names), optionally followed by `;` parameters.
fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or_default().trim_end();
    let restricted = |name: &str| {
        let mut chars = name.chars();
        (1..=127).contains(&name.len())
            && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    essence
        .split_once('/')
        .is_some_and(|(t, s)| restricted(t) && restricted(s))
}

/// An XML Schema `dateTime` (and, with its time zone, `dateTimeStamp`), read exactly:
/// `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`, years of four or more digits, `24:00:00`
/// for the end of a day, offsets up to ±14:00.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// The fraction of a second's digits, without trailing zeros.
    fraction: String,
    /// The time zone offset in minutes; `None` when the text has no time zone.
    offset_minutes: Option<i32>,
}

impl DateTime {
    fn parse(text: &str) -> Option<Self> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (year, rest) = rest.split_once('-')?;
        if year.len() < 4
            || !year.chars().all(|c| c.is_ascii_digit())
            || (year.len() > 4 && year.starts_with('0'))
        {
            return None;
        }
        let year: i64 = year.parse().ok()?;
        let year = if negative { -year } else { year };
        let (date_rest, time) = rest.split_once('T')?;
        let (month, day) = date_rest.split_once('-')?;
        let month = two_digits(month)?;
        let day = two_digits(day)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        // hh:mm:ss then fraction then zone.
        let hour = two_digits(time.get(0..2)?)?;
        let minute = two_digits(time.get(3..5)?)?;
        let second = two_digits(time.get(6..8)?)?;
        if time.get(2..3)? != ":" || time.get(5..6)? != ":" {
            return None;
        }
        let mut rest = &time[8..];
        let mut fraction = String::new();
        if let Some(after_dot) = rest.strip_prefix('.') {
            let digits = after_dot
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dot.len());
            if digits == 0 {
                return None;
            }
            fraction = after_dot[..digits].trim_end_matches('0').to_owned();
            rest = &after_dot[digits..];
        }
        let offset_minutes = match rest {
            "" => None,
            "Z" => Some(0),
            zone => {
                let sign = match zone.get(0..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                if zone.len() != 6 || zone.get(3..4)? != ":" {
                    return None;
                }
                let hours = two_digits(zone.get(1..3)?)?;
                let minutes = two_digits(zone.get(4..6)?)?;
                if minutes > 59 || hours > 14 || (hours == 14 && minutes > 0) {
                    return None;
                }
                let total = i32::try_from(hours * 60 + minutes).ok()?;
                Some(sign * total)
            }
        };
        let end_of_day = hour == 24 && minute == 0 && second == 0 && fraction.is_empty();
        if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
            return None;
        }
        Some(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
            fraction,
            offset_minutes,
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z (a missing time zone read as UTC) and the
    /// fraction's digits, which compare as the instant does.
    fn instant(&self) -> Instant {
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds = i128::from(days) * 86_400
            + i128::from(self.hour) * 3600
            + i128::from(self.minute) * 60
            + i128::from(self.second)
            - i128::from(self.offset_minutes.unwrap_or(0)) * 60;
        Instant {
            seconds,
            fraction: self.fraction.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Instant {
    seconds: i128,
    fraction: String,
}

impl PartialOrd for Instant {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Instant {
    fn cmp(&self, other: &Self) -> Ordering {
        // Fractions have no trailing zeros, so comparing them as digit strings padded with
        // zeros compares their values.
        let width = self.fraction.len().max(other.fraction.len());
        let pad = |f: &str| format!("{f:0<width$}");
        self.seconds
            .cmp(&other.seconds)
            .then_with(|| pad(&self.fraction).cmp(&pad(&other.fraction)))
    }
}

/// An XML Schema `dateTime` (time zone optional, read as UTC when absent) as a chrono time,
/// when chrono can hold it: the end-of-day `24:00:00` and years beyond four digits included.
pub fn parse_xsd_date_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let instant = DateTime::parse(text)?.instant();
    let nanos: u32 = format!(
        "{:0<9}",
        instant.fraction.get(..9).unwrap_or(&instant.fraction)
    )
    .parse()
    .ok()?;
    chrono::DateTime::from_timestamp(i64::try_from(instant.seconds).ok()?, nanos)
}

fn two_digits(text: &str) -> Option<u32> {
    if text.len() == 2 && text.chars().all(|c| c.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A hash function a digest names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HashAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    fn digest_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => Sha256::digest(bytes).to_vec(),
            Self::Sha384 => Sha384::digest(bytes).to_vec(),
            Self::Sha512 => Sha512::digest(bytes).to_vec(),
        }
    }
}

/// A well-formed digest: one this verifier computes, or one it cannot (why).
#[derive(Debug, Clone, PartialEq, Eq)]
enum ParsedDigest {
    Known(HashAlgorithm, Vec<u8>),
    Unsupported(String),
}

/// Base64 that accepts padded and unpadded input.
const fn lenient(alphabet: &alphabet::Alphabet) -> GeneralPurpose {
    GeneralPurpose::new(
        alphabet,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    )
}
const BASE64: GeneralPurpose = lenient(&alphabet::STANDARD);
const BASE64_URL: GeneralPurpose = lenient(&alphabet::URL_SAFE);

/// An SRI hash-expression: `sha256-`, `sha384-` or `sha512-`, the base64 digest (the
/// alphabet of CSP's base64-value, so `-` and `_` too), then optional `?options`.
fn parse_sri(expression: &str) -> Result<ParsedDigest, String> {
    let Some((name, rest)) = expression.split_once('-') else {
        return Err("is not an SRI hash expression (sha384-<base64>)".into());
    };
    let algorithm = match name {
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        other => {
            return Err(format!(
                "names the hash {other:?}; SRI digests are sha256-, sha384- or sha512-"
            ))
        }
    };
    let value = rest.split_once('?').map_or(rest, |(v, _)| v);
    let bytes = if value.contains(['-', '_']) {
        BASE64_URL.decode(value)
    } else {
        BASE64.decode(value)
    }
    .map_err(|_| "is not base64 after its hash name".to_owned())?;
    if bytes.len() != algorithm.digest_len() {
        return Err(format!(
            "holds {} bytes, but a {name} digest is {} bytes",
            bytes.len(),
            algorithm.digest_len()
        ));
    }
    Ok(ParsedDigest::Known(algorithm, bytes))
}

/// Multibase headers this verifier decodes are `u`/`U` (base64url), `m`/`M` (base64), `z`
/// (base58btc) and `f`/`F` (hex); the other registered headers are accepted as unsupported.
const OTHER_MULTIBASE_HEADERS: &str = "079bBcCvVtThkKZpR";

/// A multibase-encoded multihash, as Data Integrity's `digestMultibase`.
fn parse_multibase(text: &str) -> Result<ParsedDigest, String> {
    let mut chars = text.chars();
    let Some(header) = chars.next() else {
        return Err("is empty".into());
    };
    let body = chars.as_str();
    let bytes = match header {
        'u' | 'U' => BASE64_URL
            .decode(body)
            .map_err(|_| "is not base64url after u")?,
        'm' | 'M' => BASE64.decode(body).map_err(|_| "is not base64 after m")?,
        'z' => bs58::decode(body)
            .into_vec()
            .map_err(|_| "is not base58btc after z")?,
        'f' | 'F' => hex::decode(body).map_err(|_| "is not hexadecimal after f")?,
        '🚀' => return Ok(ParsedDigest::Unsupported("base256emoji multibase".into())),
        h if OTHER_MULTIBASE_HEADERS.contains(h) => {
            return Ok(ParsedDigest::Unsupported(format!(
                "the multibase encoding {h:?}"
            )))
        }
        h => {
            return Err(format!(
                "does not start with a multibase header ({h:?}); use u (base64url) or z (base58btc)"
            ))
        }
    };
    let (code, rest) = varint(&bytes).ok_or("is not a multihash (no hash code)")?;
    let (length, digest) = varint(rest).ok_or("is not a multihash (no digest length)")?;
    if u64::try_from(digest.len()).ok() != Some(length) {
        return Err(format!(
            "is a multihash that announces {length} digest bytes but holds {}",
            digest.len()
        ));
    }
    let (algorithm, name) = match code {
        0x12 => (Some(HashAlgorithm::Sha256), "sha2-256"),
        0x20 => (Some(HashAlgorithm::Sha384), "sha2-384"),
        0x13 => (Some(HashAlgorithm::Sha512), "sha2-512"),
        0x16 => (None, "sha3-256"),
        0x15 => (None, "sha3-384"),
        0x14 => (None, "sha3-512"),
        _ => (None, ""),
    };
    let expected = match name {
        "sha2-256" | "sha3-256" => Some(32),
        "sha2-384" | "sha3-384" => Some(48),
        "sha2-512" | "sha3-512" => Some(64),
        _ => None,
    };
    if let Some(expected) = expected.filter(|e| *e != digest.len()) {
        return Err(format!(
            "is a {name} multihash of {} bytes; {name} digests are {expected} bytes",
            digest.len()
        ));
    }
    Ok(match algorithm {
        Some(a) => ParsedDigest::Known(a, digest.to_vec()),
        None if name.is_empty() => ParsedDigest::Unsupported(format!("multihash code {code:#x}")),
        None => ParsedDigest::Unsupported(name.to_owned()),
    })
}

/// An unsigned LEB128 varint (as multiformats use) and the bytes after it.
fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(9) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, &bytes[i + 1..]));
        }
    }
    None
}

/// The reason of [`DigestOutcome::Unknown`] when `fetch` gave no bytes.
pub const RESOURCE_NOT_OBTAINED: &str = "the resource could not be obtained";

/// What comparing a related resource with its digests showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestOutcome {
    /// The resource's bytes match every digest this verifier can compute (at least one).
    Matches,
    /// A digest does not match the resource's bytes.
    Mismatch,
    /// Why it could not be checked.
    Unknown(String),
}

/// The comparison for one `relatedResource` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedResourceCheck {
    /// The resource's id.
    pub id: String,
    /// What the comparison showed.
    pub outcome: DigestOutcome,
}

/// Checks each relatedResource digest against the bytes `fetch(id)` returns (None: cannot
/// obtain them). Entries without a string `id` are left out ([`check_credential`] reports
/// them); `mediaType` is not compared (the bytes are given, not retrieved over HTTP).
pub fn check_related_resources(
    credential: &Value,
    fetch: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<RelatedResourceCheck> {
    let Some(value) = credential.get("relatedResource") else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    for (_, entry) in values(value, "") {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            continue;
        };
        let mut digests = Vec::new();
        let mut unsupported = Vec::new();
        for (field, parse) in [
            (
                "digestSRI",
                parse_sri as fn(&str) -> Result<ParsedDigest, String>,
            ),
            ("digestMultibase", parse_multibase),
        ] {
            for (_, digest) in entry.get(field).map(|v| values(v, "")).unwrap_or_default() {
                match digest.as_str().map(parse) {
                    Some(Ok(ParsedDigest::Known(algorithm, bytes))) => {
                        digests.push((algorithm, bytes))
                    }
                    Some(Ok(ParsedDigest::Unsupported(why))) => unsupported.push(why),
                    Some(Err(problem)) => unsupported.push(format!("a {field} that {problem}")),
                    None => unsupported.push(format!("a {field} that is not a string")),
                }
            }
        }
        let outcome = if digests.is_empty() {
            DigestOutcome::Unknown(if unsupported.is_empty() {
                "it gives no digest".to_owned()
            } else {
                format!(
                    "it gives no digest this verifier can compute (only {})",
                    unsupported.join(", ")
                )
            })
        } else {
            match fetch(id) {
                None => DigestOutcome::Unknown(RESOURCE_NOT_OBTAINED.to_owned()),
                Some(bytes) => {
                    if digests
                        .iter()
                        .all(|(algorithm, digest)| algorithm.digest(&bytes) == *digest)
                    {
                        DigestOutcome::Matches
                    } else {
                        DigestOutcome::Mismatch
                    }
                }
            }
        };
        checks.push(RelatedResourceCheck {
            id: id.to_owned(),
            outcome,
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contexts::ContextSet;
    use serde_json::json;

    const ISSUER: &str = "did:example:issuer";

    /// The name of the table-driven test whose cases [`Requirement::test`] names.
    const CASES: &str = "each_requirement_is_refused";

    /// The smallest VC 2.0 credential that conforms.
    fn v2() -> Value {
        json!({
            "@context": [CREDENTIALS_V2],
            "type": ["VerifiableCredential"],
            "issuer": ISSUER,
            "credentialSubject": {"id": "did:example:subject"}
        })
    }

    /// The smallest VC 1.1 credential that conforms.
    fn v1() -> Value {
        json!({
            "@context": [CREDENTIALS_V1],
            "type": ["VerifiableCredential"],
            "issuer": ISSUER,
            "issuanceDate": "2024-01-01T00:00:00",
            "credentialSubject": {"id": "did:example:subject"}
        })
    }

    /// `base` with the top-level members of `patch` set (`null` removes one).
    fn with(mut base: Value, patch: Value) -> Value {
        if let (Some(doc), Value::Object(patch)) = (base.as_object_mut(), patch) {
            for (k, v) in patch {
                if v.is_null() {
                    doc.remove(&k);
                } else {
                    doc.insert(k, v);
                }
            }
        }
        base
    }

    fn bundled(url: &str) -> &'static str {
        ContextSet::standard().load(url).unwrap_or_default()
    }

    fn sri(algorithm: HashAlgorithm, bytes: &[u8]) -> String {
        let name = match algorithm {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        };
        format!("{name}-{}", BASE64.encode(algorithm.digest(bytes)))
    }

    fn multihash(algorithm: HashAlgorithm, bytes: &[u8]) -> Vec<u8> {
        let code = match algorithm {
            HashAlgorithm::Sha256 => 0x12,
            HashAlgorithm::Sha384 => 0x20,
            HashAlgorithm::Sha512 => 0x13,
        };
        let digest = algorithm.digest(bytes);
        let mut out = vec![code, u8::try_from(digest.len()).unwrap_or_default()];
        out.extend(digest);
        out
    }

    fn multibase_u(algorithm: HashAlgorithm, bytes: &[u8]) -> String {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("u{}", URL_SAFE_NO_PAD.encode(multihash(algorithm, bytes)))
    }

    fn multibase_z(algorithm: HashAlgorithm, bytes: &[u8]) -> String {
        format!(
            "z{}",
            bs58::encode(multihash(algorithm, bytes)).into_string()
        )
    }

    /// A related resource pinning the bundled VC 2.0 context.
    fn pinned_v2_context() -> Value {
        json!({
            "id": CREDENTIALS_V2,
            "digestSRI": sri(HashAlgorithm::Sha384, bundled(CREDENTIALS_V2).as_bytes()),
            "mediaType": "application/ld+json"
        })
    }

    /// Every optional property the checks know, in a conforming form.
    fn v2_full() -> Value {
        with(
            v2(),
            json!({
                "@context": [CREDENTIALS_V2, "https://www.w3.org/ns/credentials/examples/v2", {"ex": "https://example.org/vocab#"}],
                "id": "urn:uuid:9a0b6c5e-1111-4c0c-9a47-6a8e3bba0b11",
                "type": ["VerifiableCredential", "https://example.org/vocab#ExampleCredential"],
                "name": "Example",
                "description": [{"@value": "Exemple", "@language": "fr"}, {"@value": "مثال", "@language": "ar", "@direction": "rtl"}],
                "issuer": {"id": "https://issuer.example/", "name": {"@value": "Issuer", "@language": "en"}},
                "validFrom": "2024-01-01T00:00:00Z",
                "validUntil": "2024-01-01T01:00:00+01:00",
                "credentialSubject": [{"id": "did:example:a"}, {"name": "B"}],
                "credentialStatus": [{"id": "https://issuer.example/status/1#3", "type": "BitstringStatusListEntry"}],
                "credentialSchema": {"id": "https://issuer.example/schema.json", "type": "JsonSchema"},
                "refreshService": {"type": "ex:Refresh"},
                "termsOfUse": {"type": "ex:Policy", "id": "https://issuer.example/policy"},
                "evidence": [{"type": ["ex:Evidence"], "id": "https://issuer.example/evidence/1"}],
                "renderMethod": {"type": "ex:Render"},
                "confidenceMethod": [{"type": "ex:Confidence"}],
                "relatedResource": [
                    pinned_v2_context(),
                    {"id": "https://issuer.example/logo.png", "digestMultibase": multibase_z(HashAlgorithm::Sha256, b"logo"), "mediaType": "image/png"}
                ]
            }),
        )
    }

    /// A case: a conforming credential broken in one way, the one requirement that names it,
    /// and where.
    struct Case {
        name: &'static str,
        requirement: &'static str,
        pointer: &'static str,
        document: Value,
    }

    fn case(
        name: &'static str,
        requirement: &'static str,
        pointer: &'static str,
        document: Value,
    ) -> Case {
        Case {
            name,
            requirement,
            pointer,
            document,
        }
    }

    /// Every refusing case. The first case of each requirement bears its id as its name, the
    /// case [`Requirement::test`] names.
    fn cases() -> Vec<Case> {
        let rr = |entries: Value| with(v2(), json!({"relatedResource": entries}));
        let sha256_x = sri(HashAlgorithm::Sha256, b"x");
        vec![
            case(
                "credential-object",
                "credential-object",
                "",
                json!(["VerifiableCredential"]),
            ),
            case(
                "context-present",
                "context-present",
                "/@context",
                with(v2(), json!({"@context": null})),
            ),
            case(
                "context-ordered-set",
                "context-ordered-set",
                "/@context",
                with(v2(), json!({"@context": CREDENTIALS_V2})),
            ),
            case(
                "context-first-v2",
                "context-first-v2",
                "/@context/0",
                with(
                    v2(),
                    json!({"@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", CREDENTIALS_V2]}),
                ),
            ),
            case(
                "context-first-v2 (other URL)",
                "context-first-v2",
                "/@context/0",
                with(
                    v2(),
                    json!({"@context": ["https://www.w3.org/ns/credentials/v3"]}),
                ),
            ),
            case(
                "context-first-v2 (empty)",
                "context-first-v2",
                "/@context",
                with(v2(), json!({"@context": []})),
            ),
            case(
                "context-items",
                "context-items",
                "/@context/1",
                with(v2(), json!({"@context": [CREDENTIALS_V2, 42]})),
            ),
            case(
                "context-items (not a URL)",
                "context-items",
                "/@context/2",
                with(
                    v2(),
                    json!({"@context": [CREDENTIALS_V2, {}, "examples/v2"]}),
                ),
            ),
            case(
                "context-undefined-terms-last",
                "context-undefined-terms-last",
                "/@context/1",
                with(
                    v2(),
                    json!({"@context": [CREDENTIALS_V2, UNDEFINED_TERMS_V2, "https://www.w3.org/ns/credentials/examples/v2"]}),
                ),
            ),
            case(
                "id-url",
                "id-url",
                "/id",
                with(v2(), json!({"id": "credential-1"})),
            ),
            case(
                "id-url (space)",
                "id-url",
                "/id",
                with(v2(), json!({"id": "https://exa mple.org/1"})),
            ),
            case(
                "id-url (no host)",
                "id-url",
                "/id",
                with(v2(), json!({"id": "http://"})),
            ),
            case(
                "id-url (array)",
                "id-url",
                "/id",
                with(v2(), json!({"id": ["urn:uuid:1", "urn:uuid:2"]})),
            ),
            case(
                "id-url (bad DID)",
                "id-url",
                "/id",
                with(v2(), json!({"id": "did:Example"})),
            ),
            case(
                "id-url (subject)",
                "id-url",
                "/credentialSubject/id",
                with(v2(), json!({"credentialSubject": {"id": "subject 1"}})),
            ),
            case(
                "id-url (second subject)",
                "id-url",
                "/credentialSubject/1/id",
                with(
                    v2(),
                    json!({"credentialSubject": [{"id": "did:example:a"}, {"id": "b"}]}),
                ),
            ),
            case(
                "id-url (status)",
                "id-url",
                "/credentialStatus/id",
                with(
                    v2(),
                    json!({"credentialStatus": {"id": "status#1", "type": "BitstringStatusListEntry"}}),
                ),
            ),
            case(
                "id-url (evidence)",
                "id-url",
                "/evidence/0/id",
                with(
                    v2(),
                    json!({"evidence": [{"id": "%zz", "type": "Evidence"}]}),
                ),
            ),
            case(
                "id-url (terms of use)",
                "id-url",
                "/termsOfUse/id",
                with(
                    v2(),
                    json!({"termsOfUse": {"id": "policy", "type": "IssuerPolicy"}}),
                ),
            ),
            case(
                "id-url (refresh service)",
                "id-url",
                "/refreshService/id",
                with(
                    v2(),
                    json!({"refreshService": {"id": "urn:", "type": "Refresh"}}),
                ),
            ),
            case(
                "type-present",
                "type-present",
                "/type",
                with(v2(), json!({"type": null})),
            ),
            case(
                "type-values",
                "type-values",
                "/type/1",
                with(v2(), json!({"type": ["VerifiableCredential", 7]})),
            ),
            case(
                "type-values (empty)",
                "type-values",
                "/type",
                with(v2(), json!({"type": []})),
            ),
            case(
                "type-values (space)",
                "type-values",
                "/type/1",
                with(
                    v2(),
                    json!({"type": ["VerifiableCredential", "My Credential"]}),
                ),
            ),
            case(
                "type-values (status)",
                "type-values",
                "/credentialStatus/type",
                with(v2(), json!({"credentialStatus": {"type": {"name": "x"}}})),
            ),
            case(
                "type-verifiable-credential",
                "type-verifiable-credential",
                "/type",
                with(v2(), json!({"type": ["OpenBadgeCredential"]})),
            ),
            case(
                "name-description",
                "name-description",
                "/name",
                with(v2(), json!({"name": 42})),
            ),
            case(
                "name-description (issuer)",
                "name-description",
                "/issuer/description",
                with(v2(), json!({"issuer": {"id": ISSUER, "description": true}})),
            ),
            case(
                "name-description (issuer, list)",
                "name-description",
                "/issuer/description/1",
                with(
                    v2(),
                    json!({"issuer": {"id": ISSUER, "description": ["fine", true]}}),
                ),
            ),
            case(
                "language-value-object",
                "language-value-object",
                "/name/@value",
                with(v2(), json!({"name": {"@language": "en"}})),
            ),
            case(
                "language-value-object (direction)",
                "language-value-object",
                "/description/@direction",
                with(
                    v2(),
                    json!({"description": {"@value": "x", "@direction": "up"}}),
                ),
            ),
            case(
                "language-value-object (extra key, escaped)",
                "language-value-object",
                "/name/0/a~1b~0c",
                with(v2(), json!({"name": [{"@value": "x", "a/b~c": 1}]})),
            ),
            case(
                "issuer-present",
                "issuer-present",
                "/issuer",
                with(v2(), json!({"issuer": null})),
            ),
            case(
                "issuer-url",
                "issuer-url",
                "/issuer",
                with(v2(), json!({"issuer": "Example University"})),
            ),
            case(
                "issuer-url (no id)",
                "issuer-url",
                "/issuer/id",
                with(v2(), json!({"issuer": {"name": "Example University"}})),
            ),
            case(
                "issuer-url (bad id)",
                "issuer-url",
                "/issuer/id",
                with(v2(), json!({"issuer": {"id": "issuer-1"}})),
            ),
            case(
                "issuer-url (array)",
                "issuer-url",
                "/issuer",
                with(v2(), json!({"issuer": [ISSUER]})),
            ),
            case(
                "subject-present",
                "subject-present",
                "/credentialSubject",
                with(v2(), json!({"credentialSubject": null})),
            ),
            case(
                "subject-objects",
                "subject-objects",
                "/credentialSubject",
                with(v2(), json!({"credentialSubject": "did:example:subject"})),
            ),
            case(
                "subject-objects (empty list)",
                "subject-objects",
                "/credentialSubject",
                with(v2(), json!({"credentialSubject": []})),
            ),
            case(
                "subject-objects (string item)",
                "subject-objects",
                "/credentialSubject/1",
                with(
                    v2(),
                    json!({"credentialSubject": [{"id": "did:example:a"}, "did:example:b"]}),
                ),
            ),
            case(
                "subject-non-empty",
                "subject-non-empty",
                "/credentialSubject",
                with(v2(), json!({"credentialSubject": {}})),
            ),
            case(
                "subject-non-empty (second)",
                "subject-non-empty",
                "/credentialSubject/1",
                with(
                    v2(),
                    json!({"credentialSubject": [{"id": "did:example:a"}, {}]}),
                ),
            ),
            case(
                "valid-from-datetimestamp",
                "valid-from-datetimestamp",
                "/validFrom",
                with(
                    v2(),
                    json!({"validFrom": "Sat 25 Feb 2023 07:16:31 PM CST"}),
                ),
            ),
            case(
                "valid-from-datetimestamp (no zone)",
                "valid-from-datetimestamp",
                "/validFrom",
                with(v2(), json!({"validFrom": "2023-02-25T19:16:31"})),
            ),
            case(
                "valid-from-datetimestamp (date only)",
                "valid-from-datetimestamp",
                "/validFrom",
                with(v2(), json!({"validFrom": "2023-02-25"})),
            ),
            case(
                "valid-from-datetimestamp (30 February)",
                "valid-from-datetimestamp",
                "/validFrom",
                with(v2(), json!({"validFrom": "2023-02-30T00:00:00Z"})),
            ),
            case(
                "valid-from-datetimestamp (lower-case z)",
                "valid-from-datetimestamp",
                "/validFrom",
                with(v2(), json!({"validFrom": "2023-02-25T19:16:31z"})),
            ),
            case(
                "valid-from-datetimestamp (number)",
                "valid-from-datetimestamp",
                "/validFrom",
                with(v2(), json!({"validFrom": 1_677_352_591})),
            ),
            case(
                "valid-until-datetimestamp",
                "valid-until-datetimestamp",
                "/validUntil",
                with(v2(), json!({"validUntil": "2030-01-01 00:00:00Z"})),
            ),
            case(
                "valid-until-datetimestamp (offset +15:00)",
                "valid-until-datetimestamp",
                "/validUntil",
                with(v2(), json!({"validUntil": "2030-01-01T00:00:00+15:00"})),
            ),
            case(
                "validity-order",
                "validity-order",
                "/validUntil",
                with(
                    v2(),
                    json!({"validFrom": "2024-01-01T00:00:00Z", "validUntil": "2024-01-01T00:59:59.9+01:00"}),
                ),
            ),
            case(
                "v2-no-v1-dates",
                "v2-no-v1-dates",
                "/issuanceDate",
                with(v2(), json!({"issuanceDate": "2024-01-01T00:00:00Z"})),
            ),
            case(
                "v2-no-v1-dates (expirationDate)",
                "v2-no-v1-dates",
                "/expirationDate",
                with(v2(), json!({"expirationDate": "2024-01-01T00:00:00Z"})),
            ),
            case(
                "status-type",
                "status-type",
                "/credentialStatus/type",
                with(
                    v2(),
                    json!({"credentialStatus": {"id": "https://issuer.example/status/1#4"}}),
                ),
            ),
            case(
                "status-type (second)",
                "status-type",
                "/credentialStatus/1/type",
                with(
                    v2(),
                    json!({"credentialStatus": [{"type": "BitstringStatusListEntry"}, {"statusPurpose": "revocation"}]}),
                ),
            ),
            case(
                "status-type (string)",
                "status-type",
                "/credentialStatus",
                with(
                    v2(),
                    json!({"credentialStatus": "https://issuer.example/status/1"}),
                ),
            ),
            case(
                "status-type (empty list)",
                "status-type",
                "/credentialStatus",
                with(v2(), json!({"credentialStatus": []})),
            ),
            case(
                "schema-type",
                "schema-type",
                "/credentialSchema/type",
                with(
                    v2(),
                    json!({"credentialSchema": {"id": "https://issuer.example/schema.json"}}),
                ),
            ),
            case(
                "schema-id",
                "schema-id",
                "/credentialSchema/id",
                with(v2(), json!({"credentialSchema": {"type": "JsonSchema"}})),
            ),
            case(
                "schema-id (not a URL)",
                "schema-id",
                "/credentialSchema/0/id",
                with(
                    v2(),
                    json!({"credentialSchema": [{"type": "JsonSchema", "id": "schema.json"}]}),
                ),
            ),
            case(
                "related-resource-objects",
                "related-resource-objects",
                "/relatedResource/0",
                rr(json!(["https://www.w3.org/ns/credentials/v2"])),
            ),
            case(
                "related-resource-objects (string)",
                "related-resource-objects",
                "/relatedResource",
                rr(json!("https://www.w3.org/ns/credentials/v2")),
            ),
            case(
                "related-resource-objects (empty)",
                "related-resource-objects",
                "/relatedResource",
                rr(json!([])),
            ),
            case(
                "related-resource-id",
                "related-resource-id",
                "/relatedResource/1/id",
                rr(json!([pinned_v2_context(), {"digestSRI": sha256_x}])),
            ),
            case(
                "related-resource-id (not a URL)",
                "related-resource-id",
                "/relatedResource/id",
                rr(json!({"id": "logo.png", "digestSRI": sha256_x})),
            ),
            case(
                "related-resource-id-unique",
                "related-resource-id-unique",
                "/relatedResource/1/id",
                rr(json!([pinned_v2_context(), pinned_v2_context()])),
            ),
            case(
                "related-resource-digest",
                "related-resource-digest",
                "/relatedResource/0",
                rr(json!([{"id": "https://issuer.example/logo.png"}])),
            ),
            case(
                "related-resource-digest-sri",
                "related-resource-digest-sri",
                "/relatedResource/0/digestSRI",
                rr(json!([{"id": CREDENTIALS_V2, "digestSRI": "md5-1B2M2Y8AsgTpgAmY7PhCfg=="}])),
            ),
            case(
                "related-resource-digest-sri (short)",
                "related-resource-digest-sri",
                "/relatedResource/0/digestSRI",
                rr(json!([{"id": CREDENTIALS_V2, "digestSRI": "sha384-abc"}])),
            ),
            case(
                "related-resource-digest-sri (not base64)",
                "related-resource-digest-sri",
                "/relatedResource/0/digestSRI/1",
                rr(json!([{"id": CREDENTIALS_V2, "digestSRI": [sha256_x, "sha256-!!"]}])),
            ),
            case(
                "related-resource-digest-multibase",
                "related-resource-digest-multibase",
                "/relatedResource/0/digestMultibase",
                rr(json!([{"id": CREDENTIALS_V2, "digestMultibase": "x1234"}])),
            ),
            case(
                "related-resource-digest-multibase (length)",
                "related-resource-digest-multibase",
                "/relatedResource/0/digestMultibase",
                rr(
                    json!([{"id": CREDENTIALS_V2, "digestMultibase": format!("z{}", bs58::encode([0x12, 0x20, 1, 2, 3]).into_string())}]),
                ),
            ),
            case(
                "related-resource-digest-multibase (sha2-256 of 16 bytes)",
                "related-resource-digest-multibase",
                "/relatedResource/0/digestMultibase",
                rr(
                    json!([{"id": CREDENTIALS_V2, "digestMultibase": format!("f1210{}", "00".repeat(16))}]),
                ),
            ),
            case(
                "related-resource-media-type",
                "related-resource-media-type",
                "/relatedResource/0/mediaType",
                rr(json!([with(pinned_v2_context(), json!({"mediaType": 42}))])),
            ),
            case(
                "related-resource-media-type (no subtype)",
                "related-resource-media-type",
                "/relatedResource/0/mediaType",
                rr(json!([with(
                    pinned_v2_context(),
                    json!({"mediaType": "json"})
                )])),
            ),
            case(
                "refresh-service-type",
                "refresh-service-type",
                "/refreshService/type",
                with(
                    v2(),
                    json!({"refreshService": {"id": "https://issuer.example/refresh"}}),
                ),
            ),
            case(
                "terms-of-use-type",
                "terms-of-use-type",
                "/termsOfUse/0/type",
                with(
                    v2(),
                    json!({"termsOfUse": [{"id": "https://issuer.example/policy"}]}),
                ),
            ),
            case(
                "evidence-type",
                "evidence-type",
                "/evidence/type",
                with(
                    v2(),
                    json!({"evidence": {"id": "https://issuer.example/evidence/1"}}),
                ),
            ),
            case(
                "evidence-type (string)",
                "evidence-type",
                "/evidence/0",
                with(
                    v2(),
                    json!({"evidence": ["https://issuer.example/evidence/1"]}),
                ),
            ),
            case(
                "reserved-type",
                "reserved-type",
                "/renderMethod/type",
                with(
                    v2(),
                    json!({"renderMethod": {"id": "https://issuer.example/render"}}),
                ),
            ),
            case(
                "reserved-type (confidenceMethod)",
                "reserved-type",
                "/confidenceMethod/0/type",
                with(v2(), json!({"confidenceMethod": [{}]})),
            ),
            case(
                "v1-issuance-date-present",
                "v1-issuance-date-present",
                "/issuanceDate",
                with(v1(), json!({"issuanceDate": null})),
            ),
            case(
                "v1-issuance-date-datetime",
                "v1-issuance-date-datetime",
                "/issuanceDate",
                with(v1(), json!({"issuanceDate": "2024-01-01"})),
            ),
            case(
                "v1-expiration-date-datetime",
                "v1-expiration-date-datetime",
                "/expirationDate",
                with(v1(), json!({"expirationDate": "1 Jan 2030"})),
            ),
            case(
                "v1-status-id",
                "v1-status-id",
                "/credentialStatus/id",
                with(
                    v1(),
                    json!({"credentialStatus": {"type": "StatusList2021Entry"}}),
                ),
            ),
            case(
                "v1-status-id (not a URL)",
                "v1-status-id",
                "/credentialStatus/id",
                with(
                    v1(),
                    json!({"credentialStatus": {"id": "status 1", "type": "StatusList2021Entry"}}),
                ),
            ),
            case(
                "v1-refresh-service-id",
                "v1-refresh-service-id",
                "/refreshService/id",
                with(
                    v1(),
                    json!({"refreshService": {"type": "ManualRefreshService2018"}}),
                ),
            ),
            case(
                "v1: type rules hold",
                "type-verifiable-credential",
                "/type",
                with(v1(), json!({"type": "AlumniCredential"})),
            ),
            case(
                "v1: subject rules hold",
                "subject-non-empty",
                "/credentialSubject",
                with(v1(), json!({"credentialSubject": {}})),
            ),
            case(
                "v1: issuer rules hold",
                "issuer-url",
                "/issuer/id",
                with(v1(), json!({"issuer": {"name": "x"}})),
            ),
            case(
                "v1: schema rules hold",
                "schema-id",
                "/credentialSchema/id",
                with(
                    v1(),
                    json!({"credentialSchema": {"type": "JsonSchemaValidator2018"}}),
                ),
            ),
        ]
    }

    /// Documents that conform, including the forms the cases break.
    fn conforming() -> Vec<(&'static str, Value)> {
        vec![
            ("minimal 2.0", v2()),
            ("minimal 1.1", v1()),
            ("every optional property", v2_full()),
            (
                "1.1 with optional properties",
                with(
                    v1(),
                    json!({
                        "@context": [CREDENTIALS_V1, "https://w3id.org/security/data-integrity/v2"],
                        "expirationDate": "2030-01-01T00:00:00.5-05:00",
                        "credentialStatus": {"id": "https://issuer.example/status#1", "type": "StatusList2021Entry"},
                        "refreshService": {"id": "https://issuer.example/refresh", "type": "ManualRefreshService2018"},
                        "credentialSchema": {"id": "https://issuer.example/schema", "type": "JsonSchemaValidator2018"}
                    }),
                ),
            ),
            (
                "issuer as object",
                with(
                    v2(),
                    json!({"issuer": {"id": "https://issuer.example/issuers/1"}}),
                ),
            ),
            (
                "type as one string",
                with(v2(), json!({"type": "VerifiableCredential"})),
            ),
            (
                "subject without id",
                with(v2(), json!({"credentialSubject": {"name": "Alice"}})),
            ),
            (
                "end of day, wide year, negative offset",
                with(
                    v2(),
                    json!({"validFrom": "2024-12-31T24:00:00Z", "validUntil": "12024-01-01T00:00:00.000-14:00"}),
                ),
            ),
            (
                "same instant",
                with(
                    v2(),
                    json!({"validFrom": "2024-01-01T00:00:00Z", "validUntil": "2024-01-01T01:00:00.000+01:00"}),
                ),
            ),
            (
                "undefined terms last",
                with(
                    v2(),
                    json!({"@context": [CREDENTIALS_V2, UNDEFINED_TERMS_V2]}),
                ),
            ),
            (
                "related resources by multibase u",
                with(
                    v2(),
                    json!({"relatedResource": {"id": CREDENTIALS_V2, "digestMultibase": multibase_u(HashAlgorithm::Sha256, b"x")}}),
                ),
            ),
            (
                "related resource with sha3 and base32",
                with(
                    v2(),
                    json!({"relatedResource": [
                        {"id": "https://a.example/", "digestMultibase": format!("f1620{}", "ab".repeat(32))},
                        {"id": "https://b.example/", "digestMultibase": "bciqa"}
                    ]}),
                ),
            ),
            (
                "null optional members",
                with(v2(), json!({"id": Value::Null})),
            ),
        ]
    }

    #[test]
    fn v1_dates_are_plain_claims_under_a_vocabulary() {
        // W3C's examples context defines @vocab, so issuanceDate is then a defined term.
        let mut doc = with(v2(), json!({"expirationDate": "2030-01-01T00:00:00Z"}));
        doc["@context"] = json!([CREDENTIALS_V2, crate::contexts::CREDENTIALS_EXAMPLES_V2]);
        assert_eq!(check_credential(&doc), []);
        doc["@context"] = json!([CREDENTIALS_V2, {"@vocab": "https://example.org/#"}]);
        assert_eq!(check_credential(&doc), []);
    }

    #[test]
    fn each_requirement_is_refused() {
        let mut failures = Vec::new();
        for case in cases() {
            let found = check_credential(&case.document);
            let expected = [(case.requirement, case.pointer)];
            let got: Vec<(&str, &str)> = found
                .iter()
                .map(|v| (v.requirement, v.pointer.as_str()))
                .collect();
            if got != expected {
                failures.push(format!(
                    "{}: expected {expected:?}, got {found:#?}",
                    case.name
                ));
            }
            for v in &found {
                assert!(!v.message.is_empty(), "{}: empty message", case.name);
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_violation_names_a_requirement_and_every_requirement_has_its_case() {
        let cases = cases();
        for case in &cases {
            for v in check_credential(&case.document) {
                assert!(
                    requirement(v.requirement).is_some(),
                    "{}: {}",
                    case.name,
                    v.requirement
                );
            }
        }
        let mut ids = HashSet::new();
        for r in REQUIREMENTS {
            assert!(ids.insert(r.id), "{} is listed twice", r.id);
            assert!(!r.text.is_empty() && !r.section.is_empty());
            if r.checked_at == BOTH {
                let named = r
                    .test
                    .strip_prefix(CASES)
                    .and_then(|t| t.strip_prefix('/'))
                    .unwrap_or_default();
                let case = cases.iter().find(|c| c.name == named);
                assert!(
                    case.is_some_and(|c| c.requirement == r.id),
                    "{}: its test {} is not a case of {}",
                    r.id,
                    r.test,
                    r.id
                );
            } else {
                assert_eq!(r.test, "related_resource_digests_are_compared", "{}", r.id);
            }
        }
    }

    #[test]
    fn conforming_documents_have_no_violation() {
        for (name, doc) in conforming() {
            assert_eq!(check_credential(&doc), Vec::new(), "{name}");
        }
    }

    fn vector(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn published_vectors_conform() {
        let documents = [
            (
                "vc-di-eddsa unsigned",
                include_str!("../../../tests/vectors/vc-di-eddsa/unsigned.json"),
            ),
            (
                "vc-di-eddsa employmentAuth",
                include_str!("../../../tests/vectors/vc-di-eddsa/employmentAuth.json"),
            ),
            (
                "vc-di-eddsa rdfc signed",
                include_str!(
                    "../../../tests/vectors/vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"
                ),
            ),
            (
                "vc-di-eddsa rdfc employ signed",
                include_str!(
                    "../../../tests/vectors/vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json"
                ),
            ),
            (
                "vc-di-eddsa jcs signed",
                include_str!("../../../tests/vectors/vc-di-eddsa/eddsa-jcs-2022/signedJCS.json"),
            ),
            (
                "vc-di-eddsa proof set",
                include_str!(
                    "../../../tests/vectors/vc-di-eddsa/proof-set-chain/signedProofSet2.json"
                ),
            ),
            (
                "vc-di-eddsa proof chain",
                include_str!(
                    "../../../tests/vectors/vc-di-eddsa/proof-set-chain/signedProofChain2.json"
                ),
            ),
            (
                "vc-di-eddsa proof-set-chain unsigned",
                include_str!("../../../tests/vectors/vc-di-eddsa/proof-set-chain/unsigned.json"),
            ),
            (
                "OB 3.0 achievementAlignmentCase",
                include_str!(
                    "../../../tests/vectors/1edtech-examples/achievementAlignmentCase.json"
                ),
            ),
            (
                "OB 3.0 achievementAlignmentCe",
                include_str!("../../../tests/vectors/1edtech-examples/achievementAlignmentCe.json"),
            ),
            (
                "OB 3.0 basicOpenBadgeCredential",
                include_str!(
                    "../../../tests/vectors/1edtech-examples/basicOpenBadgeCredential.json"
                ),
            ),
            (
                "OB 3.0 endorsement",
                include_str!("../../../tests/vectors/1edtech-examples/endorsement.json"),
            ),
            (
                "OB 3.0 fullOpenBadge",
                include_str!("../../../tests/vectors/1edtech-examples/fullOpenBadge.json"),
            ),
            (
                "OB 3.0 skillAssertionCase",
                include_str!("../../../tests/vectors/1edtech-examples/skillAssertionCase.json"),
            ),
            (
                "OB 3.0 skillAssertionCtdl",
                include_str!("../../../tests/vectors/1edtech-examples/skillAssertionCtdl.json"),
            ),
            (
                "warm-up OB 3.0 credential",
                include_str!("../contexts/warm-up-ob3-credential.json"),
            ),
            (
                "1EdTech OB 3.0 signed",
                include_str!("../../../tests/vectors/1edtech-ob3/ob-signed.json"),
            ),
            (
                "1EdTech OB 3.0 unsigned",
                include_str!("../../../tests/vectors/1edtech-ob3/ob-unsigned.json"),
            ),
            (
                "OB 3.0 interop unsigned",
                include_str!("../../../tests/vectors/ob3-interop/ob3-unsigned.json"),
            ),
            (
                "OB 3.0 signed by JS",
                include_str!("../../../tests/vectors/ob3-interop/ob3-signed-by-js.json"),
            ),
            (
                "Credence award",
                include_str!("../../../tests/vectors/credence/award-foundational.json"),
            ),
        ];
        let mut failures = Vec::new();
        for (name, text) in documents {
            let found = check_credential(&vector(text));
            if !found.is_empty() {
                failures.push(format!("{name}: {found:#?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn related_resource_digests_are_compared() {
        let v2_bytes = bundled(CREDENTIALS_V2).as_bytes();
        let fetch =
            |id: &str| -> Option<Vec<u8>> { (id == CREDENTIALS_V2).then(|| v2_bytes.to_vec()) };
        let doc = with(
            v2(),
            json!({"relatedResource": [
                {"id": CREDENTIALS_V2, "digestSRI": sri(HashAlgorithm::Sha384, v2_bytes)},
                {"id": CREDENTIALS_V2, "digestSRI": sri(HashAlgorithm::Sha256, b"something else")},
                {"id": CREDENTIALS_V2, "digestMultibase": multibase_u(HashAlgorithm::Sha256, v2_bytes)},
                {"id": CREDENTIALS_V2, "digestMultibase": multibase_z(HashAlgorithm::Sha512, v2_bytes), "digestSRI": [sri(HashAlgorithm::Sha512, v2_bytes)]},
                {"id": CREDENTIALS_V2, "digestMultibase": multibase_z(HashAlgorithm::Sha384, v2_bytes), "digestSRI": sri(HashAlgorithm::Sha256, b"x")},
                {"id": "https://issuer.example/logo.png", "digestSRI": sri(HashAlgorithm::Sha256, b"logo")},
                {"id": CREDENTIALS_V2, "digestMultibase": format!("f1620{}", "ab".repeat(32))},
                {"id": CREDENTIALS_V2},
                "https://www.w3.org/ns/credentials/v2",
            ]}),
        );
        let outcomes: Vec<DigestOutcome> = check_related_resources(&doc, &fetch)
            .into_iter()
            .map(|c| c.outcome)
            .collect();
        let unknown = |why: &str| DigestOutcome::Unknown(why.to_owned());
        assert_eq!(
            outcomes,
            vec![
                DigestOutcome::Matches,
                DigestOutcome::Mismatch,
                DigestOutcome::Matches,
                DigestOutcome::Matches,
                DigestOutcome::Mismatch,
                unknown("the resource could not be obtained"),
                unknown("it gives no digest this verifier can compute (only sha3-256)"),
                unknown("it gives no digest"),
            ]
        );
        // The bundled VC 2.0 context is the file whose SHA-256 the specification publishes.
        assert_eq!(
            hex::encode(Sha256::digest(v2_bytes)),
            "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
        );
    }

    #[test]
    fn verification_reports_the_data_model_and_related_resources() {
        use crate::did::StaticResolver;
        use crate::verify::{verify_credential, OfflineFetcher, Outcome, VerifyContext};
        let resolver = StaticResolver::new();
        let now = parse_xsd_date_time("2026-06-01T00:00:00Z").unwrap_or_default();
        let ctx = VerifyContext::new(now, &resolver, &OfflineFetcher);
        let outcome = |doc: &Value, code: &str| {
            let report = verify_credential(doc, &ctx);
            report.check(code).map(|c| (c.outcome, c.message.clone()))
        };
        let passed = outcome(&v2(), "data_model");
        assert_eq!(passed.map(|(o, _)| o), Some(Outcome::Passed));
        assert_eq!(outcome(&v2(), "related_resource"), None);
        let empty = with(
            v2(),
            json!({"credentialSubject": {}, "validFrom": "2024-01-01"}),
        );
        let failed = outcome(&empty, "data_model").unwrap_or((Outcome::Passed, String::new()));
        assert_eq!(failed.0, Outcome::Failed);
        assert!(
            failed.1.contains("at /credentialSubject, ") && failed.1.contains("1 more"),
            "{}",
            failed.1
        );
        let v2_bytes = bundled(CREDENTIALS_V2).as_bytes();
        let pinned = |entries: Value| with(v2(), json!({"relatedResource": entries}));
        let good = json!({"id": CREDENTIALS_V2, "digestSRI": sri(HashAlgorithm::Sha384, v2_bytes)});
        let other = json!({"id": "https://issuer.example/logo.png", "digestSRI": sri(HashAlgorithm::Sha256, b"logo")});
        let changed = json!({"id": CREDENTIALS_V2, "digestMultibase": multibase_z(HashAlgorithm::Sha256, b"v1")});
        for (entries, expected) in [
            (json!([good]), Outcome::Passed),
            (json!([good, other]), Outcome::Unknown),
            (json!([other, changed]), Outcome::Failed),
            (json!("not an object"), Outcome::Unknown),
        ] {
            let found = outcome(&pinned(entries.clone()), "related_resource").map(|(o, _)| o);
            assert_eq!(found, Some(expected), "{entries}");
        }
    }

    #[test]
    fn pointers_are_escaped() {
        assert_eq!(escape_pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(escape_pointer_token("~1"), "~01");
        assert_eq!(escape_pointer_token("plain"), "plain");
    }

    #[test]
    fn date_times_are_read_as_xml_schema_does() {
        for good in [
            "2024-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999999+14:00",
            "-0044-03-15T12:00:00-00:30",
            "0000-01-01T00:00:00Z",
            "2023-12-31T24:00:00Z",
        ] {
            assert!(
                DateTime::parse(good).is_some_and(|t| t.offset_minutes.is_some()),
                "{good}"
            );
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "24-01-01T00:00:00Z",
            "02024-01-01T00:00:00Z",
            "2024-1-01T00:00:00Z",
            "2024-01-01T24:00:01Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T23:59:60Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+1:00",
            "2024-01-01T00:00:00+14:30",
            "2024-01-01t00:00:00Z",
            "2024-01-01T00:00:00ZZ",
        ] {
            assert!(DateTime::parse(bad).is_none(), "{bad}");
        }
        let end_of_day = parse_xsd_date_time("2023-12-31T24:00:00Z");
        assert_eq!(end_of_day, parse_xsd_date_time("2024-01-01T00:00:00Z"));
        assert_eq!(
            parse_xsd_date_time("2024-01-01T01:00:00.25+01:00").map(|t| t.to_rfc3339()),
            Some("2024-01-01T00:00:00.250+00:00".to_owned())
        );
        assert!(
            DateTime::parse("2024-01-01T00:00:00.1Z").map(|t| t.instant())
                > DateTime::parse("2024-01-01T00:00:00.09Z").map(|t| t.instant())
        );
    }

    mod properties {
        use super::*;
        use crate::did::StaticResolver;
        use crate::keys::SigningKey;
        use crate::proof::{sign, Cryptosuite, ProofOptions};
        use crate::verify::{verify_credential, OfflineFetcher, Outcome, VerifyContext};
        use proptest::prelude::*;
        use proptest::sample::select;

        /// A value that is valid fourteen times in fifteen (so that about a third of the
        /// credentials conform and are signed). `None` leaves the property out.
        fn pick(
            valid: Vec<Option<Value>>,
            invalid: Vec<Option<Value>>,
        ) -> impl Strategy<Value = Option<Value>> {
            prop_oneof![14 => select(valid), 1 => select(invalid)]
        }

        fn key() -> SigningKey {
            SigningKey::from_seed(&[42; 32])
        }

        fn s(text: &str) -> Option<Value> {
            Some(Value::String(text.to_owned()))
        }

        prop_compose! {
            /// VC 2.0 credentials from the issuer [`key`], using only terms the VC 2.0
            /// context defines (and absolute URLs as types), so that eddsa-rdfc-2022 signing
            /// (safe mode) refuses none that conform. (Listing
            /// https://www.w3.org/ns/credentials/status/v1 after the VC 2.0 context is left
            /// out: the canonicaliser refuses it as redefining the protected term
            /// BitstringStatusListEntry, though both contexts define it identically.)
            fn credential()(
                context in pick(
                    vec![Some(json!([CREDENTIALS_V2])), Some(json!([CREDENTIALS_V2, {"ex": "https://example.org/vocab#"}]))],
                    vec![None, s(CREDENTIALS_V2), Some(json!(["https://www.w3.org/ns/credentials/status/v1", CREDENTIALS_V2])), Some(json!([CREDENTIALS_V2, 42]))],
                ),
                id in pick(
                    vec![None, s("urn:uuid:0f6c2a34-5b4e-4c61-8d1e-1f2a3b4c5d6e"), s("https://issuer.example/credentials/1"), s("did:example:credential-1")],
                    vec![s("credential-1"), s("https://exa mple.org/1"), s("http://"), Some(json!(7))],
                ),
                types in pick(
                    vec![Some(json!(["VerifiableCredential"])), s("VerifiableCredential"), Some(json!(["VerifiableCredential", "https://example.org/vocab#ExampleCredential"]))],
                    vec![None, Some(json!(["https://example.org/vocab#ExampleCredential"])), Some(json!([])), Some(json!(["VerifiableCredential", 42]))],
                ),
                issuer_form in pick(
                    vec![s("string"), s("object"), s("named"), s("language")],
                    vec![None, s("not a URL"), s("no id"), s("bad name")],
                ),
                subject in pick(
                    vec![Some(json!({"id": "did:example:subject"})), Some(json!({"name": "Alice"})), Some(json!([{"id": "did:example:a"}, {"description": "second"}]))],
                    vec![None, Some(json!({})), Some(json!([])), s("did:example:subject"), Some(json!([{}]))],
                ),
                valid_from in pick(
                    vec![None, s("2024-01-01T00:00:00Z"), s("2023-06-30T12:34:56.789+02:00"), s("2023-12-31T24:00:00Z"), s("2020-02-29T23:59:59.123456789012-14:00"), s("2035-01-01T00:00:00Z")],
                    vec![s("2024-01-01T00:00:00"), s("2024-01-01"), s("Sat 25 Feb 2023 07:16:31 PM CST"), s("2024-13-01T00:00:00Z"), Some(json!(20_240_101))],
                ),
                valid_until in pick(
                    vec![None, s("2031-01-01T00:00:00Z"), s("2040-06-30T23:59:59.5-05:00"), s("2024-01-01T00:30:00+01:00"), s("2019-01-01T00:00:00Z")],
                    vec![s("next year"), s("2031-01-01T00:00:00")],
                ),
                name in pick(
                    vec![None, s("Example"), Some(json!({"@value": "Exemple", "@language": "fr"})), Some(json!([{"@value": "Example", "@language": "en"}, {"@value": "Beispiel", "@language": "de"}])), Some(json!({"@value": "مثال", "@language": "ar", "@direction": "rtl"}))],
                    vec![Some(json!(42)), Some(json!({"@language": "en"})), Some(json!({"@value": "x", "@direction": "up"})), Some(json!({"@value": "x", "extra": 1}))],
                ),
                status in pick(
                    vec![None,
                        Some(json!({"id": "https://issuer.example/status/1#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "5", "statusListCredential": "https://issuer.example/status/1"})),
                        Some(json!([{"id": "https://issuer.example/status/1#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "5", "statusListCredential": "https://issuer.example/status/1"},
                                    {"id": "https://issuer.example/status/2#5", "type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": "5", "statusListCredential": "https://issuer.example/status/2"}])),
                        Some(json!({"type": "https://example.org/vocab#OtherStatus"}))],
                    vec![Some(json!({"id": "https://issuer.example/status/1#5"})), Some(json!(["https://issuer.example/status/1"])), Some(json!([]))],
                ),
                schema in pick(
                    vec![None, Some(json!({"id": "https://issuer.example/schema.json", "type": "JsonSchema"}))],
                    vec![Some(json!({"type": "JsonSchema"})), Some(json!({"id": "https://issuer.example/schema.json"})), Some(json!({"id": "schema.json", "type": "JsonSchema"}))],
                ),
                evidence in pick(
                    vec![None, Some(json!([{"id": "https://issuer.example/evidence/1", "type": ["https://example.org/vocab#Evidence"]}]))],
                    vec![Some(json!({"id": "https://issuer.example/evidence/1"})), s("https://issuer.example/evidence/1")],
                ),
                terms in pick(
                    vec![None, Some(json!({"type": "https://example.org/vocab#IssuerPolicy", "id": "https://issuer.example/policies/1"}))],
                    vec![Some(json!({"id": "https://issuer.example/policies/1"}))],
                ),
                refresh in pick(
                    vec![None, Some(json!({"type": "https://example.org/vocab#ManualRefresh", "id": "https://issuer.example/refresh/1"})), Some(json!({"type": "https://example.org/vocab#ManualRefresh"}))],
                    vec![Some(json!({"id": "https://issuer.example/refresh/1"}))],
                ),
                related in pick(
                    vec![None,
                        Some(json!([{"id": CREDENTIALS_V2, "digestSRI": sri(HashAlgorithm::Sha384, bundled(CREDENTIALS_V2).as_bytes())}])),
                        Some(json!({"id": CREDENTIALS_V2, "digestMultibase": multibase_u(HashAlgorithm::Sha256, bundled(CREDENTIALS_V2).as_bytes()), "mediaType": "application/ld+json"})),
                        Some(json!([{"id": "https://www.w3.org/ns/credentials/status/v1", "digestSRI": sri(HashAlgorithm::Sha256, bundled("https://www.w3.org/ns/credentials/status/v1").as_bytes())},
                                    {"id": "https://issuer.example/logo.png", "digestMultibase": multibase_z(HashAlgorithm::Sha256, b"logo"), "mediaType": "image/png"}]))],
                    vec![Some(json!(["https://issuer.example/a"])), Some(json!([{"id": "https://issuer.example/a"}])), Some(json!([{"digestSRI": sri(HashAlgorithm::Sha256, b"x")}])),
                         Some(json!([{"id": CREDENTIALS_V2, "digestSRI": "md5-abc"}])), Some(json!([{"id": "https://issuer.example/a", "digestSRI": sri(HashAlgorithm::Sha256, b"a")}, {"id": "https://issuer.example/a", "digestSRI": sri(HashAlgorithm::Sha256, b"a")}])),
                         Some(json!([{"id": "https://issuer.example/a", "digestSRI": sri(HashAlgorithm::Sha256, b"a"), "mediaType": 42}]))],
                ),
                v1_date in pick(vec![None], vec![s("2024-01-01T00:00:00Z")]),
            ) -> Value {
                let did = key().verifying_key().did_key();
                let issuer = match issuer_form.as_ref().and_then(Value::as_str) {
                    None => None,
                    Some("string") => Some(json!(did)),
                    Some("object") => Some(json!({"id": did})),
                    Some("named") => Some(json!({"id": did, "name": "Example issuer", "description": "Issues examples"})),
                    Some("language") => Some(json!({"id": did, "name": {"@value": "Émetteur", "@language": "fr"}})),
                    Some("not a URL") => Some(json!("Example issuer")),
                    Some("no id") => Some(json!({"name": "Example issuer"})),
                    Some(_) => Some(json!({"id": did, "name": 42})),
                };
                let mut doc = Map::new();
                for (k, v) in [
                    ("@context", context), ("id", id), ("type", types), ("issuer", issuer),
                    ("name", name), ("credentialSubject", subject), ("validFrom", valid_from),
                    ("validUntil", valid_until), ("credentialStatus", status),
                    ("credentialSchema", schema), ("evidence", evidence), ("termsOfUse", terms),
                    ("refreshService", refresh), ("relatedResource", related), ("issuanceDate", v1_date),
                ] {
                    if let Some(v) = v {
                        doc.insert(k.to_owned(), v);
                    }
                }
                Value::Object(doc)
            }
        }

        /// Failures about the outside world, or the clock, that a conforming credential may
        /// meet: status lists (offline here), and validity dates compared with now.
        fn about_the_world(code: &str, message: &str) -> bool {
            code.starts_with("status")
                || (code == "valid_from" && message.contains("not valid yet"))
                || (code == "valid_until" && message.contains("has expired"))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            /// Whatever issue signs, verify verifies: a credential with no violation is signed
            /// by both cryptosuites (no refusal is accepted: the generator uses defined terms
            /// only) and its verification fails no check but those about the world.
            #[test]
            fn what_issue_signs_verify_verifies(doc in credential()) {
                let violations = check_credential(&doc);
                for v in &violations {
                    prop_assert!(requirement(v.requirement).is_some(), "{}", v.requirement);
                }
                if violations.is_empty() {
                    let key = key();
                    let resolver = StaticResolver::new();
                    let now = parse_xsd_date_time("2026-06-01T00:00:00Z").unwrap_or_default();
                    let ctx = VerifyContext::new(now, &resolver, &OfflineFetcher);
                    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
                        let mut options = ProofOptions::new(key.verifying_key().did_key_verification_method());
                        options.cryptosuite = suite;
                        options.created = Some("2026-01-01T00:00:00Z".into());
                        let signed = sign(&doc, &key, &options);
                        prop_assert!(signed.is_ok(), "{suite:?} refused {doc:#}: {:?}", signed.err());
                        let signed = signed.unwrap_or_default();
                        let report = verify_credential(&signed, &ctx);
                        for check in &report.checks {
                            prop_assert!(
                                check.outcome != Outcome::Failed || about_the_world(&check.code, &check.message),
                                "{suite:?}: {} failed: {} {:?}\n{doc:#}", check.code, check.message, check.detail
                            );
                        }
                        prop_assert_eq!(report.check("data_model").map(|c| c.outcome), Some(Outcome::Passed));
                    }
                }
            }
        }
    }
}
