//! The status checks of a verification report: each `credentialStatus` entry read against
//! the list it names (Bitstring Status List v1.0, any `statusSize`, `statusMessage`, and the
//! purposes `revocation`, `suspension`, `refresh` and `message`), reported per purpose;
//! and the 1EdTech `1EdTechRevocationList` of Open Badges 3.0 (a list of revoked credential
//! ids with reasons, fetched at the entry's `id`; unsigned, so trusted as its issuer's site
//! serves it).
//!
//! A status list is trusted only when its own proof verifies, it was issued and signed by
//! the credential's issuer and it is within its validity period; otherwise, or when it
//! cannot be obtained, the status is `unknown`, never "not revoked".

use serde_json::Value;

use crate::proof::issuer_id;
use crate::status_list::{read_status, Purpose, StatusEntry, StatusValue};
use crate::verify::{parse_date_time, Check, Outcome, VerifyContext};

/// The check code for entries of `purpose`.
fn status_code(purpose: &Purpose) -> &'static str {
    match purpose {
        Purpose::Revocation => "status.revocation",
        Purpose::Suspension => "status.suspension",
        Purpose::Refresh => "status.refresh",
        Purpose::Message => "status.message",
        Purpose::Other(_) => "status",
    }
}

/// What cannot be said when the list is not to be had ("whether it was revoked"), and the
/// list's name ("revocation list").
fn status_words(purpose: &Purpose) -> (&'static str, &'static str) {
    match purpose {
        Purpose::Revocation => ("whether it was revoked", "revocation list"),
        Purpose::Suspension => ("whether it was suspended", "suspension list"),
        Purpose::Refresh => ("whether a newer version replaces it", "refresh list"),
        Purpose::Message | Purpose::Other(_) => ("what its status is", "status list"),
    }
}

/// The status entries of `doc`, checked one by one, then a not-applicable check for
/// revocation and suspension when no entry has that purpose.
pub(crate) fn check_statuses(
    doc: &Value,
    issuer: Option<&str>,
    ctx: &VerifyContext<'_>,
) -> Vec<Check> {
    let entries: Vec<&Value> = match doc.get("credentialStatus") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    let mut checks = Vec::new();
    for entry in entries {
        let kind = entry.get("type").and_then(Value::as_str);
        let is_bitstring = match entry.get("type") {
            Some(Value::Array(types)) => types
                .iter()
                .any(|t| t.as_str() == Some("BitstringStatusListEntry")),
            _ => kind == Some("BitstringStatusListEntry"),
        };
        if kind == Some(REVOCATION_LIST_1EDTECH) {
            checks.push(check_1edtech_revocation(doc, entry, issuer, ctx));
            continue;
        }
        if !is_bitstring {
            checks.push(
                Check::new(
                    "status",
                    Outcome::Unknown,
                    "The credential's status is published in a way this verifier cannot read, so we cannot say whether it was revoked or suspended.",
                )
                .detail(format!(
                    "Status entry of type {} (only BitstringStatusListEntry is supported).",
                    kind.unwrap_or("(none)")
                )),
            );
            continue;
        }
        match StatusEntry::from_json(entry) {
            Ok(parsed) => checks.push(check_status_entry(&parsed, issuer, ctx)),
            Err(e) => {
                let code = entry
                    .get("statusPurpose")
                    .and_then(Value::as_str)
                    .map_or("status", |p| status_code(&Purpose::parse(p)));
                checks.push(
                    Check::new(
                        code,
                        Outcome::Unknown,
                        "The credential's status entry is malformed, so we cannot say whether it was revoked or suspended.",
                    )
                    .detail(e.to_string()),
                );
            }
        }
    }
    for purpose in [Purpose::Revocation, Purpose::Suspension] {
        let code = status_code(&purpose);
        if !checks.iter().any(|c| c.code == code) {
            let message = match purpose {
                Purpose::Revocation => {
                    "The issuer published no revocation list for this credential, so it cannot be revoked."
                }
                _ => {
                    "The issuer published no suspension list for this credential, so it cannot be suspended."
                }
            };
            checks.push(Check::new(code, Outcome::NotApplicable, message));
        }
    }
    checks
}

