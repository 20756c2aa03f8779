//! JWT-secured credentials: VC-JOSE-COSE `application/vc+jwt` (a compact JWS whose payload
//! is the credential) and the older VC-JWT form of Open Badges 3.0 (the credential in the
//! `vc` claim). The signature is checked with `jsonwebtoken` (EdDSA, ES256, RS256 only);
//! the credential it carries then gets every other check a Data Integrity credential gets.
//!
//! The key comes from the header's `kid` (a `did:key`, or a method the resolver or the
//! caller's [`JwtKey`] list knows, such as a `did:web` document's `publicKeyJwk`), or from a
//! `jwk` in the header; a key that travels in the token proves nothing about who holds it,
//! so then the issuer is confirmed only when it lists that same key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::did::resolve_did_key;
use crate::proof::issuer_id;
use crate::verify::{
    checks_around_proof, in_words, Check, Outcome, VerificationReport, VerifyContext,
};

/// A public key as a JWK, listed by its controller (e.g. read from a `did:web` document).
#[derive(Debug, Clone, PartialEq)]
pub struct JwtKey {
    /// The verification method's id, matched against the header's `kid`.
    pub id: String,
    /// Who controls the key.
    pub controller: String,
    /// The key (`publicKeyJwk`).
    pub jwk: Value,
}

/// Whether `text` has the shape of a compact JWS: three base64url parts.
pub fn looks_like_jwt(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split('.').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| !p.is_empty())
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The header and payload of a compact JWS, read without checking the signature.
fn unverified_parts(token: &str) -> Result<(Value, Value), String> {
    let mut parts = token.split('.');
    let mut read = |what: &str| -> Result<Value, String> {
        let part = parts.next().unwrap_or_default();
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| format!("its {what} is not base64url ({e})"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("its {what} is not JSON ({e})"))
    };
    let header = read("header")?;
    let payload = read("payload")?;
    Ok((header, payload))
}

