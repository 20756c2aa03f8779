//! The audit trail in sentences: who did what to which thing, in words, with the stored
//! record (its action code, subject and detail) kept behind a disclosure on the page.

use credence_service::audit_chain::AuditView;
use serde_json::Value;

use super::when;

/// An audit entry as the console shows it: a sentence, and the record it was made from.
#[derive(Debug, Clone)]
pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    /// Who acted, by name.
    pub who: String,
    /// What they did, before the subject ("revoked").
    pub did: String,
    /// The thing acted on, by name, and where it is shown in the console.
    pub subject: Option<Subject>,
    /// What follows the subject ("as an accrediting body").
    pub then: String,
    /// The reason or comment given, quoted after the sentence.
    pub quote: Option<String>,
    /// The stored record, for the disclosure.
    pub action: String,
    pub subject_code: String,
    pub detail: String,
}

/// A subject of an audit entry, by name.
#[derive(Debug, Clone)]
pub struct Subject {
    pub name: String,
    pub href: Option<String>,
}

/// Lines for the audit entries of organisation `slug`'s console.
pub fn audit_lines(slug: &str, entries: Vec<AuditView>) -> Vec<AuditLine> {
    entries.into_iter().map(|e| line(slug, e)).collect()
}

fn line(slug: &str, e: AuditView) -> AuditLine {
    let text = |key: &str| e.detail.get(key).and_then(Value::as_str).map(str::to_owned);
    let (did, then, quote) = words(&e.action, &e.detail, &text);
    // A bulk job has no name of its own: the sentence names it by its size.
    let name = match e.action.as_str() {
        "bulk.create" => {
            let rows = e.detail.get("rows").and_then(Value::as_i64).unwrap_or(0);
            Some(format!("a bulk award of {rows} row{}", plural(rows)))
        }
        _ => e.subject_name.clone(),
    };
    let subject = name.map(|name| Subject {
        href: href(slug, &e.subject),
        name,
    });
    AuditLine {
        seq: e.seq,
        at: when(&e.at),
        who: who(&e),
        did,
        subject,
        then,
        quote,
        subject_code: e.subject,
        action: e.action,
        detail: match &e.detail {
            Value::Object(m) if m.is_empty() => String::new(),
            Value::Null => String::new(),
            other => serde_json::to_string_pretty(other).unwrap_or_default(),
        },
    }
}

/// The actor, by name: an account or token that still exists is named; the others are
/// described.
fn who(e: &AuditView) -> String {
    if let Some(name) = &e.actor_name {
        return name.clone();
    }
    match e.actor.split_once(':') {
        Some(("operator", _)) => "The operator".into(),
        Some(("account", _)) => "A removed account".into(),
        Some(("token", _)) => "A removed API token".into(),
        _ if e.actor == "anonymous" => "Someone not signed in".into(),
        _ => "The system".into(),
    }
}