/// The list `entry` names, when it may be trusted: obtained, its proof verified, issued and
/// signed by the credential's issuer, within its validity period. Otherwise the `unknown`
/// check that says why.
fn trusted_list(
    entry: &StatusEntry,
    issuer: Option<&str>,
    ctx: &VerifyContext<'_>,
) -> Result<Value, Check> {
    let code = status_code(&entry.purpose);
    let (question, list_name) = status_words(&entry.purpose);
    let unknown = |why: &str| {
        Check::new(
            code,
            Outcome::Unknown,
            format!("{why}, so we cannot say {question}."),
        )
    };
    let list = ctx.fetcher.fetch(&entry.list_url).map_err(|e| {
        unknown(&format!("Could not obtain the issuer's {list_name}"))
            .detail(format!("{}: {e}", entry.list_url))
    })?;
    let verified = ctx.verify_proofs(&list).map_err(|e| {
        unknown(&format!(
            "The issuer's {list_name} could not be trusted because its own signature does not verify"
        ))
        .detail(format!("{}: {e}", entry.list_url))
    })?;
    let list_issuer = issuer_id(&list);
    if issuer.is_none() || list_issuer != issuer {
        return Err(unknown(&format!(
            "The {list_name} was not published by this credential's issuer"
        ))
        .detail(format!(
            "The list at {} is issued by {}, the credential by {}.",
            entry.list_url,
            list_issuer.unwrap_or("(no one)"),
            issuer.unwrap_or("(no one)")
        )));
    }
    if let Some(stranger) = verified
        .iter()
        .find(|p| Some(p.controller.as_str()) != list_issuer)
    {
        return Err(unknown(&format!(
            "The {list_name} was signed by someone other than its issuer"
        ))
        .detail(format!(
            "The list at {} is signed with a key of {}.",
            entry.list_url, stranger.controller
        )));
    }
    let date = |field: &str| {
        list.get(field)
            .and_then(Value::as_str)
            .and_then(parse_date_time)
    };
    if date("validUntil").is_some_and(|until| until < ctx.now) {
        return Err(unknown(&format!("The issuer's {list_name} is out of date"))
            .detail(format!("The list at {} has expired.", entry.list_url)));
    }
    if let Some(from) = date("validFrom").filter(|from| *from > ctx.now) {
        return Err(
            unknown(&format!("The issuer's {list_name} is not valid yet")).detail(format!(
                "The list at {} is valid only from {}.",
                entry.list_url,
                from.to_rfc3339()
            )),
        );
    }
    Ok(list)
}

fn check_status_entry(entry: &StatusEntry, issuer: Option<&str>, ctx: &VerifyContext<'_>) -> Check {
    let code = status_code(&entry.purpose);
    let (question, list_name) = status_words(&entry.purpose);
    if let Purpose::Other(purpose) = &entry.purpose {
        return Check::new(
            code,
            Outcome::Unknown,
            format!("The credential's status entry has the purpose \"{purpose}\", which this verifier does not know, so we cannot say what its status means."),
        )
        .detail(format!("Entry {} of {}.", entry.index, entry.list_url));
    }
    let list = match trusted_list(entry, issuer, ctx) {
        Ok(list) => list,
        Err(check) => return check,
    };
    match read_status(entry, &list) {
        Ok(status) => status_check(entry, &status),
        Err(e) => Check::new(
            code,
            Outcome::Unknown,
            format!("The issuer's {list_name} could not be read, so we cannot say {question}."),
        )
        .detail(format!("{}: {e}", entry.list_url)),
    }
}

