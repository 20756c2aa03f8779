//! Accreditation: an accrediting body's signed, revocable statement that a provider may
//! award named pathways (an OB 3.0 `EndorsementCredential` about the provider), and the
//! chain a verifier is shown: who accredited the issuer, for which pathways, whether the
//! accreditation still stands, and whether this installation trusts that body.
//!
//! The accreditation credential is stored as an award of the body too, so its status entry
//! lives in the body's status lists and revoking it works like revoking any award.

use chrono::{DateTime, SecondsFormat, Utc};
use credence_domain::registry::{AccreditationStatus, AwardStatus, OrgKind, StatusAction};
use credence_domain::{
    bundled, AccreditationId, AchievementId, AwardId, FormProblems, OrgId, OrgSlug, PathwayCode,
};
use credence_store::registry::{AccreditationRow, AwardRow, OrgRow};
use credence_vc::contexts::{CREDENTIALS_V2, OB_V3P0_3_0_3};
use credence_vc::proof::{issuer_id, sign};
use credence_vc::verify::{Check, Outcome, VerificationReport};
use serde::Serialize;
use serde_json::{json, Value};

use crate::actor::Issuer;
use crate::awards::{free_indices, taken_meanwhile};
use crate::desks::{AccreditingDesk, PublicDesk};
use crate::issuing::check_before_signing;
use crate::metrics::IssuedVia;
use crate::notifications::AccreditationNews;
use crate::registry::{audit, Registry};
use crate::ServiceError;
use credence_documents::credential::{credential_status, StatusIndices};

const MAX_ATTEMPTS: usize = 5;

/// An accreditation as anyone may see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AccreditationView {
    #[schema(value_type = String)]
    pub id: AccreditationId,
    pub body: String,
    pub body_name: String,
    pub provider: String,
    pub provider_name: String,
    pub pathways: Vec<String>,
    /// `active` or `revoked`.
    #[schema(value_type = String)]
    pub status: AccreditationStatus,
    pub reason: Option<String>,
    /// Whether this installation's operator trusts the body.
    pub body_trusted: bool,
    /// The signed accreditation credential's URL.
    pub credential_url: String,
    pub created_at: String,
    /// When the accreditation ends (RFC 3339), if the body set an end.
    pub valid_until: Option<String>,
    /// Whether that end has passed: the accreditation no longer stands.
    pub expired: bool,
}

/// When an accreditation ends: its signed credential's `validUntil`, if any.
pub(crate) fn accreditation_until(row: &AccreditationRow) -> Option<DateTime<Utc>> {
    let doc: Value = serde_json::from_str(&row.credential).ok()?;
    let text = doc.get("validUntil")?.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether an accreditation stands at `now`: active and not past its end.
pub(crate) fn stands(row: &AccreditationRow, now: DateTime<Utc>) -> bool {
    row.status == AccreditationStatus::Active && accreditation_until(row).is_none_or(|u| u > now)
}

/// The end of an accreditation as the body gives it: a day (the accreditation stands
/// through it, to midnight UTC after it) or an RFC 3339 date-time, after `now`.
fn read_until(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, &'static str> {
    let text = text.trim();
    let until = match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => day
            .succ_opt()
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
            .ok_or("Give a day such as 2027-12-31.")?,
        Err(_) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| "Give a day such as 2027-12-31, or leave it empty for no end.")?,
    };
    if until <= now {
        return Err("Choose an end after today.");
    }
    Ok(until)
}

impl Registry {
    fn accreditation_view(
        &self,
        row: &AccreditationRow,
        body: &OrgRow,
        provider: &OrgRow,
        trusted: &[OrgId],
    ) -> AccreditationView {
        AccreditationView {
            id: row.id.clone(),
            body: body.slug.clone(),
            body_name: body.name.clone(),
            provider: provider.slug.clone(),
            provider_name: provider.name.clone(),
            pathways: serde_json::from_str(&row.pathways).unwrap_or_default(),
            status: row.status,
            reason: row.reason.clone(),
            body_trusted: trusted.contains(&body.id),
            credential_url: self.url(&format!("/credentials/{}", row.id)),
            created_at: row.created_at.to_rfc3339(),
            valid_until: accreditation_until(row).map(|u| u.to_rfc3339()),
            expired: accreditation_until(row).is_some_and(|u| u <= self.now()),
        }
    }
}

