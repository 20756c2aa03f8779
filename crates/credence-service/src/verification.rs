//! Verification of any credential against what this Credence knows: `did:key` offline,
//! `did:web` of its own organisations (every key, active and retired) and its own status
//! lists, read from the store into memory before the (synchronous) check runs. Other
//! issuers' keys and lists are fetched through the guarded client when fetching is on
//! (`remote.rs`); what cannot be obtained is reported unknown, never "not revoked". A JSON
//! string holding a JWT-secured credential (`application/vc+jwt`) is verified as one.

use std::collections::HashMap;

use credence_vc::did::StaticResolver;
use credence_vc::jwt;
use credence_vc::proof::issuer_id;
use credence_vc::status_list::StatusPurpose;
use credence_vc::verify::{
    verify_credential, FetchError, StatusFetcher, VerificationReport, VerifyContext,
};
use serde_json::Value;

use crate::desks::PublicDesk;
use crate::registry::Registry;
use crate::ServiceError;
use credence_documents::credential::status_list_url;

/// Status lists loaded before verifying, by URL, and why the others could not be fetched.
#[derive(Debug, Default)]
struct SnapshotFetcher {
    lists: HashMap<String, Value>,
    failures: HashMap<String, String>,
}

impl StatusFetcher for SnapshotFetcher {
    fn fetch(&self, url: &str) -> Result<Value, FetchError> {
        if let Some(list) = self.lists.get(url) {
            return Ok(list.clone());
        }
        let reason = self.failures.get(url).map_or(
            "only this registry's own status lists are read (fetching is turned off)",
            String::as_str,
        );
        Err(FetchError::Unavailable {
            url: url.to_owned(),
            reason: reason.to_owned(),
        })
    }
}

/// What was verified, in the format it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Verifiable Credential, secured by a Data Integrity proof or as a JWT.
    Vc,
    /// An Open Badges 2.0 assertion (hosted or signed).
    OpenBadges2,
}

/// A verification's report with what it verified, for showing to people.
#[derive(Debug, Clone)]
pub struct Checked {
    pub report: VerificationReport,
    /// The credential as people should read it: a JWT's credential rather than the token,
    /// an OB 2.0 assertion with its badge class and issuer embedded (`Value::Null` when
    /// nothing could be read).
    pub shown: Value,
    pub format: Format,
}

