//! OpenID for Verifiable Credential Issuance 1.0 (issue 20): a holder offers one of their
//! awards to a wallet, and the wallet takes it by the pre-authorized code flow. The offer
//! (`HolderDesk::offer_to_wallet`) carries a single-use pre-authorized code and, when the
//! holder asks, a six-digit transaction code shown to them only; both expire
//! (`wallet.offer_minutes`). The wallet exchanges the code at the token endpoint, fetches
//! a nonce, and requests the credential with a key proof (`oid4vci/issue.rs`): it receives
//! a copy of the award bound to its DID, signed as any award, which the registry keeps as
//! an award that names the original (`reissue_of`). Every secret is stored as its SHA-256,
//! and every step takes its row with a conditional update, so several processes can serve
//! one flow.

mod issue;

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::AwardStatus;
use credence_domain::{AwardId, WalletOfferId};
use credence_store::registry::{AwardRow, WalletOfferRow, WalletTokenRow};
use serde::Serialize;
use serde_json::{json, Value};

use crate::desks::{HolderDesk, PublicDesk};
use crate::registry::{audit, random_secret, sha256_hex, Registry};
use crate::ServiceError;

/// The one credential configuration offered: an Open Badges 3.0 credential as `ldp_vc`.
pub const CONFIGURATION_ID: &str = "OpenBadgeCredential_ldp_vc";
/// The grant type of the pre-authorized code flow.
pub const PRE_AUTHORIZED_GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/// How long an access token lasts.
pub const TOKEN_SECS: i64 = 300;
/// How long a nonce lasts.
pub const NONCE_SECS: i64 = 300;
/// Wrong transaction codes after which an offer no longer works.
pub const MAX_WRONG_TX_CODES: i32 = 5;
/// The digits of a transaction code.
const TX_CODE_DIGITS: usize = 6;

/// An OpenID4VCI endpoint's refusal, in the protocol's own error vocabulary, or a fault.
#[derive(Debug)]
pub enum WalletError {
    /// `error` (such as `invalid_grant`, `invalid_proof`) with a description for the wallet.
    Refused {
        error: &'static str,
        description: String,
    },
    /// Not the wallet's doing: the database, a fault of ours.
    Service(ServiceError),
}

impl WalletError {
    pub(crate) fn refused(error: &'static str, description: impl Into<String>) -> Self {
        Self::Refused {
            error,
            description: description.into(),
        }
    }
}

impl From<ServiceError> for WalletError {
    fn from(e: ServiceError) -> Self {
        Self::Service(e)
    }
}

impl From<credence_store::StoreError> for WalletError {
    fn from(e: credence_store::StoreError) -> Self {
        Self::Service(e.into())
    }
}

/// An offer as its holder sees it, once: the link (the credential offer by value), the
/// transaction code when there is one, and when it expires.
#[derive(Clone, Serialize)]
pub struct WalletOffer {
    pub id: WalletOfferId,
    pub award_id: AwardId,
    /// `openid-credential-offer://?credential_offer=…`.
    pub offer_uri: String,
    /// The credential offer object.
    pub offer: Value,
    /// The transaction code the wallet will ask for, when the offer has one.
    pub tx_code: Option<String>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for WalletOffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletOffer")
            .field("id", &self.id)
            .field("award_id", &self.award_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// An award's links to wallets: the award it copies, and the copies made of it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WalletLinks {
    /// The award this one copies for a wallet.
    pub original: Option<AwardId>,
    /// Copies of this award in wallets: the award and the wallet's DID.
    pub copies: Vec<WalletCopyView>,
}

/// One copy of an award in a wallet.
#[derive(Debug, Clone, Serialize)]
pub struct WalletCopyView {
    pub award_id: AwardId,
    pub holder_did: String,
    pub status: AwardStatus,
    pub created_at: DateTime<Utc>,
}

/// The answer of the token endpoint.
#[derive(Clone, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// A random numeric transaction code.
fn random_tx_code() -> Result<String, ServiceError> {
    let mut bytes = [0u8; TX_CODE_DIGITS];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("drawing a transaction code: {e}")))?;
    // 256 is not a multiple of 10: the bias (6 in 256 towards 0-5) costs under 0.1 bits.
    Ok(bytes.iter().map(|b| char::from(b'0' + b % 10)).collect())
}

impl Registry {
    /// The credential issuer identifier: this registry's public address.
    pub fn wallet_issuer(&self) -> &str {
        &self.config.base_url
    }

