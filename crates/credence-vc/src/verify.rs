//! Verification report: every check a verifier makes on a credential (contexts, proofs,
//! issuer binding, validity dates, status lists, schema), each with a machine code, an
//! outcome and a sentence a non-specialist understands, and one overall verdict.
//!
//! A check that could not be made is `unknown`, never `passed`: a status list that cannot be
//! fetched, or whose own proof does not verify, never yields "not revoked". A `warning`
//! (the credential deviates from the Open Badges format) is shown but leaves the verdict
//! alone, since it says nothing about who issued the credential or whether it still stands.

use crate::canon::{CanonError, Canonicalizer};
use crate::contexts::{CREDENTIALS_V1, CREDENTIALS_V2};
use crate::did::{DidError, DidResolver};
pub use crate::fetch_note::FetchNote;
use crate::memo::ProofMemo;
use crate::proof::{issuer_id, verify_proofs, ProofError, VerifiedProof};
use crate::schema::{self, SchemaError};
use crate::vcdm::{self, DigestOutcome};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a status list credential could not be obtained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Nothing is published at the URL.
    #[error("nothing is published at {0}")]
    NotFound(String),
    /// The list exists but could not be read just now.
    #[error("the status list at {url} could not be read: {reason}")]
    Unavailable {
        /// The list URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// This verifier never fetches status lists (an offline check).
    #[error("this check works offline and does not fetch status lists")]
    Offline,
}

/// Obtains status list credentials by URL. The service answers from its own database;
/// tests simulate failures. Implementations decide whether the network is ever used.
pub trait StatusFetcher: Send + Sync {
    /// The status list credential published at `url`.
    fn fetch(&self, url: &str) -> Result<Value, FetchError>;
}

/// A fetcher that never fetches: every status list is reported as unobtainable, so any
/// credential with status entries gets an `unknown` status check.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfflineFetcher;

impl StatusFetcher for OfflineFetcher {
    fn fetch(&self, _url: &str) -> Result<Value, FetchError> {
        Err(FetchError::Offline)
    }
}

/// What a verification is checked against: the time, how to resolve keys and how to
/// obtain status lists.
#[derive(Clone, Copy)]
pub struct VerifyContext<'a> {
    /// The moment validity dates are checked against.
    pub now: DateTime<Utc>,
    /// Resolves verification methods (`did:key` is always resolved offline).
    pub resolver: &'a dyn DidResolver,
    /// Obtains status list credentials.
    pub fetcher: &'a dyn StatusFetcher,
    /// The canonicaliser, and so the set of accepted JSON-LD contexts.
    pub canonicalizer: &'a Canonicalizer,
    /// Documents whose proofs verified before (the credential's and status lists').
    pub memo: Option<&'a ProofMemo>,
}

impl std::fmt::Debug for VerifyContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyContext")
            .field("now", &self.now)
            .field("canonicalizer", self.canonicalizer)
            .finish_non_exhaustive()
    }
}

impl<'a> VerifyContext<'a> {
    /// A context over the standard contexts.
    pub fn new(
        now: DateTime<Utc>,
        resolver: &'a dyn DidResolver,
        fetcher: &'a dyn StatusFetcher,
    ) -> Self {
        Self {
            now,
            resolver,
            fetcher,
            canonicalizer: Canonicalizer::standard(),
            memo: None,
        }
    }

    /// The same context, answering proofs of documents verified before from `memo`.
    #[must_use]
    pub fn with_memo(mut self, memo: &'a ProofMemo) -> Self {
        self.memo = Some(memo);
        self
    }

    /// Verifies a document's proofs, through the memo when there is one.
    pub(crate) fn verify_proofs(&self, document: &Value) -> Result<Vec<VerifiedProof>, ProofError> {
        match self.memo {
            Some(memo) => memo.verify_proofs(document, self.resolver, self.canonicalizer),
            None => verify_proofs(document, self.resolver, self.canonicalizer),
        }
    }

    /// The same context with another canonicaliser (another set of accepted contexts).
    #[must_use]
    pub fn with_canonicalizer(mut self, canonicalizer: &'a Canonicalizer) -> Self {
        self.canonicalizer = canonicalizer;
        self
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check was made and the credential passed it.
    Passed,
    /// The check was made and the credential failed it.
    Failed,
    /// The check could not be made.
    Unknown,
    /// The check found a deviation that does not make the credential untrustworthy (it
    /// does not follow the Open Badges format to the letter); shown, but it does not change
    /// the verdict.
    Warning,
    /// The check does not apply to this credential.
    NotApplicable,
}

impl Outcome {
    /// A one-character mark for terminal reports: ✓ ✗ ? ! or -.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Passed => "✓",
            Self::Failed => "✗",
            Self::Unknown => "?",
            Self::Warning => "!",
            Self::NotApplicable => "-",
        }
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every check passed or did not apply.
    Verified,
    /// No check failed and every check could be made, but at least one warned (the
    /// issuer's accreditation was revoked, say): verified, with what to weigh.
    VerifiedWithWarnings,
    /// At least one check failed.
    NotValid,
    /// No check failed, but at least one could not be made.
    Incomplete,
}

