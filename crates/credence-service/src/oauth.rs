//! The OAuth 2.0 authorization server of the Open Badges 3.0 API: dynamic client
//! registration (RFC 7591), the holder's consent (authorization code with PKCE S256 only,
//! RFC 7636), the token endpoint (code and refresh-token grants; the refresh token turns
//! over at each use) and the holder's list of connected applications. Codes and tokens are
//! stored as SHA-256 hashes in `oauth_grants`, so every process sharing the database sees
//! them; a code is taken by deleting its row, so it is used once.

use chrono::{DateTime, Duration, Utc};
use credence_domain::registry::OAuthGrantKind;
use credence_domain::{AccountId, OAuthClientId};
use credence_store::registry::{OAuthClientRow, OAuthGrantRow};
use credence_store::Tx;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::desks::{HolderDesk, OAuthDesk};
use crate::registry::{audit, random_secret, sha256_hex};
use crate::ServiceError;

/// The scopes of the Open Badges 3.0 API, with what each lets a client do, in words.
pub const SCOPES: [(&str, &str); 4] = [
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
        "read your credentials",
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert",
        "send credentials back to Credence to confirm it issued them to you",
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly",
        "read your profile (your name)",
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update",
        "change your profile (your name)",
    ),
];

/// How long an authorization code may wait for its exchange.
pub const CODE_LIFETIME_SECS: i64 = 600;
/// How long an access token lasts.
pub const ACCESS_LIFETIME_SECS: i64 = 3600;
/// How long a refresh token lasts (each use makes a new one).
pub const REFRESH_LIFETIME_SECS: i64 = 30 * 24 * 3600;

/// An OAuth 2.0 error answer: `error` is the RFC 6749 / RFC 7591 code, shown as
/// `{"error", "error_description"}` with status 400 (401 for `invalid_client`).
#[derive(Debug)]
pub enum OAuthError {
    Protocol {
        error: &'static str,
        description: String,
    },
    Service(ServiceError),
}

impl From<ServiceError> for OAuthError {
    fn from(e: ServiceError) -> Self {
        Self::Service(e)
    }
}

impl From<credence_store::StoreError> for OAuthError {
    fn from(e: credence_store::StoreError) -> Self {
        Self::Service(e.into())
    }
}

fn fail(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError::Protocol {
        error,
        description: description.into(),
    }
}

/// A client's registration request (RFC 7591 §2), as read from its JSON. (It holds no
/// secret; its Debug is written out only because a field's name says "token".)
#[derive(Clone, Default, serde::Deserialize)]
pub struct Registration {
    pub client_name: Option<String>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    pub scope: Option<String>,
    pub grant_types: Option<Vec<String>>,
    pub response_types: Option<Vec<String>>,
    pub token_endpoint_auth_method: Option<String>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("client_name", &self.client_name)
            .field("redirect_uris", &self.redirect_uris)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// A registered client (RFC 7591 §3.2.1). The secret is shown only here, once.
#[derive(Clone, Serialize)]
pub struct RegisteredClient {
    pub client_id: String,
    pub client_secret: String,
    pub client_id_issued_at: i64,
    pub client_secret_expires_at: i64,
    pub client_name: String,
    pub redirect_uris: Vec<String>,
    pub scope: String,
    pub grant_types: Vec<&'static str>,
    pub response_types: Vec<&'static str>,
    pub token_endpoint_auth_method: String,
}

impl std::fmt::Debug for RegisteredClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// An authorization request (`/oauth/authorize`), as the holder's browser brings it.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
pub struct AuthorizationRequest {
    #[serde(default)]
    pub response_type: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub scope: String,
    pub state: Option<String>,
    #[serde(default)]
    pub code_challenge: String,
    #[serde(default)]
    pub code_challenge_method: String,
}

/// What the consent page shows: the client and the scopes asked for, in words.
#[derive(Debug, Clone)]
pub struct ConsentRequest {
    pub client_id: OAuthClientId,
    pub client_name: String,
    pub redirect_uri: String,
    pub redirect_host: String,
    pub scopes: Vec<String>,
    pub scope_words: Vec<&'static str>,
}

/// Where the browser goes after the holder answered (or after a request the client got
/// wrong): the client's redirect URI with `code` or `error`, and `state`.
#[derive(Debug, Clone)]
pub struct Redirection(pub String);

/// The token endpoint's answer (RFC 6749 §5.1).
#[derive(Clone, Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub scope: String,
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenAnswer { [redacted] }")
    }
}