/// The check for a status read from a trusted list.
fn status_check(entry: &StatusEntry, status: &StatusValue) -> Check {
    let code = status_code(&entry.purpose);
    let (_, list_name) = status_words(&entry.purpose);
    let said = status
        .message
        .as_deref()
        .map(|m| format!(" The issuer's list says: \"{m}\"."))
        .unwrap_or_default();
    let detail = if entry.size == 1 {
        format!(
            "Entry {} of {} is {}.",
            entry.index,
            entry.list_url,
            if status.is_set() { "set" } else { "clear" }
        )
    } else {
        format!(
            "Entry {} ({} bits) of {} holds the value 0x{:x}.",
            entry.index, entry.size, entry.list_url, status.value
        )
    };
    let (outcome, message) = match (&entry.purpose, status.is_set()) {
        (Purpose::Revocation, true) => (
            Outcome::Failed,
            format!("The credential was revoked by its issuer.{said}"),
        ),
        (Purpose::Suspension, true) => (
            Outcome::Failed,
            format!("The credential was suspended by its issuer.{said}"),
        ),
        (Purpose::Refresh, true) => (
            Outcome::Warning,
            format!("The issuer has published a newer version of this credential; ask its holder for a fresh copy.{said}"),
        ),
        (Purpose::Message, _) => (
            Outcome::Passed,
            match &status.message {
                Some(m) => format!(
                    "The issuer's {list_name} shows that the credential's status is \"{m}\"."
                ),
                None => format!(
                    "The issuer's {list_name} shows that the credential's status is 0x{:x}.",
                    status.value
                ),
            },
        ),
        (Purpose::Refresh, false) => (
            Outcome::Passed,
            format!("The issuer's {list_name} shows that the credential is the latest version.{said}"),
        ),
        (purpose, _) => {
            let state = match purpose {
                Purpose::Suspension => "suspended",
                _ => "revoked",
            };
            (
                Outcome::Passed,
                format!("The issuer's {list_name} shows that the credential has not been {state}.{said}"),
            )
        }
    };
    Check::new(code, outcome, message).detail(detail)
}

/// The type of the 1EdTech Revocation List status entry (Open Badges 3.0, CLR 2.0).
pub const REVOCATION_LIST_1EDTECH: &str = "1EdTechRevocationList";

/// A `1EdTechRevocationList` entry: the list at the entry's `id` names the ids of revoked
/// credentials (`revokedCredentials`, each with an optional `revocationReason`). The list
/// must say it is the list at that address and be issued by the credential's issuer; it
/// carries no proof, so its authenticity rests on the issuer's site serving it.
fn check_1edtech_revocation(
    doc: &Value,
    entry: &Value,
    issuer: Option<&str>,
    ctx: &VerifyContext<'_>,
) -> Check {
    const CODE: &str = "status.revocation";
    let unknown = |why: &str| {
        Check::new(
            CODE,
            Outcome::Unknown,
            format!("{why}, so we cannot say whether it was revoked."),
        )
    };
    let Some(url) = entry.get("id").and_then(Value::as_str) else {
        return unknown("The credential's revocation entry names no list (it has no id)");
    };
    let list = match ctx.fetcher.fetch(url) {
        Ok(list) => list,
        Err(e) => {
            return unknown("Could not obtain the issuer's revocation list")
                .detail(format!("{url}: {e}"))
        }
    };
    if list.get("id").and_then(Value::as_str) != Some(url) {
        return unknown("The issuer's revocation list is not the one the credential names").detail(
            format!(
                "The document at {url} has the id {}.",
                list.get("id").and_then(Value::as_str).unwrap_or("(none)")
            ),
        );
    }
    let list_issuer = issuer_id(&list);
    if issuer.is_none() || list_issuer != issuer {
        return unknown("The revocation list was not published by this credential's issuer")
            .detail(format!(
                "The list at {url} is issued by {}, the credential by {}.",
                list_issuer.unwrap_or("(no one)"),
                issuer.unwrap_or("(no one)")
            ));
    }
    let Some(Value::Array(revoked)) = list.get("revokedCredentials") else {
        return unknown("The issuer's revocation list could not be read").detail(format!(
            "The list at {url} has no revokedCredentials array."
        ));
    };
    let Some(id) = doc.get("id").and_then(Value::as_str) else {
        return unknown("The credential has no id to look for in its issuer's revocation list");
    };
    let unsigned = format!(
        "The list at {url} is a 1EdTech revocation list, which carries no signature: it is trusted as the issuer's site serves it."
    );
    match revoked
        .iter()
        .find(|r| r.get("id").and_then(Value::as_str) == Some(id))
    {
        Some(found) => {
            let reason = found
                .get("revocationReason")
                .and_then(Value::as_str)
                .filter(|r| !r.trim().is_empty())
                .map(|r| format!(" The issuer gave this reason: {r}"))
                .unwrap_or_default();
            Check::new(
                CODE,
                Outcome::Failed,
                format!("The credential was revoked by its issuer.{reason}"),
            )
            .detail(format!("{id} is listed as revoked. {unsigned}"))
        }
        None => Check::new(
            CODE,
            Outcome::Passed,
            "The issuer's revocation list shows that the credential has not been revoked.",
        )
        .detail(format!("{id} is not listed. {unsigned}")),
    }
}