    fn offer_object(&self, code: &str, tx_code: bool) -> Value {
        let mut grant = json!({"pre-authorized_code": code});
        if tx_code {
            grant["tx_code"] = json!({
                "input_mode": "numeric",
                "length": TX_CODE_DIGITS,
                "description": "The code shown beside the QR code on the credential's page.",
            });
        }
        json!({
            "credential_issuer": self.wallet_issuer(),
            "credential_configuration_ids": [CONFIGURATION_ID],
            "grants": {PRE_AUTHORIZED_GRANT: grant},
        })
    }
}

impl HolderDesk<'_> {
    /// Offers the holder's award `id` to a wallet: a new single-use offer, with a
    /// transaction code when `with_tx_code`. Only an active award that is not itself a
    /// wallet's copy can be offered (409 otherwise; 404 for another's award).
    pub async fn offer_to_wallet(
        &self,
        id: &AwardId,
        with_tx_code: bool,
    ) -> Result<WalletOffer, ServiceError> {
        let now = self.now();
        let tx = self.store.write().await?;
        let award = self.own_award_row(&tx, id).await?;
        if award.status != AwardStatus::Active {
            return Err(ServiceError::Conflict(format!(
                "Award {id} is {}: only an active credential can go to a wallet.",
                award.status
            )));
        }
        if let Some(original) = &award.reissue_of {
            return Err(ServiceError::Conflict(format!(
                "Award {id} is a wallet's copy: offer the original, {original}."
            )));
        }
        let code = random_secret()?;
        let tx_code = with_tx_code.then(random_tx_code).transpose()?;
        let offer_id = WalletOfferId::random();
        let expires_at = now + Duration::minutes(self.config.wallet_offer_minutes.max(1));
        tx.insert_wallet_offer(WalletOfferRow {
            id: offer_id.clone(),
            award_id: id.clone(),
            holder_id: self.holder.account_id.clone(),
            code_hash: sha256_hex(&code),
            tx_code_hash: tx_code.as_deref().map(sha256_hex),
            failed_tx_codes: 0,
            expires_at,
            created_at: now,
            redeemed_at: None,
            issued_award_id: None,
        })
        .await?;
        audit(
            &tx,
            now,
            &self.holder.label,
            "award.wallet_offer",
            Some(&award.org_id),
            &format!("award:{id}"),
            json!({"offer": offer_id, "tx_code": tx_code.is_some(), "expires_at": expires_at}),
        )
        .await?;
        tx.commit().await?;
        let offer = self.offer_object(&code, tx_code.is_some());
        let encoded: String =
            url::form_urlencoded::byte_serialize(offer.to_string().as_bytes()).collect();
        Ok(WalletOffer {
            id: offer_id,
            award_id: id.clone(),
            offer_uri: format!("openid-credential-offer://?credential_offer={encoded}"),
            offer,
            tx_code,
            expires_at,
        })
    }

    /// The award `id` of this holder, with its links to wallets.
    pub async fn wallet_links(&self, id: &AwardId) -> Result<WalletLinks, ServiceError> {
        let tx = self.store.read().await?;
        let award = self.own_award_row(&tx, id).await?;
        let copies = tx.reissues_of(id).await?;
        Ok(WalletLinks {
            original: award.reissue_of.clone(),
            copies: copies
                .iter()
                .map(|c| WalletCopyView {
                    award_id: c.id.clone(),
                    holder_did: subject_id(c).unwrap_or_default(),
                    status: c.status,
                    created_at: c.created_at,
                })
                .collect(),
        })
    }

    async fn own_award_row(
        &self,
        tx: &credence_store::Tx,
        id: &AwardId,
    ) -> Result<AwardRow, ServiceError> {
        tx.award(id)
            .await?
            .filter(|a| a.holder_id.as_ref() == Some(&self.holder.account_id))
            .ok_or_else(|| ServiceError::NotFound(format!("award '{id}'")))
    }
}