/// The credential a JWT carries: the payload itself (VC-JOSE-COSE), or its `vc` claim
/// (VC-JWT) with `iss`, `jti`, `nbf` and `exp` standing for the issuer, id and dates.
pub fn credential_of(payload: &Value) -> Value {
    let Some(vc) = payload.get("vc").filter(|v| v.is_object()) else {
        return payload.clone();
    };
    let mut doc = vc.clone();
    let date = |claim: &str| {
        numeric_date(payload, claim)
            .and_then(Result::ok)
            .map(|t| Value::from(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
    };
    if doc.get("issuer").is_none() {
        if let Some(iss) = payload.get("iss") {
            doc["issuer"] = iss.clone();
        }
    }
    if doc.get("id").is_none() {
        if let Some(jti) = payload.get("jti") {
            doc["id"] = jti.clone();
        }
    }
    if doc.get("validFrom").is_none() && doc.get("issuanceDate").is_none() {
        if let Some(nbf) = date("nbf") {
            doc["validFrom"] = nbf;
        }
    }
    if doc.get("validUntil").is_none() && doc.get("expirationDate").is_none() {
        if let Some(exp) = date("exp") {
            doc["validUntil"] = exp;
        }
    }
    doc
}

/// For a token (not yet verified): its header's `kid` and the credential it carries, so a
/// verifier can fetch the keys and status lists it names before verifying.
pub fn peek(token: &str) -> Option<(Option<String>, Value)> {
    let token = token.trim();
    if !looks_like_jwt(token) {
        return None;
    }
    let (header, payload) = unverified_parts(token).ok()?;
    let kid = header.get("kid").and_then(Value::as_str).map(str::to_owned);
    Some((kid, credential_of(&payload)))
}

/// The key a token names, with who controls it (`None` for a key carried in the header).
fn find_key(
    header: &Value,
    issuer: Option<&str>,
    ctx: &VerifyContext<'_>,
    keys: &[JwtKey],
) -> Result<(DecodingKey, String, Option<String>), Check> {
    let unknown = |why: String| {
        Check::new(
            "proof",
            Outcome::Unknown,
            "The signer's public key could not be found here, so the signature could not be checked.",
        )
        .detail(why)
    };
    let bad_key = |e: jsonwebtoken::errors::Error| {
        Check::new(
            "proof",
            Outcome::Failed,
            "The token names a public key that cannot be read, so its signature cannot be checked.",
        )
        .detail(e.to_string())
    };
    let from_jwk = |jwk: &Value| -> Result<DecodingKey, Check> {
        let jwk: Jwk = serde_json::from_value(jwk.clone()).map_err(|e| {
            Check::new(
                "proof",
                Outcome::Failed,
                "The token names a public key that cannot be read, so its signature cannot be checked.",
            )
            .detail(e.to_string())
        })?;
        DecodingKey::from_jwk(&jwk).map_err(bad_key)
    };
    let kid = header.get("kid").and_then(Value::as_str);
    if let Some(kid) = kid {
        let kid_full = match issuer {
            Some(iss) if kid.starts_with('#') => format!("{iss}{kid}"),
            _ => kid.to_owned(),
        };
        if let Some(key) = keys.iter().find(|k| k.id == kid_full) {
            return Ok((
                from_jwk(&key.jwk)?,
                key.id.clone(),
                Some(key.controller.clone()),
            ));
        }
        let method = if kid_full.starts_with("did:key:") {
            resolve_did_key(&kid_full)
        } else {
            ctx.resolver.resolve_verification_method(&kid_full)
        };
        if let Ok(method) = method {
            let x = URL_SAFE_NO_PAD.encode(method.public_key.as_bytes());
            let key = DecodingKey::from_ed_components(&x).map_err(bad_key)?;
            return Ok((key, method.id, Some(method.controller)));
        }
        if header.get("jwk").is_none() {
            return Err(unknown(format!("No key is known for the kid {kid_full}.")));
        }
    }
    if let Some(jwk) = header.get("jwk") {
        let key = from_jwk(jwk)?;
        // The issuer's own published keys vouch for a key carried in the header.
        let listed = keys
            .iter()
            .find(|k| Some(k.controller.as_str()) == issuer && same_key(&k.jwk, jwk));
        return Ok(match listed {
            Some(k) => (key, k.id.clone(), Some(k.controller.clone())),
            None => (key, "the key in the token's header".into(), None),
        });
    }
    match keys.iter().find(|k| Some(k.controller.as_str()) == issuer) {
        Some(k) => Ok((from_jwk(&k.jwk)?, k.id.clone(), Some(k.controller.clone()))),
        None => Err(unknown(
            "The token's header names no key (no kid, no jwk) and the issuer publishes none."
                .into(),
        )),
    }
}

/// Whether two JWKs are the same public key (their key members agree).
fn same_key(a: &Value, b: &Value) -> bool {
    ["kty", "crv", "x", "y", "n", "e"]
        .iter()
        .all(|m| a.get(m) == b.get(m))
}

/// The proof and issuer checks of a token.
fn check_signature(
    token: &str,
    header: &Value,
    doc: &Value,
    ctx: &VerifyContext<'_>,
    keys: &[JwtKey],
) -> Vec<Check> {
    let issuer = issuer_id(doc);
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("EdDSA") => Algorithm::EdDSA,
        Some("ES256") => Algorithm::ES256,
        Some("RS256") => Algorithm::RS256,
        other => {
            return vec![
                Check::new(
                    "proof",
                    Outcome::Failed,
                    "The credential is signed with a method this verifier does not support, so its signature cannot be accepted.",
                )
                .detail(format!(
                    "JWS algorithm {} (EdDSA, ES256 and RS256 are supported).",
                    other.unwrap_or("(none)")
                )),
                not_confirmed(issuer),
            ]
        }
    };
    let (key, method, controller) = match find_key(header, issuer, ctx, keys) {
        Ok(found) => found,
        Err(check) => return vec![check, not_confirmed(issuer)],
    };
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    if let Err(e) = jsonwebtoken::decode::<Value>(token, &key, &validation) {
        let check = match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => Check::new(
                "proof",
                Outcome::Failed,
                "The digital signature does not match: the credential was changed after it was signed, or was not signed by the key it names.",
            ),
            _ => Check::new(
                "proof",
                Outcome::Failed,
                "The digital signature could not be verified: the token or its key is malformed.",
            ),
        };
        return vec![check.detail(e.to_string()), not_confirmed(issuer)];
    }
    let proof = Check::new(
        "proof",
        Outcome::Passed,
        "The digital signature (a JSON Web Token) is intact: the credential has not been changed since it was signed.",
    )
    .detail(format!("Signed with {alg:?} by {method}."));
    let issuer_check = match (issuer, controller) {
        (None, _) => Check::new(
            "issuer",
            Outcome::Failed,
            "The credential does not say who issued it (it has no issuer id).",
        ),
        (Some(issuer), None) => Check::new(
            "issuer",
            Outcome::Unknown,
            format!("The credential names {issuer} as its issuer, but it was signed with a key that came inside the token, which nothing ties to the issuer."),
        ),
        (Some(issuer), Some(controller)) if controller == issuer => Check::new(
            "issuer",
            Outcome::Passed,
            format!("The credential was signed with a key belonging to its issuer, {issuer}."),
        ),
        (Some(issuer), Some(controller)) => Check::new(
            "issuer",
            Outcome::Failed,
            format!("The credential names {issuer} as its issuer, but it was signed with a key belonging to {controller}."),
        ),
    };
    vec![proof, issuer_check]
}

fn not_confirmed(issuer: Option<&str>) -> Check {
    Check::new(
        "issuer",
        Outcome::Unknown,
        format!(
            "The credential names {} as its issuer, but as its signature could not be verified we cannot confirm that the issuer signed it.",
            issuer.unwrap_or("no one")
        ),
    )
}

