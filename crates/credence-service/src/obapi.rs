//! The Open Badges 3.0 API's resources, for a client holding a holder's access token:
//! the holder's credentials (as stored: the exact signed JSON, or the compact JWS of a
//! JWT-secured one), paged; the holder's profile, read and renamed. Each operation needs
//! its scope ([`crate::oauth::SCOPES`]); another holder's records are never reachable,
//! since the desk holds only the token's holder.

use serde_json::{json, Value};

use crate::desks::ObApiDesk;
use crate::ServiceError;

/// `credential.readonly`.
pub const CREDENTIAL_READ: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly";
/// `credential.upsert`.
pub const CREDENTIAL_UPSERT: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert";
/// `profile.readonly`.
pub const PROFILE_READ: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly";
/// `profile.update`.
pub const PROFILE_UPDATE: &str = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update";

/// One page of the holder's credentials (`GetOpenBadgeCredentialsResponse`) and how many
/// there are in all.
#[derive(Debug, Clone)]
pub struct CredentialPage {
    /// Credentials secured with a Data Integrity proof, as signed.
    pub credential: Vec<Value>,
    /// JWT-secured credentials, in compact JWS form.
    pub compact_jws: Vec<String>,
    pub total: usize,
}

impl CredentialPage {
    /// The response body the specification defines.
    pub fn body(&self) -> Value {
        json!({ "credential": self.credential, "compactJwsString": self.compact_jws })
    }
}

impl ObApiDesk<'_> {
    /// The holder's awards, newest first, `limit` (1 to 100) after `offset`.
    #[tracing::instrument(level = "info", skip_all, fields(client = %self.client.label))]
    pub async fn credentials(
        &self,
        limit: usize,
        offset: usize,
    ) -> Result<CredentialPage, ServiceError> {
        self.client.needs(CREDENTIAL_READ)?;
        if !(1..=100).contains(&limit) {
            return Err(ServiceError::invalid("/limit", "limit is from 1 to 100."));
        }
        let tx = self.store.read().await?;
        let awards = tx.awards_of_holder(&self.client.account_id).await?;
        let mut page = CredentialPage {
            credential: Vec::new(),
            compact_jws: Vec::new(),
            total: awards.len(),
        };
        for award in awards.into_iter().skip(offset).take(limit) {
            let text = award.credential.trim();
            if text.starts_with('{') {
                let value: Value = serde_json::from_str(text).map_err(|e| {
                    ServiceError::internal(format!("a stored credential is not JSON: {e}"))
                })?;
                page.credential.push(value);
            } else {
                page.compact_jws.push(text.to_owned());
            }
        }
        Ok(page)
    }

    /// `upsertCredential`. What Credence stores: only the credentials it issued, as it
    /// signed them. A credential sent is verified first with the registry's verifier
    /// (a failing one is refused); one of the holder's own awards, exactly as stored, is
    /// acknowledged (`Ok(stored)`, answered 200); anything else, including credentials other
    /// issuers made for the holder, is refused (400): importing them is not offered.
    #[tracing::instrument(level = "info", skip_all, fields(client = %self.client.label))]
    pub async fn upsert_credential(&self, credential: &Value) -> Result<Value, ServiceError> {
        use credence_vc::verify::Verdict;
        self.client.needs(CREDENTIAL_UPSERT)?;
        if !credential.is_object() {
            return Err(ServiceError::invalid(
                "",
                "The body is an AchievementCredential (JSON).",
            ));
        }
        let report = self.public().verify_credential_json(credential).await?;
        if !matches!(
            report.verdict,
            Verdict::Verified | Verdict::VerifiedWithWarnings
        ) {
            return Err(ServiceError::invalid(
                "",
                "The credential does not verify: its proof, status or dates fail a check.",
            ));
        }
        let tx = self.store.read().await?;
        for award in tx.awards_of_holder(&self.client.account_id).await? {
            let stored: Value = match serde_json::from_str(award.credential.trim()) {
                Ok(v) => v,
                Err(_) => continue,
            };
            if &stored == credential {
                return Ok(stored);
            }
        }
        Err(ServiceError::invalid(
            "",
            "Credence keeps only the credentials it issued to you: this one is not among them, and importing others is not offered.",
        ))
    }

    /// The holder's profile: an OB 3.0 `Profile` with the holder's name (and DID when the
    /// account has one as its id; its URN otherwise). The e-mail address is not shared.
    #[tracing::instrument(level = "info", skip_all, fields(client = %self.client.label))]
    pub async fn profile(&self) -> Result<Value, ServiceError> {
        self.client.needs(PROFILE_READ)?;
        self.read_profile().await
    }

    async fn read_profile(&self) -> Result<Value, ServiceError> {
        let tx = self.store.read().await?;
        let account = tx
            .account(&self.client.account_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("the holder's account".into()))?;
        let id = account
            .did
            .clone()
            .unwrap_or_else(|| format!("urn:uuid:{}", account.id));
        Ok(json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ],
            "id": id,
            "type": "Profile",
            "name": account.display_name,
        }))
    }

    /// Renames the holder (`name` of the profile sent; 1 to 200 characters); the profile
    /// as it now is. Other fields of the profile are not stored.
    #[tracing::instrument(level = "info", skip_all, fields(client = %self.client.label))]
    pub async fn update_profile(&self, profile: &Value) -> Result<Value, ServiceError> {
        self.client.needs(PROFILE_UPDATE)?;
        let name = profile
            .get("name")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty() && n.chars().count() <= 200)
            .ok_or_else(|| {
                ServiceError::invalid("/name", "name is a string of 1 to 200 characters.")
            })?;
        let tx = self.store.write().await?;
        let mut account = tx
            .account(&self.client.account_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("the holder's account".into()))?;
        account.display_name = name.to_owned();
        tx.update_account(account).await?;
        crate::registry::audit(
            &tx,
            self.now(),
            &self.client.label,
            "account.renamed_by_ob_api",
            None,
            self.client.account_id.as_str(),
            json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        self.read_profile().await
    }
}