impl AccreditingDesk<'_> {
    /// The body (whose issuer the actor is) accredits `provider` for `pathways`, until
    /// `valid_until` (a day, or an RFC 3339 date-time) when given.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, provider = %provider))]
    pub async fn accredit(
        &self,
        provider: &str,
        pathways: &[String],
        valid_until: Option<&str>,
    ) -> Result<AccreditationView, ServiceError> {
        let issuer = &self.issuer;
        let body = &issuer.0.org;
        if body.kind != OrgKind::AccreditingBody {
            return Err(ServiceError::Forbidden(format!(
                "{} is not an accrediting body, so it cannot accredit.",
                body.slug
            )));
        }
        // Every field is checked before anything is refused.
        let mut problems = FormProblems::new();
        let provider = if provider.trim().is_empty() {
            problems.add("/provider", "Choose the provider to accredit.");
            None
        } else {
            match self.org_named(provider.trim()).await {
                Ok(org) if org.id == body.id => {
                    problems.add(
                        "/provider",
                        "Choose another organisation: a body cannot accredit itself.",
                    );
                    None
                }
                Ok(org) => Some(org),
                Err(ServiceError::NotFound(_)) => {
                    problems.add(
                        "/provider",
                        "Choose a provider from the list; no organisation has that address.",
                    );
                    None
                }
                Err(e) => return Err(e),
            }
        };
        if pathways.is_empty() {
            problems.add("/pathways", "Choose at least one pathway to accredit for.");
        } else if pathways.len() > 50 {
            problems.add(
                "/pathways",
                format!(
                    "Choose at most 50 pathways; {} were chosen.",
                    pathways.len()
                ),
            );
        }
        // Pathway codes are those of the bundled framework, which every installation has.
        let framework =
            credence_domain::Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
                .map_err(ServiceError::wrap("reading the bundled framework"))?;
        let mut names = Vec::new();
        for (i, code) in pathways.iter().enumerate() {
            let known = PathwayCode::new(code.as_str()).ok().and_then(|c| {
                framework
                    .document()
                    .pathways
                    .iter()
                    .find(|p| p.code == c)
                    .map(|p| p.name.clone())
            });
            match known {
                Some(name) => names.push(name),
                None => problems.add(
                    &format!("/pathways/{i}"),
                    "Choose pathways from the list of the framework's pathways.",
                ),
            }
        }
        let until = match valid_until.map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => match read_until(text, self.now()) {
                Ok(until) => Some(until),
                Err(message) => {
                    problems.add("/valid_until", message);
                    None
                }
            },
            None => None,
        };
        problems.finish().map_err(ServiceError::Invalid)?;
        let provider =
            provider.ok_or_else(|| ServiceError::internal("a checked provider is missing"))?;
        // One active accreditation per body and provider: a second would leave verifiers
        // two answers. A change of pathways is a revocation and a new accreditation.
        let active = {
            let tx = self.store.read().await?;
            tx.accreditations_of(&body.id, true).await?
        }
        .into_iter()
        .find(|a| a.provider_org_id == provider.id && a.status == AccreditationStatus::Active);
        if let Some(active) = active {
            return Err(ServiceError::Conflict(format!(
                "{} already accredits {} (since {}). To change what it covers, revoke that accreditation first, then accredit again.",
                body.name,
                provider.name,
                active.created_at.format("%-d %B %Y")
            )));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self
                .accredit_once(issuer, &provider, pathways, &names, until)
                .await
            {
                Err(ServiceError::Conflict(_)) if attempt < MAX_ATTEMPTS => continue,
                other => return other,
            }
        }
    }
}

