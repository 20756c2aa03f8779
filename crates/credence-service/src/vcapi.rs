//! The W3C CCG VC-API: issue a credential for an organisation whose issuer token calls,
//! verify credentials and presentations, and change a credential's status by its id.
//! Credentials issued here are stored as awards without an achievement or holder, so status
//! lists, revocation and public serving work as for any award.

use chrono::SecondsFormat;
use credence_domain::registry::{AwardStatus, Email, StatusAction};
use credence_domain::AwardId;
use credence_store::registry::AwardRow;
use credence_vc::contexts::CREDENTIALS_V1;
use credence_vc::proof::{issuer_id, sign, verify_proofs, Cryptosuite};
use credence_vc::verify::{parse_date_time, VerificationReport};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::awards::{free_indices, taken_meanwhile, AwardView};
use crate::desks::{CallerDesk, PublicDesk};
use crate::issuing::{check_before_signing, check_data_model};
use crate::metrics::IssuedVia;
use crate::registry::{audit, Registry};
use crate::ServiceError;
use credence_documents::credential::{credential_status, StatusIndices};

/// The Bitstring Status List context, which VC 1.1 documents need for status entries.
const STATUS_V1: &str = "https://www.w3.org/ns/credentials/status/v1";
/// How many times an issue is retried when a random status index was taken meanwhile.
const MAX_ATTEMPTS: usize = 5;

/// What `POST /presentations/verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct PresentationReport {
    pub verified: bool,
    /// The presentation's own checks (proof, purpose, challenge, domain).
    pub checks: Vec<PresentationCheck>,
    /// One report per credential in the presentation.
    pub credentials: Vec<VerificationReport>,
}

/// One check of a presentation.
#[derive(Debug, Clone, Serialize)]
pub struct PresentationCheck {
    pub code: &'static str,
    pub passed: bool,
    pub message: String,
}

/// What a VC-API issue request asks for besides the credential.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueRequest {
    /// Status entries to add: `None` for none; otherwise a revocation entry, and a
    /// suspension entry too when `Some(true)`. Open Badges 3.0 allows one entry, so a
    /// credential with both fails the 1EdTech schema and is refused when it is one.
    pub status: Option<bool>,
    /// The cryptosuite; the organisation's default when `None`.
    pub cryptosuite: Option<Cryptosuite>,
    /// The person the credential is for, by e-mail (`options.recipientEmail`, a Credence
    /// extension): it goes to their account when its address is proven, and otherwise
    /// waits for them to claim it by the link sent to the address. The credential itself
    /// is the caller's and is not changed.
    pub recipient_email: Option<Email>,
}

fn object<'a>(value: &'a Value, pointer: &str) -> Result<&'a Map<String, Value>, ServiceError> {
    value
        .as_object()
        .ok_or_else(|| ServiceError::invalid(pointer, "This must be a JSON object."))
}

impl CallerDesk<'_> {
    /// Issues `credential` for the organisation named by its `issuer`, which the actor must
    /// be an issuer of, after checking it against the VC Data Model and, for an Open Badges
    /// credential, the 1EdTech schema. `request` asks for status entries and a cryptosuite.
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str())))]
    pub async fn vcapi_issue(
        &self,
        credential: Value,
        request: IssueRequest,
    ) -> Result<Value, ServiceError> {
        let actor = &self.actor;
        let doc = object(&credential, "/credential")?;
        // The data model first, on the document as sent: a malformed issuer is a malformed
        // credential, not somebody else's DID. (What Credence adds, `issuanceDate` for a
        // VC 1.1 credential, is not asked of the caller; the whole document is checked
        // again before signing.)
        check_data_model(&credential, "/credential", &["v1-issuance-date-present"])?;
        let issuer = issuer_id(&credential).ok_or_else(|| {
            ServiceError::invalid(
                "/credential/issuer",
                "The credential must name its issuer (a DID of an organisation on this Credence).",
            )
        })?;
        let org = {
            let tx = self.store.read().await?;
            tx.org_by_did(issuer).await?
        };
        let org = match org {
            Some(org) => org,
            None if actor.is_anonymous() => {
                return Err(ServiceError::Unauthenticated(
                    "Send an issuer's API token to issue credentials.".into(),
                ))
            }
            None => {
                return Err(ServiceError::Forbidden(format!(
                    "{issuer} is not a DID your token may issue for."
                )))
            }
        };
        let issuer_role = actor.issuer(&org)?;
        // The data-model check above refused any other first context, a type without
        // VerifiableCredential and a missing subject.
        let version = match doc.get("@context") {
            Some(Value::Array(items)) if items.first() == Some(&json!(CREDENTIALS_V1)) => 1,
            _ => 2,
        };
        if doc.contains_key("proof") {
            return Err(ServiceError::invalid(
                "/credential/proof",
                "Send the credential unsigned: Credence adds the proof.",
            ));
        }
        if request.status.is_some() && doc.contains_key("credentialStatus") {
            return Err(ServiceError::invalid(
                "/credential/credentialStatus",
                "Leave credentialStatus out when asking for one in options.",
            ));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self
                .vcapi_issue_once(&issuer_role, doc, version, &request)
                .await
            {
                Err(ServiceError::Conflict(_)) if attempt < MAX_ATTEMPTS => continue,
                other => return other,
            }
        }
    }
}