impl Verdict {
    /// The verdict in words, as a page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Verified => "Verified",
            Self::VerifiedWithWarnings => "Verified, with warnings",
            Self::NotValid => "Not valid",
            Self::Incomplete => "Could not fully check",
        }
    }
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// A stable machine code: `context`, `data_model`, `related_resource` (only for a
    /// credential with `relatedResource`), `proof`, `issuer`, `valid_from`, `valid_until`,
    /// `status.revocation`, `status.suspension`, `status.refresh`, `status.message` (one
    /// per status entry of that purpose), `status` (an entry of another kind or purpose),
    /// `schema`.
    pub code: String,
    /// What came of it.
    pub outcome: Outcome,
    /// A sentence a non-specialist understands.
    pub message: String,
    /// The technical detail behind the message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Check {
    /// A check with its code, outcome and sentence.
    pub fn new(code: &str, outcome: Outcome, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            outcome,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds the technical detail behind the message.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The result of verifying a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationReport {
    /// The overall verdict.
    pub verdict: Verdict,
    /// Every check, in the order made.
    pub checks: Vec<Check>,
    /// Every document fetched from another server for this verification (the service
    /// fetches; this crate never does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fetches: Vec<FetchNote>,
}

impl VerificationReport {
    /// The report of these checks, with the verdict they make.
    pub fn from_checks(checks: Vec<Check>) -> Self {
        let verdict = if checks.iter().any(|c| c.outcome == Outcome::Failed) {
            Verdict::NotValid
        } else if checks.iter().any(|c| c.outcome == Outcome::Unknown) {
            Verdict::Incomplete
        } else if checks.iter().any(|c| c.outcome == Outcome::Warning) {
            Verdict::VerifiedWithWarnings
        } else {
            Verdict::Verified
        };
        Self {
            verdict,
            checks,
            fetches: Vec::new(),
        }
    }

    /// Adds a check made outside this crate (e.g. the registry's accreditation chain) and
    /// recomputes the verdict.
    pub fn with_check(self, check: Check) -> Self {
        let mut checks = self.checks;
        checks.push(check);
        Self {
            fetches: self.fetches,
            ..Self::from_checks(checks)
        }
    }

    /// The first check with this code.
    pub fn check(&self, code: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.code == code)
    }

    /// Whether the verdict is [`Verdict::Verified`], with or without warnings.
    pub fn is_verified(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Verified | Verdict::VerifiedWithWarnings
        )
    }
}

/// Verifies `doc` and reports every check.
pub fn verify_credential(doc: &Value, ctx: &VerifyContext<'_>) -> VerificationReport {
    let mut checks = Vec::new();
    if !doc.is_object() {
        checks.push(Check::new(
            "context",
            Outcome::Failed,
            "The document is not a JSON object, so it is not a credential.",
        ));
        return VerificationReport::from_checks(checks);
    }
    let (proof_check, verified) = check_proofs(doc, ctx);
    // Verifying an eddsa-rdfc-2022 proof expands, in the same safe mode, the document
    // without its proofs and each proof's configuration (the proof without proofValue, with
    // the document's contexts): together, every term of the document. When every proof
    // verified that way, expanding the whole document again cannot find anything new.
    let expanded_by_proofs = verified.as_deref().is_some_and(|proofs| {
        !proofs.is_empty()
            && proofs
                .iter()
                .all(|p| p.proof_type == "DataIntegrityProof" && p.cryptosuite == RDFC_SUITE)
    });
    let issuer_check = check_issuer(issuer_id(doc), verified.as_deref());
    checks_around_proof(
        doc,
        ctx,
        vec![proof_check, issuer_check],
        expanded_by_proofs,
    )
}

/// Every check of a credential around the checks of how it is secured (`secured`: the
/// proof and issuer checks, for a Data Integrity proof or a JWS). `expanded`: the
/// document's terms were all expanded in safe mode already.
pub(crate) fn checks_around_proof(
    doc: &Value,
    ctx: &VerifyContext<'_>,
    secured: Vec<Check>,
    expanded: bool,
) -> VerificationReport {
    let mut checks = Vec::new();
    checks.push(check_context(doc, ctx, expanded));
    checks.push(check_data_model(doc));
    if doc.get("relatedResource").is_some() {
        checks.push(check_related_resource(doc, ctx));
    }
    checks.extend(secured);
    let issuer = issuer_id(doc);
    let v1 = first_context(doc) == Some(CREDENTIALS_V1);
    let (from_field, until_field) = if v1 {
        ("issuanceDate", "expirationDate")
    } else {
        ("validFrom", "validUntil")
    };
    checks.push(check_valid_from(doc, from_field, ctx.now));
    checks.push(check_valid_until(doc, until_field, ctx.now));
    checks.extend(crate::status_check::check_statuses(doc, issuer, ctx));
    checks.push(check_schema(doc));
    VerificationReport::from_checks(checks)
}