impl PublicDesk<'_> {
    /// The organisation and purpose of one of this registry's own status lists, named by
    /// its exact address; `None` for any other address.
    fn own_status_list(&self, url: &str) -> Option<(credence_domain::OrgSlug, StatusPurpose)> {
        let rest = url
            .strip_prefix(&self.config.base_url)?
            .strip_prefix("/orgs/")?;
        let (slug, purpose) = rest.split_once("/status/")?;
        let purpose = purpose.parse::<StatusPurpose>().ok()?;
        let slug = slug.parse::<credence_domain::OrgSlug>().ok()?;
        (status_list_url(&self.config.base_url, slug.as_str(), purpose) == url)
            .then_some((slug, purpose))
    }

    /// Verifies a credential and reports every check.
    pub async fn verify_credential_json(
        &self,
        doc: &Value,
    ) -> Result<VerificationReport, ServiceError> {
        Ok(self.check(doc, false).await?.report)
    }

    /// Verifies whatever was brought: a Verifiable Credential (JSON or JWT) or an Open
    /// Badges 2.0 assertion (JSON, its JWS, or the address a badge carries), then names
    /// the issuer registry that knows its issuer, if the operator trusts any.
    pub async fn check_any(&self, doc: &Value) -> Result<Checked, ServiceError> {
        self.check(doc, true).await
    }

    /// [`Self::check_any`]; a Verifiable Credential is copied into `shown` only when
    /// `keep_shown` (the API answers with the report alone: no copy of a large document).
    #[tracing::instrument(level = "info", skip_all)]
    async fn check(&self, doc: &Value, keep_shown: bool) -> Result<Checked, ServiceError> {
        let (mut checked, issuer) = match crate::ob2::recognise(doc) {
            Some(brought) => {
                let verified = self.verify_ob2(brought).await;
                let issuer = verified
                    .shown
                    .pointer("/badge/issuer/id")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let checked = Checked {
                    report: verified.report,
                    shown: verified.shown,
                    format: Format::OpenBadges2,
                };
                (checked, issuer)
            }
            None => {
                let report = self.verify_vc(doc).await?;
                let token = doc.as_str().and_then(jwt::peek).map(|(_, c)| c);
                let credential = token.as_ref().unwrap_or(doc);
                let issuer = issuer_id(credential).map(str::to_owned);
                let shown = match token {
                    Some(credential) if keep_shown => credential,
                    None if keep_shown => doc.clone(),
                    _ => Value::Null,
                };
                let checked = Checked {
                    report,
                    shown,
                    format: Format::Vc,
                };
                (checked, issuer)
            }
        };
        if let Some(check) = self.config.issuer_registries.check(issuer.as_deref()) {
            checked.report = checked.report.with_check(check);
        }
        self.metrics.verified(checked.report.verdict);
        Ok(checked)
    }

    /// Verifies a Verifiable Credential (JSON, or a JSON string holding a JWT).
    async fn verify_vc(&self, doc: &Value) -> Result<VerificationReport, ServiceError> {
        // A JSON string holding a JWT-secured credential: its keys and lists are fetched
        // as a Data Integrity credential's are (the kid standing for the proof's method).
        let token = doc.as_str().and_then(|t| jwt::peek(t).map(|p| (t, p)));
        let (doc, jwt_kid) = match &token {
            Some((_, (kid, credential))) => (credential, kid.clone()),
            None => (doc, None),
        };
        let mut resolver = StaticResolver::new();
        let mut fetcher = SnapshotFetcher::default();
        let mut local_methods = std::collections::HashSet::new();
        if let Some(issuer) = issuer_id(doc).filter(|i| i.starts_with("did:web:")) {
            if let Some(facts) = self.issuer_facts(issuer).await? {
                for method in &facts.methods {
                    local_methods.insert(method.id.clone());
                    resolver = resolver.with(method.clone());
                }
            }
        }
        let mut remote_lists = Vec::new();
        // This registry's own lists, by organisation (both of an award's lists are read
        // with one query); their stored versions are read every time: never behind any
        // process.
        let mut own: Vec<(credence_domain::OrgSlug, Vec<(StatusPurpose, String)>)> = Vec::new();
        for url in crate::remote::status_list_urls(doc) {
            let Some((slug, purpose)) = self.own_status_list(&url) else {
                continue;
            };
            match own.iter_mut().find(|(s, _)| *s == slug) {
                Some((_, lists)) => lists.push((purpose, url)),
                None => own.push((slug, vec![(purpose, url)])),
            }
        }
        for (slug, urls) in own {
            let Some(org) = self.org_by_slug_recently(&slug).await? else {
                continue;
            };
            let purposes: Vec<StatusPurpose> = urls.iter().map(|(p, _)| *p).collect();
            let lists = self.status_lists_of(&org, &purposes).await?;
            for ((_, url), list) in urls.into_iter().zip(lists) {
                let value: Value = serde_json::from_str(&list.json)
                    .map_err(ServiceError::wrap("reading a stored status list"))?;
                fetcher.lists.insert(url, value);
            }
        }
        for url in crate::remote::status_list_urls(doc) {
            if !fetcher.lists.contains_key(&url) && !url.starts_with(&self.config.base_url) {
                remote_lists.push(url);
            }
        }
        let mut fetches = Vec::new();
        let mut jwt_keys = Vec::new();
        if let Some(outbound) = self
            .config
            .fetcher
            .as_ref()
            .filter(|f| f.settings().enabled)
        {
            // This Credence's own keys come from its database, never over the network: a
            // method naming this Credence that the database does not hold stays unresolved.
            let own_did = format!("did:web:{}", self.config.did_web_host());
            let own = |m: &str| {
                m.starts_with(&self.config.base_url)
                    || m.split('#').next().is_some_and(|base| {
                        base == own_did || base.starts_with(&format!("{own_did}:"))
                    })
            };
            let known = |method: &str| local_methods.contains(method) || own(method);
            let mut for_fetch = std::borrow::Cow::Borrowed(doc);
            // A token whose payload is not an object carries no credential: nothing of it
            // is fetched, and its verification says so.
            if let Some(kid) = &jwt_kid {
                if let Some(fields) = for_fetch.to_mut().as_object_mut() {
                    fields.insert(
                        "proof".into(),
                        serde_json::json!({ "verificationMethod": kid }),
                    );
                }
            }
            let prepared =
                crate::remote::prepare(outbound, &for_fetch, &remote_lists, &known).await;
            for method in prepared.methods {
                resolver = resolver.with(method);
            }
            fetcher.lists.extend(prepared.lists);
            fetcher.failures.extend(prepared.list_failures);
            jwt_keys = prepared.jwt_keys;
            fetches = prepared.log;
        }
        let canonicalizer = self.canonicalizer_for(doc).await;
        let ctx = VerifyContext::new(self.now(), &resolver, &fetcher)
            .with_memo(&self.caches.proofs)
            .with_canonicalizer(&canonicalizer);
        let mut report = crate::registry::cpu_bound(|| match &token {
            Some((text, _)) => jwt::verify_jwt(text, &ctx, &jwt_keys).1,
            None => verify_credential(doc, &ctx),
        });
        report.fetches = crate::remote::notes(fetches);
        let report = self.with_accreditation_check(doc, report).await?;
        self.with_status_reason(doc, report).await
    }
}

impl Registry {
    /// For a credential issued here that its issuer revoked or suspended, the reason and
    /// date the issuer gave, added to the status check that failed.
    async fn with_status_reason(
        &self,
        doc: &Value,
        mut report: VerificationReport,
    ) -> Result<VerificationReport, ServiceError> {
        let failed = |code: &str| {
            report
                .check(code)
                .is_some_and(|c| c.outcome == credence_vc::verify::Outcome::Failed)
        };
        let code = if failed("status.revocation") {
            "status.revocation"
        } else if failed("status.suspension") {
            "status.suspension"
        } else {
            return Ok(report);
        };
        let Some(id) = doc.get("id").and_then(Value::as_str) else {
            return Ok(report);
        };
        let award = {
            let tx = self.store.read().await?;
            tx.award_by_credential_id(id).await?
        };
        let Some(award) = award else {
            return Ok(report);
        };
        let Some(reason) = award.status_reason.filter(|r| !r.trim().is_empty()) else {
            return Ok(report);
        };
        let when = award.updated_at.format("%-d %B %Y");
        let done = if code == "status.revocation" {
            "revoked"
        } else {
            "suspended"
        };
        if let Some(check) = report.checks.iter_mut().find(|c| c.code == code) {
            check.message = format!(
                "{} The issuer {done} it on {when}, giving this reason: {reason}",
                check.message
            );
        }
        Ok(report)
    }
}