impl Registry {
    async fn vcapi_issue_once(
        &self,
        issuer: &crate::actor::Issuer,
        doc: &Map<String, Value>,
        version: u8,
        request: &IssueRequest,
    ) -> Result<Value, ServiceError> {
        let org = &issuer.0.org;
        let now = self.now();
        let tx = self.store.write().await?;
        let id = AwardId::random();
        let mut out = doc.clone();
        let credential_id = match out.get("id") {
            Some(Value::String(given)) => given.clone(),
            Some(_) => {
                return Err(ServiceError::invalid(
                    "/credential/id",
                    "The id must be a string (a URL).",
                ))
            }
            None => {
                let ours = self.url(&format!("/credentials/{id}"));
                out.insert("id".into(), json!(ours));
                ours
            }
        };
        if tx.award_by_credential_id(&credential_id).await?.is_some() {
            return Err(ServiceError::invalid(
                "/credential/id",
                format!("A credential with the id {credential_id} was already issued here."),
            ));
        }
        let stamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        if version == 2 && !out.contains_key("validFrom") {
            out.insert("validFrom".into(), json!(stamp));
        }
        if version == 1 && !out.contains_key("issuanceDate") {
            out.insert("issuanceDate".into(), json!(stamp));
        }
        let (revocation, suspension) = free_indices(&tx, &org.id, 1).await?[0];
        let suspendable = request.status == Some(true);
        if request.status.is_some() {
            let index =
                |i: i64| usize::try_from(i).map_err(ServiceError::wrap("reading a status index"));
            let indices = StatusIndices {
                revocation: index(revocation)?,
                suspension: suspendable.then(|| index(suspension)).transpose()?,
            };
            self.add_status_entry(&mut out, version, org, indices);
        }
        let unsigned = Value::Object(out);
        check_before_signing(&unsigned, "/credential")?;
        let signer = self.active_signer(&tx, org).await?;
        let options = self.proof_options(org, &signer, &stamp, request.cryptosuite);
        let signed = crate::registry::cpu_bound(|| sign(&unsigned, &signer.key, &options))
            .map_err(|e| {
                ServiceError::invalid(
                    "/credential",
                    format!("The credential cannot be signed: {e}"),
                )
            })?;
        let valid_from = signed
            .get("validFrom")
            .or_else(|| signed.get("issuanceDate"))
            .and_then(Value::as_str)
            .and_then(parse_date_time)
            .unwrap_or(now);
        let valid_until = signed
            .get("validUntil")
            .or_else(|| signed.get("expirationDate"))
            .and_then(Value::as_str)
            .and_then(parse_date_time);
        let holder = self.vcapi_holder(&tx, request).await?;
        let row = AwardRow {
            id: id.clone(),
            org_id: org.id.clone(),
            achievement_id: None,
            holder_id: holder,
            recipient_email: request
                .recipient_email
                .as_ref()
                .map(|e| e.as_str().to_owned()),
            credential: signed.to_string(),
            revocation_index: revocation,
            suspension_index: suspension,
            status: AwardStatus::Active,
            status_reason: None,
            valid_from,
            valid_until,
            idempotency_key: None,
            override_justification: None,
            replaces_award_id: None,
            public: true,
            created_by: issuer.0.label.clone(),
            created_at: now,
            updated_at: now,
            credential_id: Some(credential_id.clone()),
            suspendable,
            reissue_of: None,
        };
        tx.insert_award(row.clone())
            .await
            .map_err(taken_meanwhile)?;
        self.vcapi_tell_recipient(&tx, &row, &signed, &org.name, now)
            .await?;
        audit(
            &tx,
            now,
            &issuer.0.label,
            "credential.issue",
            Some(&org.id),
            &format!("award:{id}"),
            json!({"credential_id": credential_id, "status": request.status.is_some(), "suspendable": suspendable, "cryptosuite": options.cryptosuite.name()}),
        )
        .await?;
        tx.commit().await?;
        self.metrics.awards_issued(IssuedVia::VcApi, 1);
        Ok(signed)
    }
}