/// A NumericDate claim (RFC 7519 §2: seconds since 1970, possibly with a fraction): `None`
/// when absent, the claim's name when present but not a date.
fn numeric_date<'c>(payload: &Value, claim: &'c str) -> Option<Result<DateTime<Utc>, &'c str>> {
    let value = payload.get(claim)?;
    Some(
        value
            .as_f64()
            .filter(|t| t.is_finite() && t.abs() < 1e13)
            .and_then(|t| {
                // Whole seconds and nanoseconds; the bound above keeps both in range.
                #[allow(clippy::cast_possible_truncation)]
                let secs = t.floor() as i64;
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let nanos = ((t - t.floor()) * 1e9) as u32;
                DateTime::<Utc>::from_timestamp(secs, nanos.min(999_999_999))
            })
            .ok_or(claim),
    )
}

/// The token's own `nbf` and `exp` claims against the time of the check, when it has them.
fn check_token_times(payload: &Value, now: DateTime<Utc>) -> Option<Check> {
    let (nbf, exp) = match (numeric_date(payload, "nbf"), numeric_date(payload, "exp")) {
        (None, None) => return None,
        (Some(Err(claim)), _) | (_, Some(Err(claim))) => {
            return Some(Check::new(
                "token_validity",
                Outcome::Failed,
                format!(
                "The token's `{claim}` is not a date (RFC 7519 NumericDate: seconds since 1970)."
            ),
            ))
        }
        (nbf, exp) => (nbf.and_then(Result::ok), exp.and_then(Result::ok)),
    };
    Some(match (nbf, exp) {
        (_, Some(exp)) if exp < now => Check::new(
            "token_validity",
            Outcome::Failed,
            format!(
                "The token has expired: it was valid until {}.",
                in_words(exp)
            ),
        ),
        (Some(nbf), _) if nbf > now => Check::new(
            "token_validity",
            Outcome::Failed,
            format!(
                "The token is not valid yet: it becomes valid on {}.",
                in_words(nbf)
            ),
        ),
        _ => Check::new(
            "token_validity",
            Outcome::Passed,
            "The token is within the time its issuer made it valid for.",
        ),
    })
}

/// Verifies a JWT-secured credential and reports every check, as
/// [`crate::verify::verify_credential`] does for a Data Integrity one; also the credential
/// read from it, when the token could be read.
pub fn verify_jwt(
    token: &str,
    ctx: &VerifyContext<'_>,
    keys: &[JwtKey],
) -> (Option<Value>, VerificationReport) {
    let token = token.trim();
    let (header, payload) = match unverified_parts(token) {
        Ok(parts) if looks_like_jwt(token) => parts,
        Ok(_) => (Value::Null, Value::Null),
        Err(why) => {
            let check = Check::new(
                "proof",
                Outcome::Failed,
                "This is not a well-formed JSON Web Token, so it is not a credential this verifier can read.",
            )
            .detail(format!("The token is malformed: {why}."));
            return (None, VerificationReport::from_checks(vec![check]));
        }
    };
    let doc = credential_of(&payload);
    if !doc.is_object() {
        let check = Check::new(
            "context",
            Outcome::Failed,
            "The token does not carry a JSON object, so it is not a credential.",
        );
        return (None, VerificationReport::from_checks(vec![check]));
    }
    let mut secured = check_signature(token, &header, &doc, ctx, keys);
    if let Some(check) = check_token_times(&payload, ctx.now) {
        secured.push(check);
    }
    let report = checks_around_proof(&doc, ctx, secured, false);
    (Some(doc), report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(secs, 0).expect("a time")
    }

    #[test]
    fn an_expiry_with_a_fraction_of_a_second_still_expires() {
        let now = at(1_800_000_000);
        let check = check_token_times(&json!({"exp": 1_700_000_000.5}), now).expect("a check");
        assert_eq!(check.outcome, Outcome::Failed, "{check:?}");
        let check = check_token_times(&json!({"nbf": 1_900_000_000.25}), now).expect("a check");
        assert_eq!(check.outcome, Outcome::Failed, "{check:?}");
        let check = check_token_times(&json!({"exp": 1_900_000_000.5}), now).expect("a check");
        assert_eq!(check.outcome, Outcome::Passed, "{check:?}");
    }

    #[test]
    fn a_date_claim_that_is_not_a_date_fails() {
        let now = at(1_800_000_000);
        for payload in [
            json!({"exp": "tomorrow"}),
            json!({"exp": 1e300}),
            json!({"nbf": null}),
            json!({"exp": [1]}),
        ] {
            let check = check_token_times(&payload, now).expect("a check");
            assert_eq!(check.outcome, Outcome::Failed, "{payload}: {check:?}");
        }
        assert!(check_token_times(&json!({}), now).is_none());
    }
}