/// What was done, what follows the subject, and a quoted reason, for an action code.
fn words(
    action: &str,
    detail: &Value,
    text: &dyn Fn(&str) -> Option<String>,
) -> (String, String, Option<String>) {
    let s = |v: &str| v.to_owned();
    let (did, then, quote) = match action {
        "award.issue" => {
            let bulk = detail.get("bulk_job").is_some_and(|v| !v.is_null());
            let justified = text("override_justification");
            let then = match (bulk, &justified) {
                (true, Some(_)) => "in a bulk award, without all the evidence",
                (true, None) => "in a bulk award",
                (false, Some(_)) => "without all the evidence",
                (false, None) => "",
            };
            (s("awarded"), s(then), justified)
        }
        "award.revoke" => (s("revoked"), String::new(), text("reason")),
        "award.suspend" => (s("suspended"), String::new(), text("reason")),
        "award.reinstate" => (s("reinstated"), String::new(), text("reason")),
        "award.visibility" => {
            let public = detail.get("public").and_then(Value::as_bool) == Some(true);
            let then = if public { "public" } else { "private" };
            (s("made"), s(then), None)
        }
        "credential.issue" => (s("issued"), s("through the VC-API"), None),
        "achievement.create" => (s("published the achievement"), String::new(), None),
        "bulk.create" => (s("started"), String::new(), None),
        "accreditation.grant" => {
            let n = detail
                .get("pathways")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            (
                s("accredited"),
                format!("for {n} pathway{}", plural(n)),
                None,
            )
        }
        "member.add" => {
            let role = text("role").unwrap_or_default();
            (s("gave"), format!("the {role} role"), None)
        }
        "member.remove" => (s("removed"), s("from the organisation"), None),
        "token.create" => {
            let role = text("role").unwrap_or_default();
            (s("created"), format!("for the {role} role"), None)
        }
        "token.revoke" => (s("revoked"), String::new(), None),
        "key.rotate" => (s("made a new signing key for"), String::new(), None),
        "org.create" => (s("created the organisation"), String::new(), None),
        "org.cryptosuite" => {
            let to = text("to").unwrap_or_default();
            (
                s("chose"),
                format!("to sign new credentials with {to}"),
                None,
            )
        }
        "trust.add" => (s("trusted"), s("as an accrediting body"), None),
        "trust.remove" => (s("stopped trusting"), s("as an accrediting body"), None),
        "evidence.submit" => (s("submitted"), s("for assessment"), None),
        "evidence.attest" => {
            let level = text("level").unwrap_or_default();
            (
                s("attested"),
                format!("at the {level} level"),
                text("comment"),
            )
        }
        "evidence.reject" => (s("did not attest"), String::new(), text("comment")),
        "evidence.record" => (s("recorded"), String::new(), None),
        "evidence.edit" => (s("edited"), String::new(), None),
        "evidence.attach" => (s("attached a file to"), String::new(), None),
        "evidence.delete" => (s("deleted"), String::new(), None),
        "evidence.import" => (s("imported evidence"), String::new(), None),
        "account.create" | "account.create-operator" => {
            (s("created the account"), String::new(), None)
        }
        other => (other.replace(['.', '-', '_'], " "), String::new(), None),
    };
    (did, then, quote.filter(|q| !q.is_empty()))
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Where the console shows a subject, when it does.
fn href(slug: &str, subject: &str) -> Option<String> {
    match subject.split_once(':')? {
        ("award", id) => Some(format!("/console/{slug}/awards/{id}")),
        ("bulk", id) => Some(format!("/console/{slug}/bulk/{id}")),
        ("achievement", id) => Some(format!("/achievements/{id}")),
        ("org", other) => Some(format!("/orgs/{other}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(
        actor: &str,
        name: Option<&str>,
        action: &str,
        subject: &str,
        detail: Value,
    ) -> AuditView {
        AuditView {
            seq: 7,
            at: "2026-12-05T10:11:12.123456789+00:00".into(),
            actor: actor.into(),
            actor_name: name.map(str::to_owned),
            action: action.into(),
            subject: subject.into(),
            subject_name: Some("Foundational for Dee Done".into()),
            detail,
            hash: "h".into(),
        }
    }

    /// The sentence a person reads: who, did, subject, then, and the quote.
    fn sentence(l: &AuditLine) -> String {
        let mut out = format!("{} {}", l.who, l.did);
        if let Some(s) = &l.subject {
            out.push(' ');
            out.push_str(&s.name);
        }
        if !l.then.is_empty() {
            out.push(' ');
            out.push_str(&l.then);
        }
        if let Some(q) = &l.quote {
            out.push_str(&format!(": \u{201c}{q}\u{201d}"));
        }
        out
    }

    #[test]
    fn entries_read_as_sentences() {
        let check = |e: AuditView, expected: &str| {
            let l = line("nymouth-ics", e);
            assert_eq!(sentence(&l), expected);
            assert!(!l.at.contains(".123"), "no fractions of a second: {}", l.at);
        };
        let ines = Some("Ines Issuer <ines@example.test>");
        check(
            view("account:1", ines, "award.revoke", "award:9", json!({"reason": "Issued in error."})),
            "Ines Issuer <ines@example.test> revoked Foundational for Dee Done: \u{201c}Issued in error.\u{201d}",
        );
        check(
            view(
                "account:1",
                ines,
                "award.issue",
                "award:9",
                json!({"bulk_job": "j", "override_justification": null}),
            ),
            "Ines Issuer <ines@example.test> awarded Foundational for Dee Done in a bulk award",
        );
        check(
            view(
                "operator:local-command-line",
                None,
                "member.add",
                "account:2",
                json!({"role": "issuer"}),
            ),
            "The operator gave Foundational for Dee Done the issuer role",
        );
        check(
            view(
                "account:gone",
                None,
                "bulk.create",
                "bulk:3",
                json!({"rows": 1}),
            ),
            "A removed account started a bulk award of 1 row",
        );
        check(
            view(
                "token:5",
                Some("API token \u{201c}LMS\u{201d}"),
                "made.up-action",
                "x:1",
                json!({}),
            ),
            "API token \u{201c}LMS\u{201d} made up action Foundational for Dee Done",
        );
    }

    #[test]
    fn subjects_link_to_their_console_pages() {
        assert_eq!(href("o", "award:1").as_deref(), Some("/console/o/awards/1"));
        assert_eq!(href("o", "bulk:2").as_deref(), Some("/console/o/bulk/2"));
        assert_eq!(href("o", "evidence:3"), None);
        assert_eq!(href("o", "nothing"), None);
    }
}
