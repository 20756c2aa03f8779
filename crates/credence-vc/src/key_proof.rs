//! The key proof of an OpenID4VCI credential request (OID4VCI 1.0 appendix F.1): a JWT of
//! type `openid4vci-proof+jwt`, signed by the wallet's key, for this credential issuer
//! (`aud`) and a nonce it was given. The key comes from the header's `kid` (a `did:key` or
//! `did:jwk` DID URL) or its `jwk`; [`check_key_proof`] checks everything but whether the
//! nonce is one the issuer gave (the service holds those) and names the wallet's DID.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Map, Value};

use crate::did::resolve_did_key;
use crate::keys::VerifyingKey;

/// The type a key proof's header must carry.
pub const PROOF_TYPE: &str = "openid4vci-proof+jwt";
/// How far a proof's `iat` may lie in the past.
const MAX_AGE_SECS: i64 = 300;
/// How far a proof's `iat` may lie in the future (clocks differ).
const MAX_SKEW_SECS: i64 = 60;

/// A key proof that passed [`check_key_proof`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProof {
    /// The wallet's DID: the `kid`'s DID, or the header `jwk` as `did:key` (Ed25519) or
    /// `did:jwk` (any other key).
    pub holder_did: String,
    /// The nonce the proof carries, for the caller to check against the ones it gave.
    pub nonce: Option<String>,
}

/// Checks the key proof `token` for the credential issuer `audience` at `now`: its type,
/// algorithm (EdDSA or ES256), key, signature, audience and issue time. `Err` says why it
/// fails, in words for the wallet (`invalid_proof`).
pub fn check_key_proof(
    token: &str,
    audience: &str,
    now: DateTime<Utc>,
) -> Result<KeyProof, String> {
    let (header, payload) = parts(token)?;
    if header.get("typ").and_then(Value::as_str) != Some(PROOF_TYPE) {
        return Err(format!("The proof's header must have typ {PROOF_TYPE}."));
    }
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("EdDSA") => Algorithm::EdDSA,
        Some("ES256") => Algorithm::ES256,
        other => {
            return Err(format!(
                "The proof is signed with {}; EdDSA and ES256 are accepted.",
                other.unwrap_or("no algorithm")
            ))
        }
    };
    let (key, holder_did) = proof_key(&header)?;
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map_err(|e| format!("The proof's signature does not verify with its key ({e})."))?;
    let audience_ok = match payload.get("aud") {
        Some(Value::String(aud)) => aud == audience,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    };
    if !audience_ok {
        return Err(format!("The proof's aud must be {audience}."));
    }
    let iat = payload
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or("The proof has no iat (issued at, in seconds since 1970).")?;
    let age = now.timestamp().saturating_sub(iat);
    if !(-MAX_SKEW_SECS..=MAX_AGE_SECS).contains(&age) {
        return Err(format!(
            "The proof was issued {age} seconds from now; it must be made within the last {MAX_AGE_SECS} seconds."
        ));
    }
    Ok(KeyProof {
        holder_did,
        nonce: payload
            .get("nonce")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// The header and payload of a compact JWS, not yet verified.
fn parts(token: &str) -> Result<(Value, Value), String> {
    let segments: Vec<&str> = token.trim().split('.').collect();
    if segments.len() != 3 {
        return Err("The proof is not a compact JWT (three parts).".into());
    }
    let read = |part: &str, what: &str| -> Result<Value, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| format!("The proof's {what} is not base64url."))?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|_| format!("The proof's {what} is not JSON."))?;
        value
            .is_object()
            .then_some(value)
            .ok_or_else(|| format!("The proof's {what} is not a JSON object."))
    };
    Ok((read(segments[0], "header")?, read(segments[1], "payload")?))
}

/// The key a proof names and the wallet's DID.
fn proof_key(header: &Value) -> Result<(DecodingKey, String), String> {
    match (header.get("kid").and_then(Value::as_str), header.get("jwk")) {
        (Some(_), Some(_)) => Err("The proof names its key twice (kid and jwk): give one.".into()),
        (Some(kid), None) => {
            let did = kid.split('#').next().unwrap_or(kid).to_owned();
            if did.starts_with("did:key:") {
                let method = resolve_did_key(kid)
                    .map_err(|e| format!("The proof's kid is not a usable did:key ({e})."))?;
                let x = URL_SAFE_NO_PAD.encode(method.public_key.as_bytes());
                let key = DecodingKey::from_ed_components(&x)
                    .map_err(|e| format!("The proof's did:key cannot be read ({e})."))?;
                Ok((key, method.controller))
            } else if let Some(encoded) = did.strip_prefix("did:jwk:") {
                let jwk: Value = URL_SAFE_NO_PAD
                    .decode(encoded)
                    .ok()
                    .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                    .ok_or("The proof's did:jwk does not hold a JWK.")?;
                Ok((decoding_key(&jwk)?, did))
            } else {
                Err("The proof's kid must be a did:key or did:jwk DID URL.".into())
            }
        }
        (None, Some(jwk)) => Ok((decoding_key(jwk)?, did_of_jwk(jwk)?)),
        (None, None) => Err("The proof names no key: give a kid (a DID URL) or a jwk.".into()),
    }
}