impl Registry {
    async fn accredit_once(
        &self,
        issuer: &Issuer,
        provider: &OrgRow,
        pathways: &[String],
        names: &[String],
        until: Option<DateTime<Utc>>,
    ) -> Result<AccreditationView, ServiceError> {
        let body = &issuer.0.org;
        let now = self.now();
        let stamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let tx = self.store.write().await?;
        let id = AwardId::random();
        let credential_id = self.url(&format!("/credentials/{id}"));
        let (revocation, suspension) = free_indices(&tx, &body.id, 1).await?[0];
        let index = usize::try_from(revocation)
            .map_err(ServiceError::wrap("reading an accreditation status index"))?;
        let status = credential_status(
            &self.config.base_url,
            &body.slug,
            StatusIndices {
                revocation: index,
                suspension: None,
            },
        );
        let mut unsigned = json!({
            "@context": [CREDENTIALS_V2, OB_V3P0_3_0_3],
            "id": credential_id,
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": format!("Accreditation of {}", provider.name),
            "issuer": self.profile_json(body),
            "validFrom": stamp,
            "credentialSubject": {
                "id": provider.did,
                "type": ["EndorsementSubject"],
                "endorsementComment": format!(
                    "{} accredits {} to award these pathways of the NHS AI confidence framework: {}.",
                    body.name, provider.name, names.join("; ")
                ),
            },
            "credentialStatus": status,
        });
        if let (Some(until), Some(doc)) = (until, unsigned.as_object_mut()) {
            doc.insert(
                "validUntil".into(),
                until.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
            );
        }
        check_before_signing(&unsigned, "")?;
        let signer = self.active_signer(&tx, body).await?;
        let options = self.proof_options(body, &signer, &stamp, None);
        let signed = sign(&unsigned, &signer.key, &options)
            .map_err(ServiceError::wrap("signing an accreditation"))?;
        let text = signed.to_string();
        let award = AwardRow {
            id: id.clone(),
            org_id: body.id.clone(),
            achievement_id: None,
            holder_id: None,
            recipient_email: None,
            credential: text.clone(),
            revocation_index: revocation,
            suspension_index: suspension,
            status: AwardStatus::Active,
            status_reason: None,
            valid_from: now,
            valid_until: until,
            idempotency_key: None,
            override_justification: None,
            replaces_award_id: None,
            public: true,
            created_by: issuer.0.label.clone(),
            created_at: now,
            updated_at: now,
            credential_id: Some(credential_id),
            suspendable: false,
            reissue_of: None,
        };
        tx.insert_award(award).await.map_err(taken_meanwhile)?;
        let row = AccreditationRow {
            id: AccreditationId::from(id.clone()),
            body_org_id: body.id.clone(),
            provider_org_id: provider.id.clone(),
            pathways: serde_json::to_string(pathways)
                .map_err(ServiceError::wrap("writing accredited pathways"))?,
            credential: text,
            revocation_index: revocation,
            status: AccreditationStatus::Active,
            reason: None,
            created_at: now,
            updated_at: now,
        };
        tx.insert_accreditation(row.clone()).await?;
        self.notify_accreditation(&tx, &row, AccreditationNews::Granted, now)
            .await?;
        audit(
            &tx,
            now,
            &issuer.0.label,
            "accreditation.grant",
            Some(&body.id),
            &format!("accreditation:{id}"),
            json!({"provider": provider.slug, "pathways": pathways}),
        )
        .await?;
        let trusted = tx.trusted_bodies().await?;
        tx.commit().await?;
        self.metrics.awards_issued(IssuedVia::Accreditation, 1);
        Ok(self.accreditation_view(&row, body, provider, &trusted))
    }
}

impl PublicDesk<'_> {
    /// The body that gave an accreditation (404 for an unknown one).
    #[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
    pub async fn accreditation_body(&self, id: &AccreditationId) -> Result<OrgRow, ServiceError> {
        let tx = self.store.read().await?;
        let row = tx
            .accreditation(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("accreditation '{id}'")))?;
        tx.org(&row.body_org_id)
            .await?
            .ok_or_else(|| ServiceError::internal("an accreditation names a missing body"))
    }
}

impl AccreditingDesk<'_> {
    /// Revokes an accreditation the body gave, with a reason.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.issuer.0.org.slug, id = %id))]
    pub async fn revoke_accreditation(
        &self,
        id: &AccreditationId,
        reason: &str,
    ) -> Result<AccreditationView, ServiceError> {
        let issuer = &self.issuer;
        let row = {
            let tx = self.store.read().await?;
            tx.accreditation(id).await?
        }
        .filter(|a| a.body_org_id == issuer.0.org.id)
        .ok_or_else(|| ServiceError::NotFound(format!("accreditation '{id}'")))?;
        if row.status == AccreditationStatus::Revoked {
            return Err(ServiceError::Conflict(
                "The accreditation is already revoked.".into(),
            ));
        }
        // Revokes the credential (its status lists are re-signed); the accreditation row
        // follows in the same transaction, and the audit entry records the reason.
        self.with_issuer(issuer)
            .change_award_status(&AwardId::from(id.clone()), StatusAction::Revoke, reason)
            .await?;
        let tx = self.store.read().await?;
        let provider = tx
            .org(&row.provider_org_id)
            .await?
            .ok_or_else(|| ServiceError::internal("an accreditation names a missing provider"))?;
        let trusted = tx.trusted_bodies().await?;
        let row = tx
            .accreditation(id)
            .await?
            .ok_or_else(|| ServiceError::internal("the accreditation vanished"))?;
        Ok(self.accreditation_view(&row, &issuer.0.org, &provider, &trusted))
    }
}