impl Registry {
    /// Adds the `credentialStatus` of `indices` to a credential being issued (and, for a
    /// VC 1.1 credential, the status context).
    fn add_status_entry(
        &self,
        out: &mut Map<String, Value>,
        version: u8,
        org: &credence_store::registry::OrgRow,
        indices: StatusIndices,
    ) {
        out.insert(
            "credentialStatus".into(),
            credential_status(&self.config.base_url, &org.slug, indices),
        );
        if version == 1 {
            if let Some(Value::Array(contexts)) = out.get_mut("@context") {
                if !contexts.iter().any(|c| c == STATUS_V1) {
                    contexts.push(json!(STATUS_V1));
                }
            }
        }
    }

    /// The account a VC-API credential goes to: the one of `options.recipientEmail`, when
    /// its address is proven.
    async fn vcapi_holder(
        &self,
        tx: &credence_store::Tx,
        request: &IssueRequest,
    ) -> Result<Option<credence_domain::AccountId>, ServiceError> {
        Ok(match &request.recipient_email {
            Some(email) => tx
                .account_by_email(email.as_str())
                .await?
                .filter(|a| self.address_proven(a))
                .map(|a| a.id),
            None => None,
        })
    }

    /// Tells the recipient named by e-mail of a VC-API credential: its account, or the
    /// address with a claim link.
    async fn vcapi_tell_recipient(
        &self,
        tx: &credence_store::Tx,
        row: &AwardRow,
        signed: &Value,
        issuer: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), ServiceError> {
        if row.recipient_email.is_none() {
            return Ok(());
        }
        let name = signed
            .pointer("/credentialSubject/achievement/name")
            .or_else(|| signed.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("a credential");
        if row.holder_id.is_some() {
            self.notify_awarded(tx, row, name, issuer, now).await
        } else {
            self.open_claims(tx, &[row], name, issuer, now).await
        }
    }
}

impl CallerDesk<'_> {
    /// Changes the status of a credential issued here, found by its id.
    #[tracing::instrument(level = "info", skip_all, fields(account = self.actor.account_id().map(|a| a.as_str()), credential_id = %credential_id))]
    pub async fn vcapi_status(
        &self,
        credential_id: &str,
        action: StatusAction,
        reason: &str,
    ) -> Result<AwardView, ServiceError> {
        let actor = &self.actor;
        let award = {
            let tx = self.store.read().await?;
            match tx.award_by_credential_id(credential_id).await? {
                Some(a) => Some(a),
                None => {
                    // Awards made before credential ids were recorded: their id is ours.
                    let ours = self.url("/credentials/");
                    match credential_id.strip_prefix(&ours).map(AwardId::new) {
                        Some(Ok(uuid)) => tx.award(&uuid).await?,
                        _ => None,
                    }
                }
            }
        }
        .ok_or_else(|| ServiceError::NotFound(format!("credential '{credential_id}'")))?;
        let issuer = self.award_issuer(actor, &award.id).await?;
        issuer.change_award_status(&award.id, action, reason).await
    }
}

/// A presented credential as it is verified: an `EnvelopedVerifiableCredential` (VC 2.0: a
/// `data:` URL holding a JWT-secured credential) becomes its token; anything else (a
/// credential, a JWT as a string, an Open Badges 2.0 assertion) is taken as it is.
fn unenveloped(credential: &Value) -> Value {
    let enveloped = match credential.get("type") {
        Some(Value::String(t)) => t == "EnvelopedVerifiableCredential",
        Some(Value::Array(items)) => items
            .iter()
            .any(|t| t.as_str() == Some("EnvelopedVerifiableCredential")),
        _ => false,
    };
    let token = credential
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| id.strip_prefix("data:"))
        .and_then(|rest| rest.split_once(','))
        .filter(|(media, _)| {
            let media = media.split(';').next().unwrap_or_default();
            matches!(media, "application/vc+jwt" | "application/jwt")
        })
        .map(|(_, token)| token.trim().to_owned());
    match (enveloped, token) {
        (true, Some(token)) => Value::String(token),
        _ => credential.clone(),
    }
}