/// The subject id of a stored credential.
fn subject_id(row: &AwardRow) -> Option<String> {
    let doc: Value = serde_json::from_str(&row.credential).ok()?;
    doc.pointer("/credentialSubject/id")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

impl PublicDesk<'_> {
    /// The credential issuer metadata (`/.well-known/openid-credential-issuer`).
    pub fn wallet_issuer_metadata(&self) -> Value {
        let (context, credential_types, _) = credence_documents::embedding_types();
        let issuer = self.wallet_issuer();
        json!({
            "credential_issuer": issuer,
            "credential_endpoint": format!("{issuer}/oid4vci/credential"),
            "nonce_endpoint": format!("{issuer}/oid4vci/nonce"),
            "display": [{"name": "Credence", "locale": "en-GB"}],
            "credential_configurations_supported": {
                CONFIGURATION_ID: {
                    "format": "ldp_vc",
                    "cryptographic_binding_methods_supported": ["did:key", "did:jwk"],
                    "credential_signing_alg_values_supported": ["eddsa-rdfc-2022", "eddsa-jcs-2022"],
                    "proof_types_supported": {
                        "jwt": {"proof_signing_alg_values_supported": ["EdDSA", "ES256"]}
                    },
                    "credential_definition": {
                        "@context": context,
                        "type": credential_types,
                    },
                    "credential_metadata": {
                        "display": [{
                            "name": "Open Badge",
                            "locale": "en-GB",
                            "description": "An Open Badges 3.0 credential awarded through Credence, bound to your wallet's key.",
                        }]
                    },
                }
            },
        })
    }

    /// The OAuth authorization server metadata (RFC 8414) of the pre-authorized code flow:
    /// this registry is its own authorization server.
    pub fn wallet_authorization_metadata(&self) -> Value {
        let issuer = self.wallet_issuer();
        json!({
            "issuer": issuer,
            "token_endpoint": format!("{issuer}/oid4vci/token"),
            "grant_types_supported": [PRE_AUTHORIZED_GRANT],
            "pre-authorized_grant_anonymous_access_supported": true,
            "response_types_supported": [],
        })
    }

    /// The token endpoint: exchanges an offer's pre-authorized code (and its transaction
    /// code) for an access token, once. A wrong, used or expired code, or a wrong
    /// transaction code, is `invalid_grant`.
    pub async fn wallet_token(
        &self,
        grant_type: Option<&str>,
        code: Option<&str>,
        tx_code: Option<&str>,
    ) -> Result<TokenResponse, WalletError> {
        match grant_type {
            Some(PRE_AUTHORIZED_GRANT) => {}
            Some(other) => {
                return Err(WalletError::refused(
                    "unsupported_grant_type",
                    format!("Only {PRE_AUTHORIZED_GRANT} is supported, not {other:.80}."),
                ))
            }
            None => {
                return Err(WalletError::refused(
                    "invalid_request",
                    "grant_type is missing.",
                ))
            }
        }
        let code = code.filter(|c| !c.is_empty()).ok_or_else(|| {
            WalletError::refused("invalid_request", "pre-authorized_code is missing.")
        })?;
        let now = self.now();
        let tx = self.store.write().await?;
        let bad_grant = || {
            WalletError::refused(
                "invalid_grant",
                "The pre-authorized code is not valid: it is unknown, used or expired.",
            )
        };
        let offer = tx
            .wallet_offer_by_code(&sha256_hex(code))
            .await?
            .ok_or_else(bad_grant)?;
        if offer.redeemed_at.is_some()
            || offer.expires_at <= now
            || offer.failed_tx_codes >= MAX_WRONG_TX_CODES
        {
            return Err(bad_grant());
        }
        if let Some(expected) = &offer.tx_code_hash {
            let given = tx_code.map(sha256_hex);
            if given.as_ref() != Some(expected) {
                tx.wallet_offer_wrong_tx_code(&offer.id).await?;
                tx.commit().await?;
                return Err(WalletError::refused(
                    "invalid_grant",
                    "The transaction code is missing or wrong.",
                ));
            }
        }
        if !tx
            .redeem_wallet_offer(&offer.id, now, MAX_WRONG_TX_CODES)
            .await?
        {
            return Err(bad_grant());
        }
        let access_token = random_secret()?;
        tx.insert_wallet_token(WalletTokenRow {
            token_hash: sha256_hex(&access_token),
            offer_id: offer.id.clone(),
            expires_at: now + Duration::seconds(TOKEN_SECS),
            used_at: None,
        })
        .await?;
        tx.commit().await?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: TOKEN_SECS,
        })
    }

    /// The nonce endpoint: a fresh `c_nonce` for one key proof.
    pub async fn wallet_nonce(&self) -> Result<Value, ServiceError> {
        let now = self.now();
        let nonce = random_secret()?;
        let tx = self.store.write().await?;
        tx.insert_wallet_nonce(
            &sha256_hex(&nonce),
            now + Duration::seconds(NONCE_SECS),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(json!({"c_nonce": nonce, "c_nonce_expires_in": NONCE_SECS}))
    }
}
