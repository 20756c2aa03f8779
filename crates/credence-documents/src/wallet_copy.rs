//! The copy of an award a wallet receives (OpenID4VCI): the same credential, its
//! achievement, results and evidence unchanged, with a new id and status entries of its own,
//! its subject's `id` the wallet's DID, and the issuer's current DID. Unsigned: the service
//! signs it as it signs any award.

use serde_json::Value;
use uuid::Uuid;

use crate::credential::{credential_status, credential_url, StatusIndices};

/// What makes a wallet's copy of a credential differ from the original.
#[derive(Debug, Clone)]
pub struct WalletCopy<'a> {
    /// The new credential's UUID; its id is `{base}/credentials/{uuid}`.
    pub credential_uuid: Uuid,
    pub base_url: &'a str,
    pub org_slug: &'a str,
    /// The wallet's DID, which becomes `credentialSubject.id`.
    pub holder_did: &'a str,
    /// The DID that signs the copy (the organisation's now).
    pub issuer_did: &'a str,
    pub status: StatusIndices,
}

/// The unsigned copy of the signed credential `original` that `copy` describes; `None` when
/// `original` is not a credential with a subject object.
pub fn wallet_copy(original: &Value, copy: &WalletCopy<'_>) -> Option<Value> {
    let mut vc = original.as_object()?.clone();
    vc.remove("proof");
    vc.insert(
        "id".into(),
        credential_url(copy.base_url, copy.credential_uuid).into(),
    );
    match vc.get_mut("issuer")? {
        Value::Object(issuer) => {
            issuer.insert("id".into(), copy.issuer_did.into());
        }
        other => *other = copy.issuer_did.into(),
    }
    vc.get_mut("credentialSubject")?
        .as_object_mut()?
        .insert("id".into(), copy.holder_did.into());
    vc.insert(
        "credentialStatus".into(),
        credential_status(copy.base_url, copy.org_slug, copy.status),
    );
    Some(Value::Object(vc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_copy_keeps_the_award_and_changes_only_what_binds_it() {
        let original = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "https://c.example/credentials/1",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "did:web:c.example:orgs:a", "type": ["Profile"], "name": "A"},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "x"}},
            "evidence": [{"id": "https://c.example/evidence/2", "type": ["Evidence"]}],
            "credentialStatus": {"id": "old"},
            "proof": {"type": "DataIntegrityProof"},
        });
        let uuid = Uuid::new_v4();
        let copy = wallet_copy(
            &original,
            &WalletCopy {
                credential_uuid: uuid,
                base_url: "https://c.example",
                org_slug: "a",
                holder_did: "did:key:z6MkWallet",
                issuer_did: "did:web:c.example:orgs:a",
                status: StatusIndices {
                    revocation: 7,
                    suspension: None,
                },
            },
        )
        .expect("a copy");
        assert!(copy.get("proof").is_none());
        assert_eq!(copy["id"], format!("https://c.example/credentials/{uuid}"));
        assert_eq!(copy["credentialSubject"]["id"], "did:key:z6MkWallet");
        assert_eq!(
            copy["credentialSubject"]["achievement"],
            original["credentialSubject"]["achievement"]
        );
        assert_eq!(copy["evidence"], original["evidence"]);
        assert_eq!(copy["credentialStatus"]["statusListIndex"], "7");
        assert!(wallet_copy(
            &json!({"issuer": "x"}),
            &WalletCopy {
                credential_uuid: uuid,
                base_url: "https://c.example",
                org_slug: "a",
                holder_did: "did:key:z",
                issuer_did: "did:key:y",
                status: StatusIndices {
                    revocation: 1,
                    suspension: None
                },
            }
        )
        .is_none());
    }
}