impl Registry {
    /// Whether an organisation holds a standing accreditation from a trusted body.
    #[tracing::instrument(level = "debug", skip_all, fields(org_id = %org_id))]
    pub(crate) async fn is_accredited(&self, org_id: &OrgId) -> Result<bool, ServiceError> {
        let tx = self.store.read().await?;
        let trusted = tx.trusted_bodies().await?;
        Ok(tx
            .accreditations_of(org_id, false)
            .await?
            .iter()
            .any(|a| stands(a, self.now()) && trusted.contains(&a.body_org_id)))
    }
}

impl PublicDesk<'_> {
    /// Accreditations an organisation gave and received (public).
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn accreditations(
        &self,
        slug: &OrgSlug,
    ) -> Result<(Vec<AccreditationView>, Vec<AccreditationView>), ServiceError> {
        let org = self.org(slug).await?;
        let tx = self.store.read().await?;
        let trusted = tx.trusted_bodies().await?;
        let mut out = (Vec::new(), Vec::new());
        for (as_body, list) in [(true, &mut out.0), (false, &mut out.1)] {
            for row in tx.accreditations_of(&org.id, as_body).await? {
                let (body, provider) = if as_body {
                    (Some(org.clone()), tx.org(&row.provider_org_id).await?)
                } else {
                    (tx.org(&row.body_org_id).await?, Some(org.clone()))
                };
                if let (Some(body), Some(provider)) = (body, provider) {
                    list.push(self.accreditation_view(&row, &body, &provider, &trusted));
                }
            }
        }
        Ok(out)
    }
}

impl Registry {
    /// Adds the accreditation chain to a report on a credential whose issuer is one of this
    /// Credence's organisations: which trusted bodies accredit it, for which pathways, and
    /// whether the credential's pathway is among them. Credentials from elsewhere are left
    /// as they are.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) async fn with_accreditation_check(
        &self,
        doc: &Value,
        report: VerificationReport,
    ) -> Result<VerificationReport, ServiceError> {
        let Some(issuer) = issuer_id(doc) else {
            return Ok(report);
        };
        let Some(facts) = self.issuer_facts(issuer).await? else {
            return Ok(report);
        };
        let org = &facts.org;
        // The pathway of an award: its achievement, when it is one of ours.
        let pathway = doc
            .pointer("/credentialSubject/achievement/id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix(&self.url("/achievements/")))
            .and_then(|uuid| uuid.parse::<AchievementId>().ok());
        let pathway = match pathway {
            Some(id) => self.achievement_pathway(&id).await?,
            None => None,
        };
        let Some(pathway) = pathway else {
            return Ok(report);
        };
        let trusted = &facts.trusted;
        let mut standing = Vec::new();
        let mut other = Vec::new();
        for (row, body) in &facts.accreditations {
            let pathways: Vec<String> = serde_json::from_str(&row.pathways).unwrap_or_default();
            let covers = pathways.contains(&pathway);
            if stands(row, self.now()) && covers && trusted.contains(&body.id) {
                standing.push(body.name.clone());
            } else if covers {
                other.push(format!(
                    "{} ({})",
                    body.name,
                    if row.status != AccreditationStatus::Active {
                        "revoked"
                    } else if !stands(row, self.now()) {
                        "expired"
                    } else {
                        "not a body this Credence trusts"
                    }
                ));
            }
        }
        if standing.is_empty() && other.is_empty() && trusted.is_empty() {
            // This installation trusts no accrediting body and the issuer has none:
            // accreditation is not part of how its credentials are judged here.
            return Ok(report.with_check(Check::new(
                "accreditation",
                Outcome::NotApplicable,
                "This Credence trusts no accrediting bodies, so the issuer's accreditation is not checked.",
            )));
        }
        let check = if standing.is_empty() {
            let mut message = format!(
                "{} is not accredited by a trusted body to award the pathway '{pathway}'.",
                org.name
            );
            if !other.is_empty() {
                message.push_str(&format!(
                    " Accreditations that do not count: {}.",
                    other.join(", ")
                ));
            }
            Check::new("accreditation", Outcome::Warning, message)
        } else {
            Check::new(
                "accreditation",
                Outcome::Passed,
                format!(
                    "{} is accredited to award the pathway '{pathway}' by {}, and the accreditation stands.",
                    org.name,
                    standing.join(", ")
                ),
            )
        };
        Ok(report.with_check(check))
    }
}
