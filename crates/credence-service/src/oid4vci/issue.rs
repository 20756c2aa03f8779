//! The credential endpoint of OpenID4VCI: with an access token from an offer and a key
//! proof over a nonce this registry gave, the wallet receives a copy of the offered award
//! bound to its DID (same achievement, results and evidence), signed by the organisation's
//! active key and stored as an award that names the original (`reissue_of`), with status
//! entries of its own so that it can be revoked like any award.

use credence_documents::{date_time, wallet_copy, StatusIndices, WalletCopy};
use credence_domain::registry::AwardStatus;
use credence_domain::AwardId;
use credence_store::registry::AwardRow;
use credence_store::Tx;
use credence_vc::key_proof::{check_key_proof, KeyProof};
use credence_vc::proof::sign_owned;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{WalletError, CONFIGURATION_ID};
use crate::desks::PublicDesk;
use crate::issuing::check_before_signing;
use crate::registry::{audit, cpu_bound, sha256_hex};
use crate::status_indices::{free_indices, taken_meanwhile};
use crate::ServiceError;

/// The one key proof of a credential request (`proofs.jwt` with one element, or the older
/// `proof` object).
fn proof_jwt(request: &Value) -> Result<&str, WalletError> {
    if let Some(proofs) = request.get("proofs") {
        return match proofs
            .get("jwt")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([Value::String(jwt)]) => Ok(jwt),
            Some([_, _, ..]) => Err(WalletError::refused(
                "invalid_credential_request",
                "One credential is issued per request: give one key proof.",
            )),
            _ => Err(WalletError::refused(
                "invalid_proof",
                "proofs.jwt must hold one key proof JWT.",
            )),
        };
    }
    match request.get("proof") {
        Some(p) if p.get("proof_type").and_then(Value::as_str) == Some("jwt") => p
            .get("jwt")
            .and_then(Value::as_str)
            .ok_or_else(|| WalletError::refused("invalid_proof", "proof.jwt is missing.")),
        _ => Err(WalletError::refused(
            "invalid_proof",
            "The request has no key proof (proofs.jwt).",
        )),
    }
}