fn decoding_key(jwk: &Value) -> Result<DecodingKey, String> {
    if jwk.get("d").is_some() {
        return Err("The proof's key is a private key; give the public key only.".into());
    }
    let parsed: Jwk = serde_json::from_value(jwk.clone())
        .map_err(|e| format!("The proof's key is not a JWK ({e})."))?;
    DecodingKey::from_jwk(&parsed).map_err(|e| format!("The proof's key cannot be used ({e})."))
}

/// The DID of a public JWK: `did:key` for an Ed25519 key, `did:jwk` for any other.
fn did_of_jwk(jwk: &Value) -> Result<String, String> {
    let text = |m: &str| jwk.get(m).and_then(Value::as_str);
    if text("kty") == Some("OKP") && text("crv") == Some("Ed25519") {
        let bytes: [u8; 32] = text("x")
            .and_then(|x| URL_SAFE_NO_PAD.decode(x).ok())
            .and_then(|b| b.try_into().ok())
            .ok_or("The proof's Ed25519 key is not 32 bytes of base64url.")?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|e| format!("The proof's Ed25519 key cannot be used ({e})."))?;
        return Ok(key.did_key());
    }
    // The public members only, in a fixed order (RFC 7638's members).
    let mut public = Map::new();
    for member in ["crv", "e", "kty", "n", "x", "y"] {
        if let Some(v) = jwk.get(member) {
            public.insert(member.into(), v.clone());
        }
    }
    Ok(format!(
        "did:jwk:{}",
        URL_SAFE_NO_PAD.encode(json!(public).to_string())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SigningKey;

    const AUD: &str = "https://credence.example";

    fn token(key: &SigningKey, header: Value, payload: Value) -> String {
        let h = URL_SAFE_NO_PAD.encode(header.to_string());
        let p = URL_SAFE_NO_PAD.encode(payload.to_string());
        let signature = key.sign(format!("{h}.{p}").as_bytes());
        format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    fn check(header: Value, payload: Value, key: &SigningKey) -> Result<KeyProof, String> {
        check_key_proof(&token(key, header, payload), AUD, Utc::now())
    }

    #[test]
    fn a_proof_names_the_wallet_did_and_fails_for_every_broken_part() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let did = key.verifying_key().did_key();
        let kid = key.verifying_key().did_key_verification_method();
        let now = Utc::now().timestamp();
        let header = json!({"alg": "EdDSA", "typ": PROOF_TYPE, "kid": kid});
        let payload = json!({"aud": AUD, "iat": now, "nonce": "n-1"});
        let good = check(header.clone(), payload.clone(), &key).unwrap();
        assert_eq!(good.holder_did, did);
        assert_eq!(good.nonce.as_deref(), Some("n-1"));

        let x = URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": x});
        let by_jwk = json!({"alg": "EdDSA", "typ": PROOF_TYPE, "jwk": jwk});
        assert_eq!(
            check(by_jwk, payload.clone(), &key).unwrap().holder_did,
            did
        );
        let did_jwk = format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(jwk.to_string()));
        let by_did_jwk = json!({"alg": "EdDSA", "typ": PROOF_TYPE, "kid": format!("{did_jwk}#0")});
        assert_eq!(
            check(by_did_jwk, payload.clone(), &key).unwrap().holder_did,
            did_jwk
        );

        let cases = [
            (
                json!({"alg": "EdDSA", "typ": "JWT", "kid": kid}),
                payload.clone(),
                &key,
            ),
            (
                json!({"alg": "none", "typ": PROOF_TYPE, "kid": kid}),
                payload.clone(),
                &key,
            ),
            (header.clone(), payload.clone(), &other),
            (
                header.clone(),
                json!({"aud": "https://elsewhere.example", "iat": now}),
                &key,
            ),
            (header.clone(), json!({"aud": AUD}), &key),
            (header.clone(), json!({"aud": AUD, "iat": now - 3600}), &key),
            (
                json!({"alg": "EdDSA", "typ": PROOF_TYPE}),
                payload.clone(),
                &key,
            ),
            (
                json!({"alg": "EdDSA", "typ": PROOF_TYPE, "kid": "did:web:example.org#k"}),
                payload.clone(),
                &key,
            ),
        ];
        for (i, (h, p, k)) in cases.into_iter().enumerate() {
            assert!(check(h, p, k).is_err(), "case {i} passed");
        }
        assert!(check_key_proof("not.a-jwt", AUD, Utc::now()).is_err());
        assert!(check_key_proof("", AUD, Utc::now()).is_err());
    }
}