/// The token request's form (RFC 6749 §4.1.3, §6), with the client's credentials from
/// the `Authorization: Basic` header or the form.
#[derive(Clone, Default, serde::Deserialize)]
pub struct TokenRequest {
    #[serde(default)]
    pub grant_type: String,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .finish_non_exhaustive()
    }
}

/// An application the holder connected, for the account page.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectedApp {
    pub client_id: OAuthClientId,
    pub name: String,
    pub scope_words: Vec<&'static str>,
}

fn scope_words(scopes: &[String]) -> Vec<&'static str> {
    SCOPES
        .iter()
        .filter(|(s, _)| scopes.iter().any(|x| x == s))
        .map(|(_, w)| *w)
        .collect()
}

fn split_scope(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_owned).collect()
}

/// A redirect URI a client may register: https, or http on a loopback address (a native
/// or test client, RFC 8252 §7.3); no fragment.
fn acceptable_redirect(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"));
    url.fragment().is_none() && (url.scheme() == "https" || (url.scheme() == "http" && loopback))
}

/// `uri` with `params` added to its query.
fn with_query(uri: &str, params: &[(&str, &str)]) -> Result<String, ServiceError> {
    let mut url = url::Url::parse(uri).map_err(|e| {
        ServiceError::internal(format!("a stored redirect URI does not parse: {e}"))
    })?;
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
    }
    Ok(url.into())
}