fn first_context(doc: &Value) -> Option<&str> {
    match doc.get("@context") {
        Some(Value::Array(items)) => items.first().and_then(Value::as_str),
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// The issuer's id: `issuer` as a string, or the `id` of `issuer` as an object.
/// The cryptosuite whose verification expands the whole document in safe mode.
const RDFC_SUITE: &str = "eddsa-rdfc-2022";

/// `expanded`: the document's terms were all expanded in safe mode already (by verifying
/// its eddsa-rdfc-2022 proofs), so only the first context is left to check.
fn check_context(doc: &Value, ctx: &VerifyContext<'_>, expanded: bool) -> Check {
    const CODE: &str = "context";
    match doc.get("@context") {
        None => {
            return Check::new(
                CODE,
                Outcome::Failed,
                "The document names no JSON-LD @context, so it is not a Verifiable Credential.",
            )
        }
        Some(_) => {
            let first = first_context(doc);
            if first != Some(CREDENTIALS_V2) && first != Some(CREDENTIALS_V1) {
                return Check::new(
                    CODE,
                    Outcome::Failed,
                    "The document's first @context is not the W3C Verifiable Credentials context, so it is not a Verifiable Credential.",
                )
                .detail(format!(
                    "The first @context must be {CREDENTIALS_V2} (or {CREDENTIALS_V1}); it is {}.",
                    first.unwrap_or("not a URL")
                ));
            }
        }
    }
    let expansion = if expanded {
        Ok(())
    } else {
        ctx.canonicalizer.to_dataset(doc).map(drop)
    };
    match expansion {
        Ok(()) => Check::new(
            CODE,
            Outcome::Passed,
            "Every vocabulary the credential uses is a known, pinned one, and every term in it is defined.",
        ),
        Err(CanonError::UnknownContext(e)) => Check::new(
            CODE,
            Outcome::Failed,
            format!(
                "The credential uses the vocabulary (JSON-LD context) {}, which this verifier does not know; vocabularies are never fetched from the network, so the credential cannot be checked.",
                e.url
            ),
        )
        .detail(e.to_string()),
        Err(CanonError::UndefinedTerms(terms)) => Check::new(
            CODE,
            Outcome::Failed,
            format!(
                "The credential contains fields that its vocabularies do not define ({}), so the signature would not cover them.",
                terms.join(", ")
            ),
        ),
        Err(e) => Check::new(
            CODE,
            Outcome::Failed,
            "The credential is not well-formed linked data, so it cannot be checked.",
        )
        .detail(e.to_string()),
    }
}

/// The W3C data model's requirements ([`vcdm::check_credential`]): the first violation in
/// the message, all of them in the detail.
fn check_data_model(doc: &Value) -> Check {
    const CODE: &str = "data_model";
    let violations = vcdm::check_credential(doc);
    let Some(first) = violations.first() else {
        return Check::new(
            CODE,
            Outcome::Passed,
            "The credential follows the W3C Verifiable Credentials data model.",
        );
    };
    let at = if first.pointer.is_empty() {
        "the document".to_owned()
    } else {
        first.pointer.clone()
    };
    let more = match violations.len() {
        1 => String::new(),
        2 => " (and 1 more problem)".to_owned(),
        n => format!(" (and {} more problems)", n - 1),
    };
    Check::new(
        CODE,
        Outcome::Failed,
        format!(
            "The credential does not follow the W3C Verifiable Credentials data model: at {at}, {}{more}",
            first.message
        ),
    )
    .detail(
        violations
            .iter()
            .map(|v| format!("{} [{}]: {}", v.pointer, v.requirement, v.message))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The digests of `relatedResource` entries, compared with the bytes of the JSON-LD contexts
/// this verifier bundles (the canonicaliser's set, so the same documents it reads the
/// credential with); any other resource is unknown, as Credence fetches nothing.
fn check_related_resource(doc: &Value, ctx: &VerifyContext<'_>) -> Check {
    const CODE: &str = "related_resource";
    let contexts = ctx.canonicalizer.contexts();
    let fetch = |id: &str| contexts.load(id).ok().map(|c| c.as_bytes().to_vec());
    let checks = vcdm::check_related_resources(doc, &fetch);
    let line = |c: &vcdm::RelatedResourceCheck| {
        match &c.outcome {
        DigestOutcome::Matches => format!("{}: matches its digest", c.id),
        DigestOutcome::Mismatch => format!("{}: does not match its digest", c.id),
        DigestOutcome::Unknown(why) if why == vcdm::RESOURCE_NOT_OBTAINED => format!(
            "{}: not checked, Credence does not fetch related resources (only the JSON-LD contexts it bundles are checked)",
            c.id
        ),
        DigestOutcome::Unknown(why) => format!("{}: not checked, {why}", c.id),
    }
    };
    let detail = checks.iter().map(line).collect::<Vec<_>>().join("; ");
    let changed: Vec<&str> = checks
        .iter()
        .filter(|c| c.outcome == DigestOutcome::Mismatch)
        .map(|c| c.id.as_str())
        .collect();
    if !changed.is_empty() {
        return Check::new(
            CODE,
            Outcome::Failed,
            format!(
                "A resource the credential pins by its digest is not the one it was issued with: {}.",
                changed.join(", ")
            ),
        )
        .detail(detail);
    }
    if checks.is_empty() || checks.iter().any(|c| c.outcome != DigestOutcome::Matches) {
        return Check::new(
            CODE,
            Outcome::Unknown,
            "Some resources the credential pins by their digests could not be checked: Credence does not fetch related resources.",
        )
        .detail(detail);
    }
    Check::new(
        CODE,
        Outcome::Passed,
        if checks.len() == 1 {
            "The resource the credential pins by its digest is unchanged.".to_owned()
        } else {
            format!(
                "All {} resources the credential pins by their digests are unchanged.",
                checks.len()
            )
        },
    )
    .detail(detail)
}

fn check_proofs(doc: &Value, ctx: &VerifyContext<'_>) -> (Check, Option<Vec<VerifiedProof>>) {
    const CODE: &str = "proof";
    match ctx.verify_proofs(doc) {
        Ok(verified) => {
            let message = if verified.len() == 1 {
                "The digital signature is intact: the credential has not been changed since it was signed.".to_owned()
            } else {
                format!(
                    "All {} digital signatures are intact: the credential has not been changed since it was signed.",
                    verified.len()
                )
            };
            let methods: Vec<&str> = verified
                .iter()
                .map(|p| p.verification_method.as_str())
                .collect();
            let check = Check::new(CODE, Outcome::Passed, message)
                .detail(format!("Signed with {}.", methods.join(", ")));
            (check, Some(verified))
        }
        Err(ProofError::NoProof) => (
            Check::new(
                CODE,
                Outcome::Failed,
                "The credential carries no digital signature, so nothing shows who issued it or that it is unchanged.",
            ),
            None,
        ),
        Err(ProofError::Did(e @ DidError::Unknown(_))) => (
            Check::new(
                CODE,
                Outcome::Unknown,
                "The signer's public key could not be found here, so the signature could not be checked.",
            )
            .detail(e.to_string()),
            None,
        ),
        Err(e @ ProofError::BadSignature { .. }) => (
            Check::new(
                CODE,
                Outcome::Failed,
                "The digital signature does not match: the credential was changed after it was signed, or was not signed by the key it names.",
            )
            .detail(e.to_string()),
            None,
        ),
        Err(e @ (ProofError::UnsupportedCryptosuite(_) | ProofError::UnsupportedProofType(_))) => (
            Check::new(
                CODE,
                Outcome::Failed,
                "The credential is signed with a method this verifier does not support, so its signature cannot be accepted.",
            )
            .detail(e.to_string()),
            None,
        ),
        Err(e) => (
            Check::new(
                CODE,
                Outcome::Failed,
                "The digital signature could not be verified: the credential or its signature is malformed.",
            )
            .detail(e.to_string()),
            None,
        ),
    }
}

fn check_issuer(issuer: Option<&str>, verified: Option<&[VerifiedProof]>) -> Check {
    const CODE: &str = "issuer";
    let Some(issuer) = issuer else {
        return Check::new(
            CODE,
            Outcome::Failed,
            "The credential does not say who issued it (it has no issuer id).",
        );
    };
    let Some(verified) = verified else {
        return Check::new(
            CODE,
            Outcome::Unknown,
            format!("The credential names {issuer} as its issuer, but as its signature could not be verified we cannot confirm that the issuer signed it."),
        );
    };
    let strangers: Vec<&str> = verified
        .iter()
        .filter(|p| p.controller != issuer)
        .map(|p| p.controller.as_str())
        .collect();
    if strangers.is_empty() {
        Check::new(
            CODE,
            Outcome::Passed,
            format!("The credential was signed with a key belonging to its issuer, {issuer}."),
        )
    } else {
        Check::new(
            CODE,
            Outcome::Failed,
            format!(
                "The credential names {issuer} as its issuer, but it was signed with a key belonging to {}.",
                strangers.join(", ")
            ),
        )
    }
}

/// Reads an XML Schema dateTime: RFC 3339, or without a time zone (taken as UTC), or the
/// forms RFC 3339 lacks (`24:00:00`, years of five digits or before year 0), which
/// [`vcdm::check_credential`] accepts and issuing therefore signs.
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
        .or_else(|| vcdm::parse_xsd_date_time(text))
}

/// The date-time in `field`: `Ok(None)` when absent, `Err(check)` when unreadable.
fn date_field(
    doc: &Value,
    field: &str,
    code: &str,
) -> Result<Option<(String, DateTime<Utc>)>, Check> {
    match doc.get(field) {
        None => Ok(None),
        Some(Value::String(text)) => match parse_date_time(text) {
            Some(t) => Ok(Some((text.clone(), t))),
            None => Err(Check::new(
                code,
                Outcome::Failed,
                format!("The credential's {field} {text:?} is not a valid date and time."),
            )),
        },
        Some(_) => Err(Check::new(
            code,
            Outcome::Failed,
            format!("The credential's {field} is not a date and time written as text."),
        )),
    }
}

fn check_valid_from(doc: &Value, field: &str, now: DateTime<Utc>) -> Check {
    const CODE: &str = "valid_from";
    match date_field(doc, field, CODE) {
        Err(check) => check,
        Ok(None) => Check::new(
            CODE,
            Outcome::NotApplicable,
            "The credential does not say from when it is valid.",
        ),
        Ok(Some((_, from))) if from > now => Check::new(
            CODE,
            Outcome::Failed,
            format!(
                "The credential is not valid yet: it becomes valid on {}.",
                in_words(from)
            ),
        ),
        Ok(Some((_, from))) => Check::new(
            CODE,
            Outcome::Passed,
            format!("The credential has been valid since {}.", in_words(from)),
        ),
    }
}

fn check_valid_until(doc: &Value, field: &str, now: DateTime<Utc>) -> Check {
    const CODE: &str = "valid_until";
    match date_field(doc, field, CODE) {
        Err(check) => check,
        Ok(None) => Check::new(
            CODE,
            Outcome::NotApplicable,
            "The credential has no expiry date.",
        ),
        Ok(Some((_, until))) if until < now => Check::new(
            CODE,
            Outcome::Failed,
            format!(
                "The credential has expired: it was valid until {}.",
                in_words(until)
            ),
        ),
        Ok(Some((_, until))) => Check::new(
            CODE,
            Outcome::Passed,
            format!(
                "The credential has not expired: it is valid until {}.",
                in_words(until)
            ),
        ),
    }
}

/// A moment as people read it: "5 December 2026 at 04:51:41 UTC".
pub(crate) fn in_words(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y at %H:%M:%S UTC").to_string()
}

fn check_schema(doc: &Value) -> Check {
    const CODE: &str = "schema";
    match schema::validate_credential(doc) {
        Ok(()) => Check::new(
            CODE,
            Outcome::Passed,
            "The credential follows the Open Badges 3.0 format.",
        ),
        Err(SchemaError::UnknownType) => Check::new(
            CODE,
            Outcome::NotApplicable,
            "The credential is not an Open Badge, so the Open Badges format does not apply.",
        ),
        // Authenticity does not hang on format: credentials in circulation deviate in
        // small ways (bare dates for date-times), and their signatures still hold.
        Err(e @ SchemaError::Invalid { .. }) => Check::new(
            CODE,
            Outcome::Warning,
            "The credential does not follow the Open Badges 3.0 format exactly; this does not affect its signature or status.",
        )
        .detail(e.to_string()),
        Err(e @ SchemaError::BadSchema { .. }) => Check::new(
            CODE,
            Outcome::Unknown,
            "The Open Badges 3.0 format could not be checked because of a fault in this verifier.",
        )
        .detail(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::did::{StaticResolver, VerificationMethod};
    use crate::keys::SigningKey;
    use crate::proof::{sign, Cryptosuite, ProofOptions};
    use crate::status_list::{
        status_list_credential, status_list_entry, StatusList, StatusPurpose,
    };
    use serde_json::json;
    use std::collections::HashMap;

    const LIST_R: &str = "https://issuer.example/status/r";
    const LIST_S: &str = "https://issuer.example/status/s";
    const REVOKED: usize = 17;
    const SUSPENDED: usize = 23;
    const FINE: usize = 5;

    fn now() -> DateTime<Utc> {
        parse_date_time("2026-06-01T00:00:00Z").unwrap_or_default()
    }

    fn issuer_key() -> SigningKey {
        SigningKey::from_seed(&[7; 32])
    }

    fn other_key() -> SigningKey {
        SigningKey::from_seed(&[8; 32])
    }

    fn sign_with(doc: &Value, key: &SigningKey, vm: &str, suite: Cryptosuite) -> Value {
        let mut options = ProofOptions::new(vm);
        options.cryptosuite = suite;
        options.created = Some("2026-01-01T00:00:00Z".into());
        sign(doc, key, &options).unwrap_or_else(|e| panic!("sign: {e}"))
    }

    fn sign_did_key(doc: &Value, key: &SigningKey) -> Value {
        let vm = key.verifying_key().did_key_verification_method();
        sign_with(doc, key, &vm, Cryptosuite::EddsaRdfc2022)
    }

    fn revocation(index: usize) -> Value {
        status_list_entry(LIST_R, index, StatusPurpose::Revocation)
    }

    fn suspension(index: usize) -> Value {
        status_list_entry(LIST_S, index, StatusPurpose::Suspension)
    }

    /// An unsigned OB 3.0 credential from `issuer` with `status` as its `credentialStatus`
    /// (OB 3.0 allows one entry) or none.
    fn credential(issuer: &str, status: Option<Value>) -> Value {
        let mut doc: Value = serde_json::from_str(include_str!(
            "../../../tests/vectors/ob3-interop/ob3-unsigned.json"
        ))
        .unwrap_or_default();
        doc["issuer"]["id"] = issuer.into();
        doc["credentialSubject"]["activityStartDate"] = "2025-01-06T00:00:00Z".into();
        doc["credentialSubject"]["activityEndDate"] = "2025-02-28T00:00:00Z".into();
        match (status, doc.as_object_mut()) {
            (Some(status), _) => doc["credentialStatus"] = status,
            (None, Some(map)) => {
                map.remove("credentialStatus");
            }
            (None, None) => {}
        }
        doc
    }

    /// A signed status list with `set` switched on.
    fn list(url: &str, purpose: StatusPurpose, set: usize, key: &SigningKey) -> Value {
        let mut bits = StatusList::default();
        bits.set(set, true).unwrap_or_default();
        let issuer = issuer_key().verifying_key().did_key();
        let unsigned = status_list_credential(url, &issuer, purpose, &bits, now());
        sign_did_key(&unsigned, key)
    }

    /// Serves status lists from a table; an absent URL is unreachable.
    struct Lists(HashMap<String, Value>);

    impl StatusFetcher for Lists {
        fn fetch(&self, url: &str) -> Result<Value, FetchError> {
            self.0.get(url).cloned().ok_or(FetchError::Unavailable {
                url: url.to_owned(),
                reason: "connection refused".into(),
            })
        }
    }

    fn good_lists() -> Lists {
        let key = issuer_key();
        Lists(HashMap::from([
            (
                LIST_R.to_owned(),
                list(LIST_R, StatusPurpose::Revocation, REVOKED, &key),
            ),
            (
                LIST_S.to_owned(),
                list(LIST_S, StatusPurpose::Suspension, SUSPENDED, &key),
            ),
        ]))
    }

    /// The well-behaved credential, signed by its issuer with `suite`.
    fn valid(suite: Cryptosuite) -> Value {
        let key = issuer_key();
        let did = key.verifying_key().did_key();
        let vm = key.verifying_key().did_key_verification_method();
        sign_with(&credential(&did, Some(revocation(FINE))), &key, &vm, suite)
    }

    /// Verifies `doc` and compares the verdict and the outcome of the named checks; each
    /// expected message fragment must appear in that check's message.
    fn check(
        name: &str,
        doc: &Value,
        lists: &Lists,
        verdict: Verdict,
        expected: &[(&str, Outcome, &str)],
    ) {
        let resolver = StaticResolver::new();
        let ctx = VerifyContext::new(now(), &resolver, lists);
        let report = verify_credential(doc, &ctx);
        let shown = serde_json::to_string_pretty(&report).unwrap_or_default();
        assert_eq!(report.verdict, verdict, "{name}: {shown}");
        for (code, outcome, fragment) in expected {
            let found = report
                .checks
                .iter()
                .find(|c| c.code == *code && c.outcome == *outcome)
                .unwrap_or_else(|| panic!("{name}: no {code} check with {outcome:?}: {shown}"));
            assert!(
                found.message.contains(fragment),
                "{name}: {code} message {:?} lacks {fragment:?}",
                found.message
            );
        }
        // Never "not revoked" unless the list was read and verified.
        for c in &report.checks {
            if c.code.starts_with("status.") && c.outcome == Outcome::Passed {
                assert!(c.message.contains("shows that"), "{name}: {}", c.message);
            }
        }
    }

    #[test]
    fn verification_reports() {
        use Outcome::*;
        let key = issuer_key();
        let did = key.verifying_key().did_key();
        let good = good_lists();
        let all_pass: &[(&str, Outcome, &str)] = &[
            ("context", Passed, "known"),
            ("proof", Passed, "intact"),
            ("issuer", Passed, "belonging to its issuer"),
            ("valid_from", Passed, "1 March 2025 at 12:00:00 UTC"),
            ("valid_until", Passed, "1 March 2030 at 12:00:00 UTC"),
            ("status.revocation", Passed, "not been revoked"),
            ("status.suspension", NotApplicable, "cannot be suspended"),
            ("schema", Passed, "Open Badges 3.0"),
        ];
        check(
            "valid rdfc",
            &valid(Cryptosuite::EddsaRdfc2022),
            &good,
            Verdict::Verified,
            all_pass,
        );
        check(
            "valid jcs",
            &valid(Cryptosuite::EddsaJcs2022),
            &good,
            Verdict::Verified,
            all_pass,
        );

        let mut tampered = valid(Cryptosuite::EddsaRdfc2022);
        tampered["name"] = "Something else".into();
        check(
            "tampered",
            &tampered,
            &good,
            Verdict::NotValid,
            &[
                ("proof", Failed, "changed after it was signed"),
                ("issuer", Unknown, "cannot confirm"),
            ],
        );

        let mut unsigned = credential(&did, Some(revocation(FINE)));
        unsigned["validUntil"] = "2026-01-01T00:00:00Z".into();
        check(
            "expired",
            &sign_did_key(&unsigned, &key),
            &good,
            Verdict::NotValid,
            &[
                ("proof", Passed, "intact"),
                ("valid_until", Failed, "expired"),
            ],
        );

        let mut unsigned = credential(&did, Some(revocation(FINE)));
        unsigned["validFrom"] = "2027-01-01T00:00:00Z".into();
        check(
            "not yet valid",
            &sign_did_key(&unsigned, &key),
            &good,
            Verdict::NotValid,
            &[("valid_from", Failed, "not valid yet")],
        );

        let mut unsigned = credential(&did, Some(revocation(FINE)));
        unsigned["validFrom"] = "yesterday".into();
        check(
            "unreadable date",
            &sign_did_key(&unsigned, &key),
            &good,
            Verdict::NotValid,
            &[("valid_from", Failed, "not a valid date")],
        );

        check(
            "revoked",
            &sign_did_key(&credential(&did, Some(revocation(REVOKED))), &key),
            &good,
            Verdict::NotValid,
            &[
                ("status.revocation", Failed, "was revoked by its issuer"),
                ("status.suspension", NotApplicable, "cannot be suspended"),
            ],
        );
        check(
            "suspended",
            &sign_did_key(&credential(&did, Some(suspension(SUSPENDED))), &key),
            &good,
            Verdict::NotValid,
            &[
                ("status.suspension", Failed, "was suspended by its issuer"),
                ("status.revocation", NotApplicable, "cannot be revoked"),
            ],
        );

        let unreachable = Lists(HashMap::new());
        check(
            "status list unreachable",
            &valid(Cryptosuite::EddsaRdfc2022),
            &unreachable,
            Verdict::Incomplete,
            &[
                (
                    "status.revocation",
                    Unknown,
                    "Could not obtain the issuer's revocation list, so we cannot say whether it was revoked.",
                ),
            ],
        );
        check(
            "suspension list unreachable",
            &sign_did_key(&credential(&did, Some(suspension(FINE))), &key),
            &unreachable,
            Verdict::Incomplete,
            &[(
                "status.suspension",
                Unknown,
                "Could not obtain the issuer's suspension list, so we cannot say whether it was suspended.",
            )],
        );

        let mut bad_proof = good_lists();
        if let Some(list) = bad_proof.0.get_mut(LIST_R) {
            // The list now claims nothing is revoked, but its proof no longer matches.
            list["credentialSubject"]["encodedList"] = StatusList::default().encode().into();
        }
        check(
            "status list with a bad proof",
            &sign_did_key(&credential(&did, Some(revocation(REVOKED))), &key),
            &bad_proof,
            Verdict::Incomplete,
            &[(
                "status.revocation",
                Unknown,
                "its own signature does not verify",
            )],
        );

        let mut foreign = good_lists();
        let other = other_key();
        let mut bits = StatusList::default();
        bits.set(REVOKED, true).unwrap_or_default();
        let other_list = status_list_credential(
            LIST_R,
            &other.verifying_key().did_key(),
            StatusPurpose::Revocation,
            &bits,
            now(),
        );
        foreign
            .0
            .insert(LIST_R.to_owned(), sign_did_key(&other_list, &other));
        check(
            "status list from another issuer",
            &valid(Cryptosuite::EddsaRdfc2022),
            &foreign,
            Verdict::Incomplete,
            &[(
                "status.revocation",
                Unknown,
                "not published by this credential's issuer",
            )],
        );

        check(
            "no status entries",
            &sign_did_key(&credential(&did, None), &key),
            &unreachable,
            Verdict::Verified,
            &[
                ("status.revocation", NotApplicable, "cannot be revoked"),
                ("status.suspension", NotApplicable, "cannot be suspended"),
            ],
        );

        let other = other_key();
        check(
            "issuer is not the controller",
            &sign_did_key(&credential(&did, Some(revocation(FINE))), &other),
            &good,
            Verdict::NotValid,
            &[
                ("proof", Passed, "intact"),
                ("issuer", Failed, &other.verifying_key().did_key()),
            ],
        );

        let mut unknown_context = valid(Cryptosuite::EddsaRdfc2022);
        unknown_context["@context"][1] = "https://evil.example/context.json".into();
        check(
            "unknown context",
            &unknown_context,
            &good,
            Verdict::NotValid,
            &[("context", Failed, "https://evil.example/context.json")],
        );

        let mut undefined = credential(&did, Some(revocation(FINE)));
        undefined["favouriteColour"] = "blue".into();
        check(
            "undefined term",
            &undefined,
            &good,
            Verdict::NotValid,
            &[
                ("context", Failed, "favouriteColour"),
                ("proof", Failed, "no digital signature"),
            ],
        );

        let mut bare_dates = credential(&did, Some(revocation(FINE)));
        bare_dates["credentialSubject"]["activityStartDate"] = "2025-01-06".into();
        check(
            "schema deviation",
            &sign_did_key(&bare_dates, &key),
            &good,
            Verdict::VerifiedWithWarnings,
            &[(
                "schema",
                Warning,
                "does not follow the Open Badges 3.0 format exactly",
            )],
        );

        let vc11 = json!({
            "@context": [CREDENTIALS_V1, "https://w3id.org/security/data-integrity/v2"],
            "type": ["VerifiableCredential"],
            "issuer": did,
            "issuanceDate": "2024-01-01T00:00:00Z",
            "expirationDate": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:subject"}
        });
        let vc20 = json!({
            "@context": [CREDENTIALS_V2],
            "type": ["VerifiableCredential"],
            "issuer": did,
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:subject"},
            "credentialStatus": [revocation(FINE), suspension(SUSPENDED)]
        });
        check(
            "VC 2.0 with two status entries",
            &sign_did_key(&vc20, &key),
            &good,
            Verdict::NotValid,
            &[
                ("status.revocation", Passed, "not been revoked"),
                ("status.suspension", Failed, "was suspended"),
                ("valid_until", NotApplicable, "no expiry"),
                ("schema", NotApplicable, "not an Open Badge"),
            ],
        );
        check(
            "VC 1.1 expired",
            &sign_did_key(&vc11, &key),
            &good,
            Verdict::NotValid,
            &[
                ("valid_from", Passed, "1 January 2024"),
                ("valid_until", Failed, "expired"),
                ("schema", NotApplicable, "not an Open Badge"),
            ],
        );

        // A did:web key the resolver does not know: the proof cannot be checked.
        let web_vm = "did:web:issuer.example#key-1";
        let web_signed = sign_with(
            &credential("did:web:issuer.example", Some(revocation(FINE))),
            &key,
            web_vm,
            Cryptosuite::EddsaRdfc2022,
        );
        check(
            "unresolvable key",
            &web_signed,
            &good,
            Verdict::Incomplete,
            &[
                ("proof", Unknown, "could not be found"),
                ("issuer", Unknown, "cannot confirm"),
            ],
        );

        check(
            "not an object",
            &json!([1, 2]),
            &good,
            Verdict::NotValid,
            &[("context", Failed, "not a JSON object")],
        );
    }

    /// A signed list of `purpose` (any string) with `values` in entries of `size` bits,
    /// and `messages` on its subject when given.
    fn sized_list(url: &str, purpose: &str, size: u32, values: &[(usize, u32)]) -> Value {
        let key = issuer_key();
        let mut bits =
            StatusList::new(crate::status_list::MIN_ENTRIES * size as usize).unwrap_or_default();
        for &(index, value) in values {
            bits.set_value(index, size, value).unwrap_or_default();
        }
        let issuer = key.verifying_key().did_key();
        let mut unsigned =
            status_list_credential(url, &issuer, StatusPurpose::Revocation, &bits, now());
        unsigned["credentialSubject"]["statusPurpose"] = purpose.into();
        sign_did_key(&unsigned, &key)
    }

    fn sized_entry(url: &str, purpose: &str, index: usize, size: u32) -> Value {
        let mut entry = status_list_entry(url, index, StatusPurpose::Revocation);
        entry["statusPurpose"] = purpose.into();
        if size > 1 {
            entry["statusSize"] = size.into();
        }
        let names = [
            "valid",
            "under review",
            "revoked for misconduct",
            "expired early",
        ];
        entry["statusMessage"] = Value::Array(
            (0..1usize << size)
                .map(|v| json!({"status": format!("0x{v:x}"), "message": names[v]}))
                .collect(),
        );
        entry
    }

    #[test]
    fn status_sizes_messages_and_purposes_are_reported_per_purpose() {
        use Outcome::*;
        const LIST_M: &str = "https://issuer.example/status/m";
        const LIST_F: &str = "https://issuer.example/status/f";
        const LIST_2: &str = "https://issuer.example/status/2bit";
        let key = issuer_key();
        let did = key.verifying_key().did_key();
        let mut lists = good_lists();
        lists
            .0
            .insert(LIST_M.into(), sized_list(LIST_M, "message", 2, &[(4, 1)]));
        lists
            .0
            .insert(LIST_F.into(), sized_list(LIST_F, "refresh", 1, &[(6, 1)]));
        lists.0.insert(
            LIST_2.into(),
            sized_list(LIST_2, "revocation", 2, &[(8, 2)]),
        );
        let vc = |entries: Vec<Value>| {
            sign_did_key(
                &json!({
                    "@context": [CREDENTIALS_V2],
                    "type": ["VerifiableCredential"],
                    "issuer": did,
                    "validFrom": "2024-01-01T00:00:00Z",
                    "credentialSubject": {"id": "did:example:subject"},
                    "credentialStatus": entries
                }),
                &key,
            )
        };
        check(
            "a message entry and a clear two-bit revocation",
            &vc(vec![
                sized_entry(LIST_M, "message", 4, 2),
                sized_entry(LIST_2, "revocation", 7, 2),
                revocation(FINE),
            ]),
            &lists,
            Verdict::Verified,
            &[
                ("status.message", Passed, "status is \"under review\""),
                (
                    "status.revocation",
                    Passed,
                    "not been revoked. The issuer's list says: \"valid\"",
                ),
                ("status.suspension", NotApplicable, "cannot be suspended"),
            ],
        );
        check(
            "a two-bit revocation with its reason",
            &vc(vec![sized_entry(LIST_2, "revocation", 8, 2)]),
            &lists,
            Verdict::NotValid,
            &[(
                "status.revocation",
                Failed,
                "was revoked by its issuer. The issuer's list says: \"revoked for misconduct\"",
            )],
        );
        check(
            "a refresh entry set",
            &vc(vec![sized_entry(LIST_F, "refresh", 6, 1)]),
            &lists,
            Verdict::VerifiedWithWarnings,
            &[("status.refresh", Warning, "newer version")],
        );
        check(
            "a refresh entry clear",
            &vc(vec![sized_entry(LIST_F, "refresh", 5, 1)]),
            &lists,
            Verdict::Verified,
            &[("status.refresh", Passed, "latest version")],
        );
        let mut no_messages = sized_entry(LIST_2, "revocation", 8, 2);
        if let Some(map) = no_messages.as_object_mut() {
            map.remove("statusMessage");
        }
        check(
            "a two-bit entry without messages",
            &vc(vec![no_messages]),
            &lists,
            Verdict::Incomplete,
            &[("status.revocation", Unknown, "could not be read")],
        );
        check(
            "an entry whose purpose the list lacks",
            &vc(vec![sized_entry(LIST_M, "revocation", 4, 2)]),
            &lists,
            Verdict::Incomplete,
            &[("status.revocation", Unknown, "could not be read")],
        );
        check(
            "a purpose nobody defined",
            &vc(vec![sized_entry(LIST_M, "https://example.com/vip", 4, 2)]),
            &lists,
            Verdict::Incomplete,
            &[("status", Unknown, "which this verifier does not know")],
        );
        let mut expired = lists.0.get(LIST_M).cloned().unwrap_or_default();
        if let Some(map) = expired.as_object_mut() {
            map.remove("proof");
        }
        expired["validUntil"] = "2026-05-01T00:00:00Z".into();
        lists.0.insert(LIST_M.into(), sign_did_key(&expired, &key));
        check(
            "an expired message list",
            &vc(vec![sized_entry(LIST_M, "message", 4, 2)]),
            &lists,
            Verdict::Incomplete,
            &[(
                "status.message",
                Unknown,
                "out of date, so we cannot say what its status is",
            )],
        );
    }

    #[test]
    fn the_1edtech_revocation_list_is_read() {
        use Outcome::*;
        const LIST: &str = "https://issuer.example/revocations";
        let key = issuer_key();
        let did = key.verifying_key().did_key();
        let entry = json!({"id": LIST, "type": "1EdTechRevocationList"});
        let mut unsigned = credential(&did, Some(entry));
        if let Some(contexts) = unsigned["@context"].as_array_mut() {
            contexts.push(crate::contexts::OB_V3P0_EXTENSIONS.into());
        }
        let doc = sign_did_key(&unsigned, &key);
        let id = doc["id"].as_str().unwrap_or_default().to_owned();
        let lists = |revoked: Value, list_issuer: &str, list_id: &str| {
            Lists(HashMap::from([(
                LIST.to_owned(),
                json!({"id": list_id, "issuer": list_issuer, "revokedCredentials": revoked}),
            )]))
        };
        let other = json!([{"id": "urn:uuid:someone-else", "revocationReason": "x"}]);
        check(
            "not listed",
            &doc,
            &lists(other.clone(), &did, LIST),
            Verdict::Verified,
            &[
                ("status.revocation", Passed, "not been revoked"),
                ("status.suspension", NotApplicable, "cannot be suspended"),
            ],
        );
        let revoked = json!([{"id": id, "revocationReason": "Issued in error."}]);
        check(
            "listed with a reason",
            &doc,
            &lists(revoked.clone(), &did, LIST),
            Verdict::NotValid,
            &[(
                "status.revocation",
                Failed,
                "was revoked by its issuer. The issuer gave this reason: Issued in error.",
            )],
        );
        check(
            "published by someone else",
            &doc,
            &lists(revoked.clone(), "did:example:stranger", LIST),
            Verdict::Incomplete,
            &[(
                "status.revocation",
                Unknown,
                "not published by this credential's issuer",
            )],
        );
        check(
            "another list",
            &doc,
            &lists(revoked, &did, "https://issuer.example/other"),
            Verdict::Incomplete,
            &[(
                "status.revocation",
                Unknown,
                "not the one the credential names",
            )],
        );
        check(
            "unreachable",
            &doc,
            &Lists(HashMap::new()),
            Verdict::Incomplete,
            &[(
                "status.revocation",
                Unknown,
                "Could not obtain the issuer's revocation list, so we cannot say whether it was revoked.",
            )],
        );
    }

    #[test]
    fn did_web_issuer_resolved_through_the_resolver() {
        let key = issuer_key();
        let web_vm = "did:web:issuer.example#key-1";
        let signed = sign_with(
            &credential("did:web:issuer.example", Some(revocation(FINE))),
            &key,
            web_vm,
            Cryptosuite::EddsaRdfc2022,
        );
        let resolver = StaticResolver::new().with(VerificationMethod {
            id: web_vm.into(),
            controller: "did:web:issuer.example".into(),
            public_key: key.verifying_key(),
        });
        let ctx = VerifyContext::new(now(), &resolver, &OfflineFetcher);
        let report = verify_credential(&signed, &ctx);
        assert_eq!(
            report.check("issuer").map(|c| c.outcome),
            Some(Outcome::Passed)
        );
        assert_eq!(report.verdict, Verdict::Incomplete, "offline status");
    }

    #[test]
    fn report_serialises_with_snake_case_outcomes() {
        let resolver = StaticResolver::new();
        let ctx = VerifyContext::new(now(), &resolver, &OfflineFetcher);
        let report = verify_credential(&valid(Cryptosuite::EddsaRdfc2022), &ctx);
        let value = serde_json::to_value(&report).unwrap_or_default();
        assert_eq!(value["verdict"], "incomplete");
        let outcomes: Vec<&str> = value["checks"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["outcome"].as_str()).collect())
            .unwrap_or_default();
        assert!(outcomes.contains(&"passed") && outcomes.contains(&"unknown"));
        let back: VerificationReport =
            serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, report);
    }
}