impl PublicDesk<'_> {
    /// The credential endpoint: `access_token` from the `Authorization: Bearer` header and
    /// the JSON `request`. Refusals: `invalid_token` (unknown, used or expired token),
    /// `invalid_credential_request`, `unknown_credential_configuration`, `invalid_proof`
    /// (type, key, signature, audience, time), `invalid_nonce` (not a nonce given here, or
    /// used or expired), `credential_request_denied` (the award is no longer active).
    pub async fn wallet_credential(
        &self,
        access_token: Option<&str>,
        request: &Value,
    ) -> Result<Value, WalletError> {
        let access_token = access_token.filter(|t| !t.is_empty()).ok_or_else(|| {
            WalletError::refused("invalid_token", "An access token (Bearer) is required.")
        })?;
        if !request.is_object() {
            return Err(WalletError::refused(
                "invalid_credential_request",
                "The request must be a JSON object.",
            ));
        }
        match request
            .get("credential_configuration_id")
            .and_then(Value::as_str)
        {
            Some(CONFIGURATION_ID) => {}
            Some(other) => {
                return Err(WalletError::refused(
                    "unknown_credential_configuration",
                    format!("This issuer offers {CONFIGURATION_ID}, not {other:.80}."),
                ))
            }
            None => {
                return Err(WalletError::refused(
                    "invalid_credential_request",
                    "credential_configuration_id is missing.",
                ))
            }
        }
        let jwt = proof_jwt(request)?;
        let now = self.now();
        let proof = check_key_proof(jwt, self.wallet_issuer(), now)
            .map_err(|why| WalletError::refused("invalid_proof", why))?;
        let tx = self.store.write().await?;
        let token_hash = sha256_hex(access_token);
        let nonce_ok = match &proof.nonce {
            Some(nonce) => tx.take_wallet_nonce(&sha256_hex(nonce), now).await?,
            None => false,
        };
        // The token is taken only with a good nonce: a wallet told `invalid_nonce` asks
        // again, with a new nonce and the same token.
        let offer_id = if nonce_ok {
            tx.take_wallet_token(&token_hash, now).await?
        } else {
            tx.peek_wallet_token(&token_hash, now).await?
        };
        let offer_id = offer_id.ok_or_else(|| {
            WalletError::refused(
                "invalid_token",
                "The access token is unknown, used or expired.",
            )
        })?;
        if !nonce_ok {
            return Err(WalletError::refused(
                "invalid_nonce",
                "The proof's nonce was not given by this issuer's nonce endpoint, or is used or expired: fetch a new one.",
            ));
        }
        let offer = tx
            .wallet_offer(&offer_id)
            .await?
            .ok_or_else(|| ServiceError::internal("a wallet token's offer vanished"))?;
        let original = tx
            .award(&offer.award_id)
            .await?
            .filter(|a| {
                a.status == AwardStatus::Active && a.holder_id.as_ref() == Some(&offer.holder_id)
            })
            .ok_or_else(|| {
                WalletError::refused(
                    "credential_request_denied",
                    "The credential offered is no longer active.",
                )
            })?;
        let row = self.wallet_award(&tx, &original, &proof, now).await?;
        tx.insert_award(row.clone())
            .await
            .map_err(|e| WalletError::Service(taken_meanwhile(e)))?;
        tx.set_wallet_offer_issued(&offer.id, &row.id).await?;
        audit(
            &tx,
            now,
            "wallet (OpenID4VCI)",
            "award.wallet_copy",
            Some(&row.org_id),
            &format!("award:{}", row.id),
            json!({"reissue_of": original.id, "offer": offer.id, "holder_did": proof.holder_did}),
        )
        .await?;
        tx.commit().await?;
        let credential: Value = serde_json::from_str(&row.credential)
            .map_err(ServiceError::wrap("reading a credential just signed"))?;
        Ok(json!({"credentials": [{"credential": credential}]}))
    }

    /// The signed copy of `original` for the wallet of `proof`, as an award row.
    async fn wallet_award(
        &self,
        tx: &Tx,
        original: &AwardRow,
        proof: &KeyProof,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<AwardRow, ServiceError> {
        let org = tx
            .org(&original.org_id)
            .await?
            .ok_or_else(|| ServiceError::internal("an award's organisation vanished"))?;
        let signer = self.active_signer(tx, &org).await?;
        let indices = free_indices(tx, &org.id, 1).await?[0];
        let uuid = Uuid::new_v4();
        let document: Value = serde_json::from_str(&original.credential)
            .map_err(ServiceError::wrap("reading a stored credential"))?;
        let unsigned = wallet_copy(
            &document,
            &WalletCopy {
                credential_uuid: uuid,
                base_url: &self.config.base_url,
                org_slug: &org.slug,
                holder_did: &proof.holder_did,
                issuer_did: &signer.issuer_did,
                status: StatusIndices {
                    revocation: usize::try_from(indices.0).unwrap_or_default(),
                    suspension: original
                        .suspendable
                        .then(|| usize::try_from(indices.1).unwrap_or_default()),
                },
            },
        )
        .ok_or_else(|| ServiceError::internal("a stored award is not a credential"))?;
        check_before_signing(&unsigned, "")?;
        let mut options = self.proof_options(&org, &signer, &date_time(now), None);
        options.canonicalizer = self.canonicalizer_for(&unsigned).await;
        let signed = cpu_bound(|| sign_owned(unsigned, &signer.key, &options))
            .map_err(|e| ServiceError::internal_from("signing a wallet's copy of an award", e))?;
        Ok(AwardRow {
            id: AwardId::from(uuid),
            org_id: org.id.clone(),
            achievement_id: original.achievement_id.clone(),
            holder_id: original.holder_id.clone(),
            recipient_email: original.recipient_email.clone(),
            credential_id: signed.get("id").and_then(Value::as_str).map(str::to_owned),
            credential: signed.to_string(),
            revocation_index: indices.0,
            suspension_index: indices.1,
            status: AwardStatus::Active,
            status_reason: None,
            valid_from: original.valid_from,
            valid_until: original.valid_until,
            idempotency_key: None,
            override_justification: None,
            replaces_award_id: None,
            public: false,
            created_by: "wallet (OpenID4VCI)".into(),
            created_at: now,
            updated_at: now,
            suspendable: original.suspendable,
            reissue_of: Some(original.id.clone()),
        })
    }
}