/// PKCE S256: the challenge is base64url(SHA-256(verifier)), without padding.
pub fn pkce_s256(verifier: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn client_secret_matches(client: &OAuthClientRow, secret: &str) -> bool {
    let sent = sha256_hex(secret);
    sent.len() == client.secret_hash.len()
        && sent
            .bytes()
            .zip(client.secret_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The client of a token or revocation request: `client_secret_basic` (the header's pair,
/// when sent) or `client_secret_post` (the form's).
async fn authenticate(
    tx: &credence_store::Tx,
    basic: Option<(String, String)>,
    form_id: &Option<String>,
    form_secret: &Option<String>,
) -> Result<OAuthClientRow, OAuthError> {
    let (id, secret) = match (basic, form_id, form_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
        _ => return Err(fail("invalid_client", "The client must authenticate.")),
    };
    let bad_client = || fail("invalid_client", "Unknown client or wrong secret.");
    let client_id: OAuthClientId = id.parse().map_err(|_| bad_client())?;
    let client = tx.oauth_client(&client_id).await?.ok_or_else(bad_client)?;
    if !client_secret_matches(&client, &secret) {
        return Err(bad_client());
    }
    Ok(client)
}

/// A revocation request's form (RFC 7009 §2.1).
#[derive(Clone, Default, serde::Deserialize)]
pub struct RevocationRequest {
    #[serde(default)]
    pub token: String,
    pub token_type_hint: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for RevocationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevocationRequest { [redacted] }")
    }
}

impl OAuthDesk<'_> {
    /// Token revocation (RFC 7009): the client ends one of its access or refresh tokens.
    /// An unknown token, or another client's, is answered the same (success) and left.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn revoke(
        &self,
        basic: Option<(String, String)>,
        req: RevocationRequest,
    ) -> Result<(), OAuthError> {
        let tx = self.store.write().await?;
        let client = authenticate(&tx, basic, &req.client_id, &req.client_secret).await?;
        let hash = sha256_hex(&req.token);
        for kind in [OAuthGrantKind::Access, OAuthGrantKind::Refresh] {
            if let Some(grant) = tx.oauth_grant(kind, &hash).await? {
                if grant.client_id == client.id {
                    tx.take_oauth_grant(kind, &hash).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Registers a client (RFC 7591). It must give a name, at least one redirect URI
    /// (https, or http on loopback) and only the API's scopes (all four when it names none);
    /// only the authorization-code and refresh-token grants and `client_secret_basic` or
    /// `client_secret_post` are offered.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn register_client(&self, reg: Registration) -> Result<RegisteredClient, OAuthError> {
        let name = reg.client_name.as_deref().map(str::trim).unwrap_or("");
        if name.is_empty() || name.chars().count() > 200 {
            return Err(fail(
                "invalid_client_metadata",
                "client_name is required (at most 200 characters).",
            ));
        }
        if reg.redirect_uris.is_empty() || reg.redirect_uris.len() > 10 {
            return Err(fail(
                "invalid_redirect_uri",
                "redirect_uris must list one to ten URIs.",
            ));
        }
        if let Some(bad) = reg.redirect_uris.iter().find(|u| !acceptable_redirect(u)) {
            return Err(fail(
                "invalid_redirect_uri",
                format!("'{bad}' is not an https URI (or http on a loopback address) without a fragment."),
            ));
        }
        let scopes = match reg.scope.as_deref() {
            Some(s) => split_scope(s),
            None => SCOPES.iter().map(|(s, _)| (*s).to_owned()).collect(),
        };
        if scopes.is_empty() || scopes.iter().any(|s| !SCOPES.iter().any(|(k, _)| k == s)) {
            return Err(fail(
                "invalid_client_metadata",
                "scope may name only the Open Badges 3.0 API's scopes.",
            ));
        }
        let grants_ok = reg.grant_types.as_ref().is_none_or(|g| {
            g.iter()
                .all(|t| t == "authorization_code" || t == "refresh_token")
        });
        let responses_ok = reg
            .response_types
            .as_ref()
            .is_none_or(|r| r.iter().all(|t| t == "code"));
        if !grants_ok || !responses_ok {
            return Err(fail(
                "invalid_client_metadata",
                "Only the authorization_code and refresh_token grants (response type 'code') are offered.",
            ));
        }
        let auth_method = reg
            .token_endpoint_auth_method
            .unwrap_or_else(|| "client_secret_basic".into());
        if auth_method != "client_secret_basic" && auth_method != "client_secret_post" {
            return Err(fail(
                "invalid_client_metadata",
                "token_endpoint_auth_method is client_secret_basic or client_secret_post.",
            ));
        }
        let secret = random_secret()?;
        let now = self.now();
        let row = OAuthClientRow {
            id: OAuthClientId::random(),
            secret_hash: sha256_hex(&secret),
            name: name.to_owned(),
            redirect_uris: reg.redirect_uris.join("\n"),
            scope: scopes.join(" "),
            created_at: now,
        };
        let tx = self.store.write().await?;
        tx.insert_oauth_client(row.clone()).await?;
        audit(
            &tx,
            now,
            "anonymous",
            "oauth.client_registered",
            None,
            row.id.as_str(),
            serde_json::json!({ "name": row.name, "redirect_uris": reg.redirect_uris }),
        )
        .await?;
        tx.commit().await?;
        Ok(RegisteredClient {
            client_id: row.id.into_string(),
            client_secret: secret,
            client_id_issued_at: now.timestamp(),
            client_secret_expires_at: 0,
            client_name: row.name,
            redirect_uris: reg.redirect_uris,
            scope: row.scope,
            grant_types: vec!["authorization_code", "refresh_token"],
            response_types: vec!["code"],
            token_endpoint_auth_method: auth_method,
        })
    }

    /// Checks an authorization request before the holder sees it. `Err(Ok(redirect))`
    /// sends the error back to the client (RFC 6749 §4.1.2.1); `Err(Err(e))` is shown to
    /// the holder, never redirected: an unknown client or a redirect URI it did not
    /// register.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn consent_request(
        &self,
        req: &AuthorizationRequest,
    ) -> Result<ConsentRequest, Result<Redirection, ServiceError>> {
        let unknown = || {
            ServiceError::invalid(
                "/client_id",
                "No such application is registered, or it did not register this redirect URI.",
            )
        };
        let client_id: OAuthClientId = req.client_id.parse().map_err(|_| Err(unknown()))?;
        let tx = self.store.read().await.map_err(|e| Err(e.into()))?;
        let client = tx
            .oauth_client(&client_id)
            .await
            .map_err(|e| Err(e.into()))?
            .ok_or_else(|| Err(unknown()))?;
        if !client.redirect_uris.lines().any(|u| u == req.redirect_uri) {
            return Err(Err(unknown()));
        }
        let back = |error: &str, description: &str| {
            let mut params = vec![("error", error), ("error_description", description)];
            if let Some(state) = req.state.as_deref() {
                params.push(("state", state));
            }
            with_query(&req.redirect_uri, &params).map(Redirection)
        };
        if req.response_type != "code" {
            return Err(back(
                "unsupported_response_type",
                "Only response_type=code is offered.",
            ));
        }
        if req.code_challenge_method != "S256" || req.code_challenge.len() != 43 {
            return Err(back(
                "invalid_request",
                "PKCE is required: code_challenge with code_challenge_method=S256.",
            ));
        }
        let scopes = split_scope(&req.scope);
        let allowed = split_scope(&client.scope);
        if scopes.is_empty() || scopes.iter().any(|s| !allowed.contains(s)) {
            return Err(back(
                "invalid_scope",
                "The scope asked for is empty or more than the application registered.",
            ));
        }
        let redirect_host = url::Url::parse(&req.redirect_uri)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        Ok(ConsentRequest {
            client_id,
            client_name: client.name,
            redirect_uri: req.redirect_uri.clone(),
            redirect_host,
            scope_words: scope_words(&scopes),
            scopes,
        })
    }

    /// The token endpoint: the client authenticates (`basic` is the `Authorization:
    /// Basic` header's client id and secret, when sent), then exchanges a code (with its
    /// PKCE verifier and redirect URI) or a refresh token for a new access and refresh
    /// token.
    #[tracing::instrument(level = "info", skip_all, fields(grant_type = %req.grant_type))]
    pub async fn token(
        &self,
        basic: Option<(String, String)>,
        req: TokenRequest,
    ) -> Result<TokenAnswer, OAuthError> {
        let tx = self.store.write().await?;
        let client = authenticate(&tx, basic, &req.client_id, &req.client_secret).await?;
        let now = self.now();
        let (kind, value) = match req.grant_type.as_str() {
            "authorization_code" => (OAuthGrantKind::Code, req.code.clone()),
            "refresh_token" => (OAuthGrantKind::Refresh, req.refresh_token.clone()),
            _ => {
                return Err(fail(
                    "unsupported_grant_type",
                    "grant_type is authorization_code or refresh_token.",
                ))
            }
        };
        let value = value
            .ok_or_else(|| fail("invalid_request", "The code or refresh token is missing."))?;
        let hash = sha256_hex(&value);
        let invalid = || {
            fail(
                "invalid_grant",
                "The code or refresh token is unknown, used, expired, or not this client's.",
            )
        };
        let grant = tx.oauth_grant(kind, &hash).await?.ok_or_else(invalid)?;
        // Taken first: a code or refresh token is used once, whatever follows. A refused
        // one stays used; a good one is exchanged for tokens in the same transaction, so
        // it is never spent without its tokens being stored.
        if !tx.take_oauth_grant(kind, &hash).await? {
            return Err(invalid());
        }
        if let Err(refused) = check_grant(&grant, &client.id, kind, &req, now) {
            tx.commit().await?;
            return Err(refused);
        }
        let answer = self
            .issue_tokens(&tx, &grant.account_id, &client.id, &grant.scope)
            .await?;
        tx.commit().await?;
        Ok(answer)
    }

    /// Stores a new access token and refresh token, in `tx`.
    async fn issue_tokens(
        &self,
        tx: &Tx,
        account: &AccountId,
        client: &OAuthClientId,
        scope: &str,
    ) -> Result<TokenAnswer, OAuthError> {
        let now = self.now();
        let access = random_secret()?;
        let refresh = random_secret()?;
        let row = |kind, value: &str, secs| OAuthGrantRow {
            hash: sha256_hex(value),
            kind,
            client_id: client.clone(),
            account_id: account.clone(),
            scope: scope.to_owned(),
            redirect_uri: None,
            code_challenge: None,
            expires_at: now + Duration::seconds(secs),
            created_at: now,
        };
        tx.insert_oauth_grant(row(OAuthGrantKind::Access, &access, ACCESS_LIFETIME_SECS))
            .await?;
        tx.insert_oauth_grant(row(
            OAuthGrantKind::Refresh,
            &refresh,
            REFRESH_LIFETIME_SECS,
        ))
        .await?;
        Ok(TokenAnswer {
            access_token: access,
            token_type: "Bearer",
            expires_in: ACCESS_LIFETIME_SECS,
            refresh_token: refresh,
            scope: scope.to_owned(),
        })
    }
}

impl HolderDesk<'_> {
    /// The holder's answer on the consent page, for a request [`OAuthDesk::consent_request`]
    /// accepted: a single-use code (10 minutes) bound to the client, redirect URI and PKCE
    /// challenge, or `access_denied`.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn answer_consent(
        &self,
        req: &AuthorizationRequest,
        consent: &ConsentRequest,
        allow: bool,
    ) -> Result<Redirection, ServiceError> {
        let mut params: Vec<(&str, &str)> = Vec::new();
        let code = random_secret()?;
        if allow {
            let now = self.now();
            let tx = self.store.write().await?;
            tx.insert_oauth_grant(OAuthGrantRow {
                hash: sha256_hex(&code),
                kind: OAuthGrantKind::Code,
                client_id: consent.client_id.clone(),
                account_id: self.holder.account_id.clone(),
                scope: consent.scopes.join(" "),
                redirect_uri: Some(consent.redirect_uri.clone()),
                code_challenge: Some(req.code_challenge.clone()),
                expires_at: now + Duration::seconds(CODE_LIFETIME_SECS),
                created_at: now,
            })
            .await?;
            audit(
                &tx,
                now,
                &self.holder.label,
                "oauth.consent_given",
                None,
                consent.client_id.as_str(),
                serde_json::json!({ "scope": consent.scopes }),
            )
            .await?;
            tx.commit().await?;
            params.push(("code", &code));
        } else {
            params.push(("error", "access_denied"));
        }
        if let Some(state) = req.state.as_deref() {
            params.push(("state", state));
        }
        Ok(Redirection(with_query(&consent.redirect_uri, &params)?))
    }

    /// The applications the holder connected (holding a live token or code), each once.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn connected_apps(&self) -> Result<Vec<ConnectedApp>, ServiceError> {
        let tx = self.store.read().await?;
        let now = self.now();
        let mut apps: Vec<ConnectedApp> = Vec::new();
        for grant in tx.oauth_grants_of(&self.holder.account_id).await? {
            if grant.expires_at <= now || apps.iter().any(|a| a.client_id == grant.client_id) {
                continue;
            }
            if let Some(client) = tx.oauth_client(&grant.client_id).await? {
                apps.push(ConnectedApp {
                    client_id: client.id,
                    name: client.name,
                    scope_words: scope_words(&split_scope(&grant.scope)),
                });
            }
        }
        Ok(apps)
    }

    /// Disconnects an application: every code and token the holder granted it ends now.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn disconnect_app(&self, client: &OAuthClientId) -> Result<(), ServiceError> {
        let tx = self.store.write().await?;
        let ended = tx
            .revoke_oauth_grants(&self.holder.account_id, client)
            .await?;
        if ended == 0 {
            return Err(ServiceError::NotFound("connected application".into()));
        }
        audit(
            &tx,
            self.now(),
            &self.holder.label,
            "oauth.app_disconnected",
            None,
            client.as_str(),
            serde_json::json!({ "ended": ended }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Whether a taken code or refresh token may be exchanged by this request: the client's,
/// not expired, and for a code the same redirect URI and a PKCE verifier that matches.
fn check_grant(
    grant: &OAuthGrantRow,
    client: &OAuthClientId,
    kind: OAuthGrantKind,
    req: &TokenRequest,
    now: DateTime<Utc>,
) -> Result<(), OAuthError> {
    if &grant.client_id != client || grant.expires_at <= now {
        return Err(fail(
            "invalid_grant",
            "The code or refresh token is unknown, used, expired, or not this client's.",
        ));
    }
    if kind == OAuthGrantKind::Code {
        if req.redirect_uri.as_deref() != grant.redirect_uri.as_deref() {
            return Err(fail(
                "invalid_grant",
                "The redirect URI differs from the authorization request's.",
            ));
        }
        let verifier = req.code_verifier.as_deref().unwrap_or("");
        if grant.code_challenge.as_deref() != Some(pkce_s256(verifier).as_str()) {
            return Err(fail(
                "invalid_grant",
                "The PKCE code verifier does not match the challenge.",
            ));
        }
    }
    Ok(())
}