impl PublicDesk<'_> {
    /// Verifies a presentation: its proof (purpose `authentication`, the expected challenge
    /// and domain), then every credential in it.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn verify_presentation(
        &self,
        presentation: &Value,
        challenge: Option<&str>,
        domain: Option<&str>,
    ) -> Result<PresentationReport, ServiceError> {
        let checks = self.presentation_checks(presentation, challenge, domain)?;
        let mut reports = Vec::new();
        for credential in presented_credentials(presentation) {
            reports.push(self.public().verify_credential_json(&credential).await?);
        }
        let verified =
            checks.iter().all(|c| c.passed) && reports.iter().all(VerificationReport::is_verified);
        Ok(PresentationReport {
            verified,
            checks,
            credentials: reports,
        })
    }

    /// The presentation's own checks: its holder's proof (purpose `authentication`), and
    /// the challenge and domain when they are expected. Refuses what is not a presentation.
    pub fn presentation_checks(
        &self,
        presentation: &Value,
        challenge: Option<&str>,
        domain: Option<&str>,
    ) -> Result<Vec<PresentationCheck>, ServiceError> {
        let vp = object(presentation, "/verifiablePresentation")?;
        let types: Vec<&str> = match vp.get("type") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(one)) => vec![one.as_str()],
            _ => Vec::new(),
        };
        if !types.contains(&"VerifiablePresentation") {
            return Err(ServiceError::invalid(
                "/verifiablePresentation/type",
                "The type must include VerifiablePresentation.",
            ));
        }
        let mut checks = Vec::new();
        let proofs: Vec<&Value> = match vp.get("proof") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        };
        if proofs.is_empty() {
            checks.push(PresentationCheck {
                code: "proof",
                passed: false,
                message: "The presentation is not signed by its holder.".into(),
            });
        } else {
            let resolver = credence_vc::did::StaticResolver::new();
            let canonicalizer = &self.config.canonicalizer;
            match verify_proofs(presentation, &resolver, canonicalizer) {
                Ok(_) => checks.push(PresentationCheck {
                    code: "proof",
                    passed: true,
                    message: "The holder's signature on the presentation is valid.".into(),
                }),
                Err(e) => checks.push(PresentationCheck {
                    code: "proof",
                    passed: false,
                    message: format!("The holder's signature does not verify: {e}"),
                }),
            }
            let first = proofs[0];
            let field = |k: &str| first.get(k).and_then(Value::as_str);
            checks.push(PresentationCheck {
                code: "purpose",
                passed: field("proofPurpose") == Some("authentication"),
                message: "A presentation proof must have the purpose 'authentication'.".into(),
            });
            if let Some(expected) = challenge {
                let ok = field("challenge") == Some(expected);
                checks.push(PresentationCheck {
                    code: "challenge",
                    passed: ok,
                    message: if ok {
                        "The presentation answers the challenge that was set.".into()
                    } else {
                        "The presentation does not answer the challenge that was set (it may be replayed).".into()
                    },
                });
            }
            if let Some(expected) = domain {
                let ok = field("domain") == Some(expected);
                checks.push(PresentationCheck {
                    code: "domain",
                    passed: ok,
                    message: if ok {
                        "The presentation was made for this domain.".into()
                    } else {
                        "The presentation was made for another domain.".into()
                    },
                });
            }
        }
        Ok(checks)
    }
}

/// Whether `doc` is a presentation (its type includes `VerifiablePresentation`).
pub fn is_presentation(doc: &Value) -> bool {
    match doc.get("type") {
        Some(Value::Array(items)) => items
            .iter()
            .any(|t| t.as_str() == Some("VerifiablePresentation")),
        Some(Value::String(one)) => one == "VerifiablePresentation",
        _ => false,
    }
}

/// The credentials a presentation carries (at most 50), each as it is verified
/// (enveloped ones as their token).
pub fn presented_credentials(presentation: &Value) -> Vec<Value> {
    let credentials: Vec<&Value> = match presentation.get("verifiableCredential") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    credentials.into_iter().take(50).map(unenveloped).collect()
}
